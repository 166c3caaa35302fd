// The contract between the conformance harness and a reference model. A model is a graph of small
// named nodes (see models/<dataplane>/); the harness only needs to build one from a scenario, push
// packets in, and read back the stages each packet went through.

import type { Packet } from './wire/packet.js';
import type { PacketTrace } from './stage.js';

/** Where a packet enters a model. Which fields matter depends on the model. */
export interface InjectionPoint {
  /** Which dataplane instance (a VPP host name such as `k8s-master`, a namespace...). */
  instance?: string;
  /** The first node, e.g. `virtio-input`, `dpdk-input`, `tapcli-rx`. */
  node?: string;
  /** The receiving interface or device name, e.g. `tap2`, `GigabitEthernet0/8/0`, `qr-1234`. */
  interface?: string;
}

/** What one injected packet produced. */
export interface Injection {
  /** Stage traces, in the order the dataplane would print them (one per dataplane instance it crossed). */
  traces: PacketTrace[];
  /** Packets the model sent out, with the device/interface in meta.interfaceName. */
  outputs: Packet[];
}

export interface ModelInstance {
  /** Push one packet through the model's state (sessions, flows, learned MACs persist across calls). */
  inject(packet: Packet, at: InjectionPoint): Injection;
  /**
   * After the last input: what the model's own timers still do (a neighbour's ARP retransmits and
   * its failure, say), up to `untilNs` - the end of the capture the outputs are compared with (all
   * pending timers when undefined). Models without timers leave it out. Inputs carry the clock: a
   * timer due before an input fires within that input's injection.
   */
  finish?(untilNs?: bigint): Injection;
  /**
   * Where the outcome of packets so far rests on a choice the model made because the real
   * dataplane's source leaves it open (when a timer-driven cleanup runs, say): one line each, said to
   * the user beside the results (replay, run, check). None: an empty list or no method.
   */
  assumptions?(): string[];
}

export interface DataplaneModel {
  /** Stable name used in case.yaml `model:` (`vpp`, `neutron-dvr`, `contrail-vrouter`, `midonet-fip64`). */
  readonly name: string;
  /** Build a fresh instance from a scenario file; scenario errors are InputErrors naming file, line and key. */
  instantiate(scenarioPath: string): Promise<ModelInstance>;
}
