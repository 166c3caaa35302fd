// ip4-rewrite (vpp-facts §5.3): TTL decrement with VPP's checksum fix, expiry to ip4-icmp-error,
// the L2 rewrite written in front of the IP header (even on error), the MTU check without a DF
// test, then the ip4-output feature arc of the adjacency's interface. Records after processing.

import { u32ToIp4 } from '../../../harness/wire/address.js';
import { hex } from '../../../harness/wire/bytes.js';
import { BufferFlag, NONE, type VlibBuffer } from '../buffer.js';
import { Fault, type GraphNode, type Next, type Vm } from '../graph.js';
import { ttlDecrementChecksum } from '../ip-csum.js';
import { rewriteRecord } from '../records.js';
import type { Adjacency } from '../state.js';
import type { Adjacency as TraceAdjacency } from '../../../harness/vpp-trace/format/adjacency.js';

/** The adjacency as format_ip_adjacency shows it (formatted by harness/vpp-trace). */
export function traceAdjacency(vm: Vm, adj: Adjacency): TraceAdjacency {
  const ifName = vm.interface(adj.swIfIndex).name;
  if (adj.kind === 'glean') return { kind: 'glean', link: adj.link, ifName };
  if (adj.kind === 'incomplete') return { kind: 'incomplete', link: adj.link, nextHop: u32ToIp4(adj.nextHop), ifName };
  return { kind: 'rewrite', link: adj.link, nextHop: u32ToIp4(adj.nextHop), ifName, rewrite: hex(adj.rewrite) };
}

/**
 * ip4-rewrite's TTL decrement of the IPv4 header at p[ip]: VPP's incremental checksum fix, then the
 * TTL less one; returns that TTL (0 or less: expired). Also the flow cache's (../flow-cache.ts).
 */
export function decrementTtl(vm: Vm, p: Uint8Array, ip: number): number {
  if (!vm.hasFault(Fault.IP4_CHECKSUM_UPDATE)) {
    const c = ttlDecrementChecksum((p[ip + 10] << 8) | p[ip + 11]);
    p[ip + 10] = c >> 8;
    p[ip + 11] = c & 0xff;
  }
  const t = p[ip + 8] - 1;
  if (!vm.hasFault(Fault.TTL_DECREMENT)) p[ip + 8] = t & 0xff;
  return t;
}

/** The adjacency's L2 rewrite `rw` written in front of the IP header at p[ip]. Also the flow cache's. */
export function writeL2Rewrite(vm: Vm, p: Uint8Array, ip: number, rw: Uint8Array): void {
  if (!vm.hasFault(Fault.MAC_REWRITE)) p.set(rw, ip - rw.length);
  else p.set(rw.subarray(12), ip - 2);
}

export const ip4RewriteNode: GraphNode = {
  name: 'ip4-rewrite',
  process(vm: Vm, b: VlibBuffer): Next {
    const p = b.bytes;
    const ip = b.start;
    const adj = vm.adjacencies.get(b.adjIndexTx);
    if (!adj) return vm.drop(b, 'ip4-input', 'ip4 drop');
    let next: string | null = null;
    let error: string | null = null;
    if (b.flags & BufferFlag.LOCALLY_ORIGINATED) b.flags &= ~BufferFlag.LOCALLY_ORIGINATED;
    else {
      const t = decrementTtl(vm, p, ip);
      if (t <= 0) {
        error = 'ip4 ttl <= 1';
        next = 'ip4-icmp-error';
        b.txSwIfIndex = NONE;
        b.setIcmp(11, 0, 0);
      }
    }
    // L2 rewrite in front of the IP header, even on error (current data only moves when all is well).
    const rw = adj.rewrite;
    writeL2Rewrite(vm, p, ip, rw);
    b.saveRewriteLength = rw.length;
    // next0 starts as IP4_REWRITE_NEXT_DROP, registered as "ip4-drop" (the node's only other next is
    // ip4-icmp-error: no ip4-frag in 18.01), and an expired packet keeps its icmp-error next
    // (vpp-dev/vpp ip4_forward.c @ 529f3af, ip4_rewrite_inline).
    if (b.currentLength > adj.maxL3PacketBytes) {
      error = 'ip4 MTU exceeded and DF set';
      next ??= 'ip4-drop';
    }
    if (error) b.error = { node: 'ip4-input', text: error };
    else {
      b.advance(-rw.length);
      b.txSwIfIndex = adj.swIfIndex;
      next = vm.featureStart(b, 'ip4-output', adj.swIfIndex, vm.outputNodeName(adj.swIfIndex));
    }
    if (vm.tracing) {
      const tx = b.txSwIfIndex !== NONE ? b.txSwIfIndex : (vm.interfaces.get(b.rxSwIfIndex)?.fibIndex ?? 0);
      const dump = adj.kind === 'rewrite' ? p.slice(b.start, b.start + 60) : null;
      vm.trace(b, rewriteRecord(tx, adj.index, traceAdjacency(vm, adj), b.flowHash, dump));
    }
    return next;
  },
};
