// ip4-local and ip4-udp-lookup (vpp-facts §5.4): local delivery; UDP goes to the node registered
// for its destination port (4789 -> vxlan4-input), a port nobody listens on is answered with an ICMP
// port unreachable through ip4-icmp-error.

import type { VlibBuffer } from '../buffer.js';
import type { GraphNode, Next, Vm } from '../graph.js';
import { decode, headerOnly, udpLookupRecord } from '../records.js';

/** udp_register_dst_port: the ports VPP listens on in this model. */
const UDP_LISTENERS: Record<number, string> = { 4789: 'vxlan4-input' };

/** sizeof (ip4_header_t): what udp_local.c steps over, whatever the IHL (options never get here, §5.1). */
const IP4_HEADER_BYTES = 20;
const UDP_HEADER_BYTES = 8;
/** ICMP4_destination_unreachable / ICMP4_destination_unreachable_port_unreachable. */
const ICMP_DEST_UNREACHABLE = 3;
const ICMP_PORT_UNREACHABLE = 3;

/**
 * ip4_local_inline (vpp-dev/vpp src/vnet/ip/ip4_forward.c, the Contiv 18.01 fork) starts every
 * packet at error IP4_ERROR_UNKNOWN_PROTOCOL and files it with ip4-input's error node
 * (`p0->error = error_node->errors[error0]`, error_node = ip4-input); ip4_error.h's string for it.
 */
const UNKNOWN_PROTOCOL = { node: 'ip4-input', text: 'unknown ip protocol' } as const;

export const ip4LocalNode: GraphNode = {
  name: 'ip4-local',
  process(vm: Vm, b: VlibBuffer): Next {
    const p = b.bytes;
    const ip = b.start;
    if (vm.tracing) vm.trace(b, headerOnly('ip4-local', decode(p, ip, 'ip4', 60, ip + b.currentLength), 4));
    // Every packet leaves ip4-local carrying UNKNOWN_PROTOCOL; a UDP packet nobody listens for still
    // carries it when ip4-icmp-error cannot answer (icmp4.c leaves the buffer's error alone).
    b.error = UNKNOWN_PROTOCOL;
    // ICMP is not modelled (ip4-icmp-input / ip4-icmp-echo-request): it takes the unknown-protocol
    // drop, as TCP and every other protocol do here.
    if (p[ip + 9] !== 17) return 'error-drop';
    // ip4-local hands ip4-udp-lookup the IP header (udp_local.c: "ip4/6_local hands us the ip header").
    return 'ip4-udp-lookup';
  },
};

/**
 * udp46_input_inline (FDio/vpp src/vnet/udp/udp_local.c, 18.01 era): advance over the IP header,
 * look the destination port up; no listener: move back to the IP header "so icmp-error can find
 * the ip packet header", ICMP 3/3 data 0 (icmp4_error_set_vnet_buffer), next ip4-icmp-error. The
 * no-listener count goes to the node's counter (vlib_error_count), not to the buffer. The record is
 * written after the decision: `bound` is "next is not icmp-error".
 */
export const ip4UdpLookupNode: GraphNode = {
  name: 'ip4-udp-lookup',
  process(vm: Vm, b: VlibBuffer): Next {
    b.advance(IP4_HEADER_BYTES);
    const p = b.bytes;
    const u = b.start;
    const src = (p[u] << 8) | p[u + 1];
    const dst = (p[u + 2] << 8) | p[u + 3];
    const listener = UDP_LISTENERS[dst];
    if (vm.tracing) vm.trace(b, udpLookupRecord(src, dst, !listener));
    if (!listener) {
      b.advance(-IP4_HEADER_BYTES);
      b.setIcmp(ICMP_DEST_UNREACHABLE, ICMP_PORT_UNREACHABLE, 0);
      return 'ip4-icmp-error';
    }
    // UDP_ERROR_NONE: the packet is fine again.
    b.error = null;
    b.l4HdrOffset = b.currentData;
    b.advance(UDP_HEADER_BYTES);
    return listener;
  },
};
