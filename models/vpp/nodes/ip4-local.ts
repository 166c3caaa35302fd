// ip4-local and ip4-udp-lookup (vpp-facts §5.4): local delivery; UDP goes to the node registered
// for its destination port (4789 -> vxlan4-input).

import type { VlibBuffer } from '../buffer.js';
import type { GraphNode, Next, Vm } from '../graph.js';
import { decode, headerOnly, udpLookupRecord } from '../records.js';

/** udp_register_dst_port: the ports VPP listens on in this model. */
const UDP_LISTENERS: Record<number, string> = { 4789: 'vxlan4-input' };

export const ip4LocalNode: GraphNode = {
  name: 'ip4-local',
  process(vm: Vm, b: VlibBuffer): Next {
    const p = b.bytes;
    const ip = b.start;
    if (vm.tracing) vm.trace(b, headerOnly('ip4-local', decode(p, ip, 'ip4', 60, ip + b.currentLength), 4));
    const proto = p[ip + 9];
    const ihl = (p[ip] & 0x0f) * 4;
    if (proto !== 17) return vm.drop(b, 'ip4-local', 'ip4 local unknown protocol');
    b.l4HdrOffset = b.currentData + ihl;
    b.advance(ihl);
    return 'ip4-udp-lookup';
  },
};

export const ip4UdpLookupNode: GraphNode = {
  name: 'ip4-udp-lookup',
  process(vm: Vm, b: VlibBuffer): Next {
    const p = b.bytes;
    const u = b.start;
    const src = (p[u] << 8) | p[u + 1];
    const dst = (p[u + 2] << 8) | p[u + 3];
    const listener = UDP_LISTENERS[dst];
    if (vm.tracing) vm.trace(b, udpLookupRecord(src, dst, !listener));
    if (!listener) return vm.drop(b, 'ip4-udp-lookup', 'no listener for dst port');
    b.advance(8);
    return listener;
  },
};
