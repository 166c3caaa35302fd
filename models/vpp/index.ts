// The VPP 18.01 reference model as a DataplaneModel: a scenario's instances, wired together by its
// links; a packet injected into one instance runs to completion, and a frame it transmits on a
// linked interface enters the peer instance (so one SYN yields the client's and the server's
// node traces, in that order).

import type { DataplaneModel, Injection, InjectionPoint, ModelInstance } from '../../harness/model.js';
import type { DeviceAware } from '../../harness/check/known-devices.js';
import type { EdgeAware, EdgeDevice } from '../../harness/check/check.js';
import type { LinkAware } from '../../harness/check/output-devices.js';
import { edgesOf, linkPeerOf } from './check-topology.js';
import type { PacketTrace } from '../../harness/stage.js';
import type { Packet } from '../../harness/wire/packet.js';
import { InputError } from '../../harness/io/input-error.js';
import type { FrameBatch } from '../../harness/io/frames.js';
import { VlibBuffer } from './buffer.js';
import { loadScenario, type Scenario } from './configure.js';
import type { FaultName, FrameGroup, Vm, VppPlugin, Wire } from './graph.js';
import type { SwInterface } from './state.js';
import { plugins } from './plugins.js';
import { PrefetchPolicy, type PrefetchMode } from './prefetch-policy.js';
import { FlowCache, type FrameBuffers } from './flow-cache.js';
import { markIpIdUnknown } from './unknown-ip-id.js';

/** Packets whose session slots are read ahead together (more would evict the first ones' lines). */
const PREFETCH_GROUP = 32;

/**
 * The part of harness/io's FrameBatch (readCaptureFrames) the model reads: frame i is
 * bytes[start[i], start[i] + length[i]), arrived on interfaces[interfaceId[i]].
 */
export type CapturedFrames = Pick<FrameBatch, 'bytes' | 'count' | 'start' | 'length' | 'interfaceId' | 'interfaces'> & Partial<Pick<FrameBatch, 'timestampMs'>>;

const INPUT_NODE: Record<SwInterface['kind'], string> = {
  dpdk: 'dpdk-input',
  tap: 'virtio-input',
  tapcli: 'tapcli-rx',
  loop: 'ethernet-input',
  vxlan: 'l2-input',
};

export class VppInstance implements ModelInstance, DeviceAware, EdgeAware, LinkAware {
  private readonly peers = new Map<string, { vm: Vm; itf: SwInterface }>();
  /** A buffer reused from packet to packet while tracing is off (its trace list is not kept then). */
  private spare: VlibBuffer | undefined;
  /** Per instance, the wire its transmit calls: a frame out of a linked interface joins `crossing`. */
  private readonly wires = new Map<Vm, Wire>();
  private readonly crossing: Array<{ vm: Vm; itf: SwInterface; frame: Uint8Array; unknownIpIdAt: number | undefined }> = [];
  /** Which instance made each trace / sent each packet of the last inject (parallel to its results). */
  private lastTraces: PacketTrace[] = [];
  private lastOutputs: Packet[] = [];
  private readonly lastTraceVm: string[] = [];
  private readonly lastOutputVm: string[] = [];

  constructor(readonly scenario: Scenario) {
    for (const [a, b] of scenario.links) {
      const ea = this.end(a.instance, a.interface);
      const eb = this.end(b.instance, b.interface);
      this.peers.set(`${a.instance}/${a.interface}`, eb);
      this.peers.set(`${b.instance}/${b.interface}`, ea);
    }
    for (const vm of scenario.instances.values()) {
      const ends = new Map<SwInterface, { vm: Vm; itf: SwInterface }>();
      for (const itf of vm.interfaces.values()) {
        const peer = this.peers.get(`${vm.name}/${itf.name}`);
        if (peer) ends.set(itf, peer);
      }
      // Linked interfaces by sw_if_index too: transmit asks `links` per frame, and `ends` is keyed
      // by the interface object (a hash lookup per packet; ~2% of the hit path, measured).
      const linked: (SwInterface | undefined)[] = [];
      for (const itf of ends.keys()) linked[itf.swIfIndex] = itf;
      if (ends.size)
        this.wires.set(vm, {
          links: (out) => linked[out.swIfIndex] === out,
          send: (out, frame, unknownIpIdAt) => {
            const peer = ends.get(out);
            if (peer) this.crossing.push({ vm: peer.vm, itf: peer.itf, frame, unknownIpIdAt });
          },
        });
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

  /** Every interface of every instance, the instance as node (harness/check DeviceAware): a capture golden naming another is refused. */
  assumptions(): string[] {
    const said: string[] = [];
    for (const vm of this.scenario.instances.values()) for (const p of plugins) if (p.assumptions) said.push(...p.assumptions(vm));
    return said;
  }

  devices(): { node: string; iface: string }[] {
    return [...this.scenario.instances.values()].flatMap((vm) => [...vm.interfacesByName.keys()].map((iface) => ({ node: vm.name, iface })));
  }

  /** The devices whose received frames are `check`'s inputs (check-topology.ts: unlinked taps/NICs facing one MAC). */
  edges(): EdgeDevice[] {
    return edgesOf(this.scenario);
  }

  /** The other end of a `links:` wire (a capture there holds what both ends sent). */
  linkPeer(device: { node: string; iface: string }): { node: string; iface: string } | undefined {
    return linkPeerOf(this.scenario, device);
  }

  /** A transmitted frame names its interface alone (graph.ts: meta.interfaceName is itf.name), not its instance. */
  outputName(device: { node: string; iface: string }): string {
    return device.iface;
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

  /**
   * The instance that made this trace or sent this packet, for the results of the LAST inject
   * (a WeakMap over every output costs the replay hot path more than the model itself).
   */
  instanceOf(x: PacketTrace | Packet): string | undefined {
    const t = this.lastTraces.indexOf(x as PacketTrace);
    if (t >= 0) return this.lastTraceVm[t];
    const o = this.lastOutputs.indexOf(x as Packet);
    return o >= 0 ? this.lastOutputVm[o] : undefined;
  }

  /** The interface of an instance with this hw_if_index (what virtio/tapcli records print). */
  interfaceByHwIndex(instance: string | undefined, hwIfIndex: number): string | undefined {
    for (const itf of this.vm(instance).interfaces.values()) if (itf.hwIfIndex === hwIfIndex) return itf.name;
    return undefined;
  }

  /**
   * Inject packets one after another (each runs to completion exactly as by inject), reading first,
   * for each group of PREFETCH_GROUP packets, the session-hash slots their lookups will touch: on a
   * million-session replay those lookups miss the cache, and reads issued back to back overlap
   * where reads made packet by packet wait one after the other (as long as `prefetchPolicy` measures
   * that it pays: on a small working set it does not). `each` sees every packet's result
   * before the next packet runs (results are the same objects inject returns).
   */
  injectBatch(packets: readonly Packet[], at: InjectionPoint, each: (result: Injection, packet: Packet) => void): void {
    this.packetGroups(packets, at, (p) => each(this.inject(p, at), p));
  }

  /**
   * injectBatch for a caller that keeps nothing the packets produce (a replay that counts, a load
   * generator): the packets run exactly as by inject, but no output Packet, no copy of a frame that
   * leaves the scenario, no trace list and no result object is made. Returns the number of frames
   * transmitted (those crossing a link to another instance included, as inject lists them).
   */
  injectCounting(packets: readonly Packet[], at: InjectionPoint): number {
    return this.counting(() => this.packetGroups(packets, at, (p) => this.pass(p, at, false)));
  }

  /**
   * injectCounting for frames read straight out of a capture's file buffers (harness/io
   * readCaptureFrames): no Packet object or view is made per frame, and a timestamp only where a
   * group of frames spans more than a millisecond (groupTimes). Each frame enters at `at`, or at the
   * interface its capture names when `at` names none.
   */
  injectFramesCounting(frames: CapturedFrames, at: InjectionPoint): number {
    return this.counting(() => this.frameGroups(frames, at));
  }

  /**
   * injectFramesCounting for a caller that writes out what the frames transmit (replay --format
   * pcap): the same run (tracing is the caller's to switch off), and after frame i has run,
   * `each(i, outputs, instances)` hears the packets it made the instances transmit, in order, and
   * the instance that sent each (both lists are scratch, valid until `each` returns).
   */
  injectFrames(frames: CapturedFrames, at: InjectionPoint, each: FrameOutputs): void {
    this.frameGroups(frames, at, each);
  }

  /**
   * groups() for a capture's frames, written out with no per-frame closure call (a call through a
   * closure is V8's CallFunction builtin, ~12 ns per frame on the replay path, measured): each group
   * is described, read ahead, then its frames passed one by one.
   */
  private frameGroups(frames: CapturedFrames, at: InjectionPoint, each?: FrameOutputs): void {
    const collect = each !== undefined;
    const vm = this.vm(at.instance);
    const hooks = this.prefetchHooks(at);
    const fixed = at.interface !== undefined ? vm.interfacesByName.get(at.interface) : undefined;
    const { count, bytes, start, length, interfaceId } = frames;
    const names = frames.interfaces;
    // The capture's interfaces (frames name theirs by index) resolved to the instance's once per
    // call, not by name per frame: a capture of both directions alternates interfaces frame by
    // frame, and the Map lookups were ~3% of such a replay. A name the instance lacks stays
    // undefined and fails in passRegion when its frame comes, as before.
    const byId = at.interface === undefined ? interfacesNamed(vm, names) : NO_INTERFACES;
    const group = this.group;
    const policy = this.prefetchPolicy;
    const measured = hooks.length > 0;
    const stamps = this.usesClock() ? frames.timestampMs : undefined;
    if (stamps === undefined) this.clockMs = NaN;
    this.groupEndMs = NaN;
    // Paused however the loop ends: the time until the next call is not the model's.
    try {
      for (let first = 0; first < count; first += PREFETCH_GROUP) {
        const end = Math.min(count, first + PREFETCH_GROUP);
        // One time for the whole group where it lies within a millisecond, else a time per frame.
        const perFrame = stamps !== undefined && this.groupTimes(frames, first, end - 1);
        if (measured && policy.beginGroup()) {
          group.count = end - first;
          for (let i = first; i < end; i++) {
            const k = i - first;
            group.bytes[k] = bytes;
            group.start[k] = start[i];
            group.length[k] = length[i];
            group.rx[k] = (fixed ?? byId[interfaceId[i]])?.swIfIndex ?? -1;
          }
          this.prefetch(vm, hooks);
        }
        // With the injection point naming the interface, the frame's own is never looked at: the
        // point is resolved once for the group.
        if (at.interface !== undefined) {
          this.resolve(at, undefined);
          for (let i = first; i < end; i++) {
            if (perFrame) this.clockMs = stamps!.call(frames, i);
            this.passResolved(bytes, start[i], length[i], at.node, collect);
            if (collect) each(i, this.sent, this.lastOutputVm);
          }
        } else
          for (let i = first; i < end; i++) {
            if (perFrame) this.clockMs = stamps!.call(frames, i);
            const itf = byId[interfaceId[i]];
            if (itf === undefined) this.passRegion(bytes, start[i], length[i], names[interfaceId[i]]?.name, at, collect);
            else {
              this.resolveTo(at, vm, itf);
              this.passResolved(bytes, start[i], length[i], at.node, collect);
            }
            if (collect) each(i, this.sent, this.lastOutputVm);
          }
        if (measured) policy.endGroup(end - first);
      }
    } finally {
      policy.pause();
    }
  }

  /**
   * The time of frames [first, last] of a capture, where one time does for all: the last frame's,
   * when it lies in the millisecond of the previous group's last frame or of this group's first (a
   * capture in time order: every frame between lies in it too; one read per group for the
   * benchmarked replay's frame per us). Returns whether the group needs a time per frame instead.
   */
  private groupTimes(frames: CapturedFrames, first: number, last: number): boolean {
    const b = frames.timestampMs!(last);
    const same = b === this.groupEndMs || b === frames.timestampMs!(first);
    this.groupEndMs = b;
    if (same) this.clockMs = b;
    return !same;
  }

  /** The millisecond of the last frame of the previous group of the current frameGroups call. */
  private groupEndMs = NaN;

  /** Does any instance keep timers (vm.usesClock)? Only then are capture timestamps read. */
  private usesClock(): boolean {
    for (const vm of this.scenario.instances.values()) if (vm.usesClock) return true;
    return false;
  }

  /** The time of the packet being injected (vm.nowMs): ms since the epoch, NaN for none. */
  private clockMs = NaN;

  /** Run `inject` with no outputs kept; the number of frames the instances transmitted meanwhile. */
  private counting(inject: () => void): number {
    const instances = [...this.scenario.instances.values()];
    let sent = 0;
    for (const vm of instances) {
      vm.keepOutputs = false;
      sent -= vm.transmitted;
      this.flowCacheOf(vm).beginRun();
    }
    this.countingRun = true;
    try {
      inject();
    } finally {
      this.countingRun = false;
      for (const vm of instances) {
        vm.keepOutputs = true;
        sent += vm.transmitted;
      }
    }
    return sent;
  }

  /** groups() over Packets. */
  private packetGroups(packets: readonly Packet[], at: InjectionPoint, run: (packet: Packet) => void): void {
    const group = this.group;
    this.groups(
      packets.length,
      at,
      (i, k) => {
        const data = packets[i].data;
        group.bytes[k] = data;
        group.start[k] = 0;
        group.length[k] = data.length;
        return packets[i].meta.interfaceName;
      },
      (i) => run(packets[i]),
    );
  }

  /**
   * Run `run(i)` for i in [0, count) in groups of PREFETCH_GROUP, each group's session slots read
   * ahead first by the plugins' prefetch hooks where the policy says so: `describe(i, k)` puts
   * frame i in slot k of the group and returns the name of the interface it arrived on (used when
   * `at` names none).
   */
  private groups(count: number, at: InjectionPoint, describe: (i: number, k: number) => string | undefined, run: (i: number) => void): void {
    const vm = this.vm(at.instance);
    const hooks = this.prefetchHooks(at);
    const fixed = at.interface !== undefined ? vm.interfacesByName.get(at.interface) : undefined;
    const group = this.group;
    const policy = this.prefetchPolicy;
    const measured = hooks.length > 0;
    try {
      for (let start = 0; start < count; start += PREFETCH_GROUP) {
        const end = Math.min(count, start + PREFETCH_GROUP);
        if (measured && policy.beginGroup()) {
          group.count = end - start;
          for (let i = start; i < end; i++) group.rx[i - start] = this.rxOf(vm, fixed, describe(i, i - start));
          this.prefetch(vm, hooks);
        }
        for (let i = start; i < end; i++) run(i);
        if (measured) policy.endGroup(end - start);
      }
    } finally {
      policy.pause();
    }
  }

  /** The plugins' prefetch hooks, unless the injection point is a node (no input node runs then). */
  private prefetchHooks(at: InjectionPoint): VppPlugin[] {
    const hooks: VppPlugin[] = [];
    if (at.node === undefined) for (const p of plugins) if (p.prefetch !== undefined) hooks.push(p);
    return hooks;
  }

  /** The sw_if_index a group's frame arrives on (`fixed` by the injection point, else by name), -1 if none. */
  private rxOf(vm: Vm, fixed: SwInterface | undefined, name: string | undefined): number {
    return (fixed ?? (name !== undefined ? vm.interfacesByName.get(name) : undefined))?.swIfIndex ?? -1;
  }

  /** Run the hooks over the described group, then let go of its frames (a Packet's data must not outlive the call). */
  private prefetch(vm: Vm, hooks: readonly VppPlugin[]): void {
    for (let h = 0; h < hooks.length; h++) this.prefetchSink ^= hooks[h].prefetch!(vm, this.group);
    // Stores, not Array.prototype.fill: that is a call into V8's C++ runtime per group.
    const bytes = this.group.bytes;
    for (let k = 0; k < bytes.length; k++) bytes[k] = NO_BYTES;
  }

  /**
   * Whether a group's session slots are read ahead (prefetch-policy.ts: measured, as it pays on
   * tables bigger than the caches and costs on small ones; never changes a result).
   */
  readonly prefetchPolicy = new PrefetchPolicy();

  /** `auto` (measured, the default), or prefetch always / never: tests and A/B measurements. */
  setPrefetch(mode: PrefetchMode): void {
    this.prefetchPolicy.mode = mode;
  }

  /** Where prefetch reads go (kept so the reads are not dead code). */
  private prefetchSink = 0;
  /** The frames of the group being prefetched. */
  private readonly group: FrameGroup = {
    count: 0,
    bytes: new Array<Uint8Array>(PREFETCH_GROUP).fill(NO_BYTES),
    start: new Int32Array(PREFETCH_GROUP),
    length: new Int32Array(PREFETCH_GROUP),
    rx: new Int32Array(PREFETCH_GROUP),
  };

  /**
   * Refuse `packet` at `at` as inject would (no such instance, interface or graph node), without
   * running it: a replay that writes its output as it runs checks every input first, so bad input
   * is one line and no output, as when nothing was written before the last packet had run.
   */
  requireInjectionPoint(packet: Packet, at: InjectionPoint): void {
    this.resolve(at, packet.meta.interfaceName);
  }

  /** The last injection point resolved (a replay injects packet after packet at the same one). */
  private atInstance: string | undefined;
  private atIfName: string | undefined;
  private atVm: Vm | undefined;
  private atItf: SwInterface | undefined;

  private resolve(at: InjectionPoint, frameIfName: string | undefined): void {
    const ifName = at.interface ?? frameIfName;
    if (this.atVm !== undefined && at.instance === this.atInstance && ifName === this.atIfName) {
      // Only a packet rebuilt from a VPP trace names a node to enter at: a lookup per packet there.
      if (at.node !== undefined) this.requireNode(this.atVm, at.node);
      return;
    }
    const vm = this.vm(at.instance);
    if (ifName === undefined)
      throw new InputError(`the input names no interface of instance ${vm.name} for its packets: say which one (--interface / at.interface; it has ${[...vm.interfacesByName.keys()].join(', ')})`, { file: this.scenario.file }, 'replay.interface');
    const itf = vm.interfacesByName.get(ifName);
    if (!itf) throw new InputError(`instance ${vm.name} has no interface '${ifName}'`, { file: this.scenario.file }, 'replay.interface');
    if (at.node !== undefined) this.requireNode(vm, at.node);
    this.resolveTo(at, vm, itf);
  }

  /** A node to enter at (`--node`, or a trace's first node) that the graph lacks is bad input, not a model fault. */
  private requireNode(vm: Vm, node: string): void {
    if (!vm.hasNode(node)) throw new InputError(`instance ${vm.name} has no graph node '${node}'`, { file: this.scenario.file }, 'replay.node');
  }

  /**
   * Use the per-flow path cache (flow-cache.ts) on untraced counting runs? On by default: it is
   * exact (test/vpp-perf/flow-cache.test.ts compares runs with and without it). Off: every packet
   * runs the graph.
   */
  setFlowCache(on: boolean): void {
    this.flowCacheOn = on;
    if (!on) for (const c of this.flowCaches.values()) c.clear();
  }

  private flowCacheOn = true;
  /** Inside counting(): the only runs the flow cache takes part in (no frame kept, no caller code between packets). */
  private countingRun = false;
  /** Per instance, its flow cache (made on first use). */
  private readonly flowCaches = new Map<Vm, FlowCache>();

  /** The flow cache of `vm`. */
  flowCacheOf(vm: Vm): FlowCache {
    let c = this.flowCaches.get(vm);
    if (c === undefined) this.flowCaches.set(vm, (c = new FlowCache(vm)));
    return c;
  }

  /** Make `itf` of `vm` (the instance `at` names) the resolved injection point. */
  private resolveTo(at: InjectionPoint, vm: Vm, itf: SwInterface): void {
    // Kept even when nothing else changes: resolve() compares the point's instance name first.
    this.atInstance = at.instance;
    if (itf === this.atItf && vm === this.atVm) return;
    this.atIfName = itf.name;
    if (vm !== this.atVm) {
      this.atWire = this.wires.get(vm) ?? null;
      this.atFlowCache = this.flowCacheOf(vm);
    }
    this.atVm = vm;
    this.atItf = itf;
    this.atInputNode = INPUT_NODE[itf.kind];
  }

  /** The input node of the resolved interface's kind (a load keyed by a variable string is a generic lookup: once, not per packet). */
  private atInputNode = '';

  /** The wire of the resolved injection point's instance. */
  private atWire: Wire | null = null;
  /** The flow cache of the resolved injection point's instance. */
  private atFlowCache: FlowCache | undefined;

  inject(packet: Packet, at: InjectionPoint): Injection {
    const traces = this.pass(packet, at, true);
    // An exact-size copy: the scratch list is reused by the next inject.
    const outputs = this.sent.slice();
    this.lastTraces = traces;
    this.lastOutputs = outputs;
    return { traces, outputs };
  }

  /**
   * One packet through the scenario: into its instance, then every frame it sends across a link into
   * the peer instance. With `collect`, its traces are returned and its outputs left in `sent`, each
   * with the instance it came from; without, nothing of them is kept (injectCounting).
   */
  private pass(packet: Packet, at: InjectionPoint, collect: boolean): PacketTrace[] {
    this.clockMs = this.usesClock() ? msOf(packet.meta.timestampNs) : NaN;
    return this.passRegion(packet.data, 0, packet.data.length, packet.meta.interfaceName, at, collect);
  }

  /** pass() of the frame `bytes[start, start + length)` that arrived on interface `ifName`. */
  private passRegion(bytes: Uint8Array, start: number, length: number, ifName: string | undefined, at: InjectionPoint, collect: boolean): PacketTrace[] {
    this.resolve(at, ifName);
    return this.passResolved(bytes, start, length, at.node, collect);
  }

  /** passRegion at the injection point resolved last, entering at `node` (or the interface's input node). */
  private passResolved(bytes: Uint8Array, start: number, length: number, node: string | undefined, collect: boolean): PacketTrace[] {
    // Frames crossing a link enter the peer after this packet's run (breadth first, as two VPPs on a
    // wire would see them).
    const queue = this.crossing;
    clear(queue);
    if (collect) {
      clear(this.lastTraceVm);
      clear(this.lastOutputVm);
      clear(this.sent);
    }
    const sent = this.sent;
    // No trace list is made unless an instance traces (NO_TRACES is shared and frozen).
    let traces: PacketTrace[] = NO_TRACES;
    let vm = this.atVm!;
    let itf = this.atItf!;
    let next = node ?? this.atInputNode;
    let wire = this.atWire;
    // The flow cache takes the frame entering at its interface's input node of an untraced run
    // (flow-cache.ts); after a miss, the graph's run teaches it the flow. Outside a counting run the
    // caller's code runs between packets (and may change the configuration): each packet is a run.
    const cache = this.flowCacheOn && node === undefined && !vm.tracing && vm.faults.size === 0 ? this.atFlowCache! : undefined;
    if (cache !== undefined && !this.countingRun) cache.beginRun();
    // Where a crossing frame holds an IP id its sender did not know (undefined for the injected one).
    let unknownIpIdAt: number | undefined;
    for (let hops = 0; ; hops++) {
      if (hops > 16) throw new Error('frames bounced between instances more than 16 times');
      // A frame crossing a link reaches the peer at the time it was sent.
      vm.nowMs = this.clockMs;
      const out = vm.outputs;
      const before = out.length;
      vm.wire = wire;
      let b: VlibBuffer | undefined;
      if (hops === 0 && cache !== undefined) {
        if (!cache.forward(itf, bytes, start, length, this.frameBuffers)) b = this.runGraph(vm, itf, bytes, start, length, next, undefined, cache);
      } else b = this.runGraph(vm, itf, bytes, start, length, next, unknownIpIdAt, undefined);
      vm.wire = null;
      // (A traced packet never takes the flow cache: b is there.)
      if (vm.tracing && collect) {
        if (traces === NO_TRACES) traces = [];
        this.lastTraceVm.push(vm.name);
        traces.push({ stages: b!.trace });
      }
      for (let i = before; i < out.length; i++) {
        this.lastOutputVm.push(vm.name);
        sent.push(out[i]);
      }
      while (out.length > before) out.pop();
      if (queue.length === 0) break;
      const job = queue.shift()!;
      ({ vm, itf } = job);
      bytes = job.frame;
      start = 0;
      length = job.frame.length;
      unknownIpIdAt = job.unknownIpIdAt;
      next = INPUT_NODE[itf.kind];
      wire = this.wires.get(vm) ?? null;
    }
    return traces;
  }

  /**
   * One frame through `vm`'s graph from node `next` (the buffer reused while tracing is off), its IP
   * id unknown at `unknownIpIdAt` (a crossing frame's; undefined: known); with `cache`, the flow
   * cache learns from a run that transmitted one frame and sent none across.
   */
  private runGraph(vm: Vm, itf: SwInterface, bytes: Uint8Array, start: number, length: number, next: string, unknownIpIdAt: number | undefined, cache: FlowCache | undefined): VlibBuffer {
    const spare = this.spare;
    const b = VlibBuffer.refillFrom(vm.tracing ? undefined : spare, bytes, start, length);
    // Stored only when it is another buffer: an object store per packet costs a write barrier.
    if (b !== spare) this.spare = b;
    b.rxSwIfIndex = itf.swIfIndex;
    if (unknownIpIdAt !== undefined) markIpIdUnknown(b, b.start + unknownIpIdAt);
    const sentBefore = vm.transmitted;
    vm.run(b, next);
    if (cache !== undefined && vm.transmitted === sentBefore + 1 && this.crossing.length === 0) cache.learn(itf, bytes, start, length, b.txSwIfIndex);
    return b;
  }

  /** Buffers for the frames the flow cache makes (the reused buffer: the cache runs untraced only). */
  private readonly frameBuffers: FrameBuffers = {
    refill: (bytes, start, length) => {
      const spare = this.spare;
      const b = VlibBuffer.refillFrom(spare, bytes, start, length);
      if (b !== spare) this.spare = b;
      return b;
    },
  };

  /** This inject's transmitted packets, in order (scratch, copied into the result). */
  private readonly sent: Packet[] = [];
}

/** What injectFrames hands out per frame: its index in the batch, its transmitted packets, the instance of each. */
export type FrameOutputs = (frame: number, outputs: readonly Packet[], instances: readonly string[]) => void;

const NO_TRACES: PacketTrace[] = Object.freeze([]) as unknown as PacketTrace[];
const NO_BYTES = new Uint8Array(0);
const NO_INTERFACES: readonly (SwInterface | undefined)[] = [];

/**
 * The instance's interface for each capture interface name (undefined where it has none), built by
 * push and not by `names.map`: an array `map` makes is holey when TurboFan inlines the call and
 * packed when the builtin runs, so its map flipped between batches and each flip threw away the
 * optimised replay loop (a "wrong map" deopt: the next ~4,000 packets ran at ~14 us each until it
 * was compiled again; the warm-up as a whole measured no different without them). prefetchHooks
 * builds its list by push too, rather than trust `filter` to make one kind of array either way.
 */
function interfacesNamed(vm: Vm, names: readonly ({ name?: string } | undefined)[]): (SwInterface | undefined)[] {
  const byId: (SwInterface | undefined)[] = [];
  for (let i = 0; i < names.length; i++) {
    const name = names[i]?.name;
    byId.push(name !== undefined ? vm.interfacesByName.get(name) : undefined);
  }
  return byId;
}

/** A capture timestamp (ns since the epoch) as whole ms, NaN for none. */
function msOf(ns: bigint | undefined): number {
  return ns === undefined ? NaN : Number(ns / 1_000_000n);
}

/** Empty an array in place: pop is inlined by the JIT, `length = 0` is a runtime call per packet. */
function clear(a: unknown[]): void {
  while (a.length > 0) a.pop();
}

export const vppModel: DataplaneModel = {
  name: 'vpp',
  async instantiate(scenarioPath: string): Promise<VppInstance> {
    return new VppInstance(loadScenario(scenarioPath));
  },
};
