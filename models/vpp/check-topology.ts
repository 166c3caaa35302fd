// What `dpconform check` asks of a scenario's topology (harness/check: EdgeAware, LinkAware).
//
// Edges: an interface whose far side is an endpoint the scenario does not model - a pod's or the
// host's tap, a NIC not linked to another instance - and whose far side the scenario names by its
// MAC, the static ARP entries (neighbors) on it. Such an interface's received frames are what the
// endpoint sent: check's inputs. One whose neighbours have more than one MAC (a NIC facing several
// hosts) is left to --edge: an edge is told by one source MAC. Interfaces of a link are not edges:
// what enters them is what the peer instance transmitted, which the model predicts itself.
//
// Link peers: the two ends of a `links:` entry share a wire, so a capture at either end holds what
// both transmitted.

import type { Scenario } from './configure.js';
import type { Vm } from './graph.js';
import { macToString } from '../../harness/wire/address.js';

type Device = { node: string; iface: string };

/** Interface kinds facing something outside VPP (loop and vxlan are VPP's own). */
const FACES_OUTSIDE = new Set(['dpdk', 'tap', 'tapcli']);

export function linkPeerOf(scenario: Scenario, device: Device): Device | undefined {
  for (const [a, b] of scenario.links) {
    if (a.instance === device.node && a.interface === device.iface) return { node: b.instance, iface: b.interface };
    if (b.instance === device.node && b.interface === device.iface) return { node: a.instance, iface: a.interface };
  }
  return undefined;
}

/** The edges of a scenario, each with the one MAC its neighbours have (see above). */
export function edgesOf(scenario: Scenario): { node: string; iface: string; mac: string }[] {
  const edges: { node: string; iface: string; mac: string }[] = [];
  for (const vm of scenario.instances.values()) {
    for (const itf of vm.interfaces.values()) {
      if (!FACES_OUTSIDE.has(itf.kind) || linkPeerOf(scenario, { node: vm.name, iface: itf.name })) continue;
      const macs = neighbourMacs(vm, itf.swIfIndex);
      if (macs.size === 1) edges.push({ node: vm.name, iface: itf.name, mac: [...macs][0] });
    }
  }
  return edges;
}

/** The MACs of the static neighbours on an interface: their adjacencies' rewrite destination. */
function neighbourMacs(vm: Vm, swIfIndex: number): Set<string> {
  const macs = new Set<string>();
  for (const adj of vm.adjacencies.values()) if (adj.kind === 'rewrite' && adj.swIfIndex === swIfIndex && adj.link === 'ipv4') macs.add(macToString(adj.rewrite, 0));
  return macs;
}
