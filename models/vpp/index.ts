// The VPP 18.01 reference model as a DataplaneModel: a scenario's instances, wired together by its
// links; a packet injected into one instance runs to completion, and a frame it transmits on a
// linked interface enters the peer instance (so one SYN yields the client's and the server's
// node traces, in that order).

import type { DataplaneModel, Injection, InjectionPoint, ModelInstance } from '../../harness/model.js';
import type { PacketTrace } from '../../harness/stage.js';
import type { Packet } from '../../harness/wire/packet.js';
import { InputError } from '../../harness/io/input-error.js';
import { VlibBuffer } from './buffer.js';
import { loadScenario, type Scenario } from './configure.js';
import type { FaultName, Vm } from './graph.js';
import type { SwInterface } from './state.js';

const INPUT_NODE: Record<SwInterface['kind'], string> = {
  dpdk: 'dpdk-input',
  tap: 'virtio-input',
  tapcli: 'tapcli-rx',
  loop: 'ethernet-input',
  vxlan: 'l2-input',
};

export class VppInstance implements ModelInstance {
  private readonly peers = new Map<string, { vm: Vm; itf: SwInterface }>();
  /** Which instance made a trace or sent a packet (replay output is per instance). */
  private readonly origin = new WeakMap<object, string>();

  constructor(readonly scenario: Scenario) {
    for (const [a, b] of scenario.links) {
      const ea = this.end(a.instance, a.interface);
      const eb = this.end(b.instance, b.interface);
      this.peers.set(`${a.instance}/${a.interface}`, eb);
      this.peers.set(`${b.instance}/${b.interface}`, ea);
    }
  }

  private end(instance: string, itf: string): { vm: Vm; itf: SwInterface } {
    const vm = this.scenario.instances.get(instance)!;
    return { vm, itf: vm.interfacesByName.get(itf)! };
  }

  /** Switch a mechanism off (or on again) in every instance: fault-injection for tests. */
  setFault(fault: FaultName, on = true): void {
    for (const vm of this.scenario.instances.values()) if (on) vm.faults.add(fault);
    else vm.faults.delete(fault);
  }

  setTracing(on: boolean): void {
    for (const vm of this.scenario.instances.values()) vm.tracing = on;
  }

  vm(name?: string): Vm {
    if (name !== undefined) {
      const vm = this.scenario.instances.get(name);
      if (!vm) throw new InputError(`no instance '${name}' in the scenario (has ${[...this.scenario.instances.keys()].join(', ')})`, { file: this.scenario.file }, 'replay.instance');
      return vm;
    }
    if (this.scenario.instances.size !== 1)
      throw new InputError(`the scenario has ${this.scenario.instances.size} instances: say which one (--instance / at.instance)`, { file: this.scenario.file }, 'replay.instance');
    return [...this.scenario.instances.values()][0];
  }

  /** The instance that made this trace or sent this packet (undefined for foreign objects). */
  instanceOf(x: PacketTrace | Packet): string | undefined {
    return this.origin.get(x);
  }

  /** The interface of an instance with this hw_if_index (what virtio/tapcli records print). */
  interfaceByHwIndex(instance: string | undefined, hwIfIndex: number): string | undefined {
    for (const itf of this.vm(instance).interfaces.values()) if (itf.hwIfIndex === hwIfIndex) return itf.name;
    return undefined;
  }

  inject(packet: Packet, at: InjectionPoint): Injection {
    const vm = this.vm(at.instance);
    const ifName = at.interface ?? packet.meta.interfaceName;
    const itf = ifName !== undefined ? vm.interfacesByName.get(ifName) : undefined;
    if (!itf) throw new InputError(`instance ${vm.name} has no interface '${ifName ?? '(none given)'}'`, { file: this.scenario.file }, 'replay.interface');
    const traces: PacketTrace[] = [];
    const outputs: Packet[] = [];
    const queue: Array<{ vm: Vm; itf: SwInterface; frame: Uint8Array; node?: string }> = [{ vm, itf, frame: packet.data, node: at.node }];
    for (let hops = 0; queue.length > 0; hops++) {
      if (hops > 16) throw new Error('frames bounced between instances more than 16 times');
      const job = queue.shift()!;
      const b = VlibBuffer.fromFrame(job.frame);
      b.rxSwIfIndex = job.itf.swIfIndex;
      const before = job.vm.outputs.length;
      job.vm.wire = (out, frame) => {
        const peer = this.peers.get(`${job.vm.name}/${out.name}`);
        if (peer) queue.push({ vm: peer.vm, itf: peer.itf, frame });
      };
      job.vm.run(b, job.node ?? INPUT_NODE[job.itf.kind]);
      job.vm.wire = null;
      if (job.vm.tracing) {
        const t: PacketTrace = { stages: b.trace };
        this.origin.set(t, job.vm.name);
        traces.push(t);
      }
      for (const p of job.vm.outputs.splice(before)) {
        this.origin.set(p, job.vm.name);
        outputs.push(p);
      }
    }
    return { traces, outputs };
  }
}

export const vppModel: DataplaneModel = {
  name: 'vpp',
  async instantiate(scenarioPath: string): Promise<VppInstance> {
    return new VppInstance(loadScenario(scenarioPath));
  },
};
