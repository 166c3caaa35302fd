// ip4-local and ip4-udp-lookup (vpp-facts §5.4): local delivery; UDP goes to the node registered
// for its destination port (4789 -> vxlan4-input), a port nobody listens on is answered with an ICMP
// port unreachable through ip4-icmp-error; ICMP goes to ip4-icmp-input; a protocol nobody registered
// is punted (ip4-punt).

import { fold16, sum16 } from '../../../harness/wire/checksum.js';
import { BufferFlag, type VlibBuffer } from '../buffer.js';
import type { GraphNode, Next, Vm } from '../graph.js';
import { decode, headerOnly, udpLookupRecord } from '../records.js';
import { inTwoPacketLoop } from './ip4-input.js';

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
 * packet at error IP4_ERROR_UNKNOWN_PROTOCOL, which doubles as "no error found", and files whatever
 * it ends with on ip4-input's error node (`p0->error = error_node->errors[error0]`, error_node =
 * ip4-input); ip4_error.h (18.01 era) gives the strings.
 */
const UNKNOWN_PROTOCOL = { node: 'ip4-input', text: 'unknown ip protocol' } as const;
const BAD_CHECKSUM = {
  6: { node: 'ip4-input', text: 'bad tcp checksum' },
  17: { node: 'ip4-input', text: 'bad udp checksum' },
} as const;
const SPOOFED_LOCAL = { node: 'ip4-input', text: 'ip4 spoofed local-address packet drops' } as const;
const SRC_LOOKUP_MISS = { node: 'ip4-input', text: 'ip4 source lookup miss' } as const;

const ICMP = 1;
const TCP = 6;
const UDP = 17;

/**
 * Where local_next_by_ip_protocol sends a protocol: ip_lookup_init (lookup.c, 18.01 era) starts all
 * 256 at IP_LOCAL_NEXT_PUNT ("Setup all IP protocols to be punted") and sets UDP and ICMP; the
 * Contiv 18.01 fork's ip4-local (vpp-dev/vpp ip4_forward.c) names PUNT `ip4-punt`. ip4_register_protocol
 * adds the others. These have a next node in 18.01 that the model lacks (value: that node):
 */
const HANDLED_BUT_NOT_MODELLED: ReadonlyMap<number, string> = new Map([
  // tcp.c (17.x/18.01-era copy liangfudeng/vpp 667cdb51) registers TCP only in tcp_main_enable, run when
  // the session layer is enabled ("Session layer, and by implication tcp, are disabled by default");
  // whether the Contiv vswitch enabled it is not established, and without it TCP would be punted.
  [TCP, 'tcp4-input'],
  // gre/node.c gre_input_init (same copy), a VLIB_INIT_FUNCTION: `ip4_register_protocol (IP_PROTOCOL_GRE,
  // gre4_input_node.index)`.
  [47, 'gre4-input'],
]);
// IPsec ESP is registered only with the first IPsec tunnel interface (ipsec_if.c, same copy: "1st
// interface, register protocol"), which the model has no configuration for: 50 is punted.
/** ip4_local_inline's protocol for any fragment ("experimental"): no L4 check, never UDP. */
const FRAGMENT_PROTOCOL = 0xfe;

/**
 * ip4_local_inline's checks (vpp-dev/vpp ip4_forward.c, Contiv 18.01 fork), in its order; the first
 * error found stays, and any error sends the packet to IP_LOCAL_NEXT_DROP = ip4-drop (which records
 * and leaves the buffer's error to error-drop). Returns the error, or null when the packet passes.
 */
function localError(vm: Vm, b: VlibBuffer, proto: number): { node: string; text: string } | null {
  const p = b.bytes;
  const ip = b.start;
  // IS_NATED skips the L4 checks only in the one-packet loop (`if (head_of_feature_arc == 0 ||
  // p0->flags & VNET_BUFFER_F_IS_NATED) goto skip_check;`); the two-packet loop runs them and skips
  // only the source checks.
  const nated = (b.flags & BufferFlag.IS_NATED) !== 0;
  if (nated && !inTwoPacketLoop(vm.frame.size, vm.frame.index)) return null;
  if (proto === TCP || proto === UDP) {
    // good = L4_CHECKSUM_CORRECT as the buffer has it; validated (ip4_local_validate_l4) only if not
    // yet COMPUTED: dpdk-input's template flags set both (vpp-facts §4.3), so packets from a dpdk
    // port, VXLAN-decapsulated ones included, are never checked here.
    let good = (b.flags & BufferFlag.L4_CHECKSUM_CORRECT) !== 0;
    if ((b.flags & BufferFlag.L4_CHECKSUM_COMPUTED) === 0) good = validateL4(b, proto);
    // The UDP length test sets IP4_ERROR_UDP_LENGTH and clears `good`, and the next line,
    // `error0 = is_tcp_udp0 && !good_tcp_udp0 ? IP4_ERROR_TCP_CHECKSUM + is_udp0 : error0`,
    // overwrites it: `inconsistent udp/ip lengths` never reaches error-drop from here.
    if (!good) return BAD_CHECKSUM[proto];
  }
  if (nated) return null;
  // Source checks: the source's load-balance in the lookup FIB (TX if set, else the RX interface's).
  const fib = vm.lookupFibIndex(b);
  const src = ((p[ip + 12] << 24) | (p[ip + 13] << 16) | (p[ip + 14] << 8) | p[ip + 15]) >>> 0;
  const lbIndex = vm.fibLookupLb(fib, src);
  b.ipFibIndex = fib;
  b.adjIndexRx = lbIndex;
  b.adjIndexTx = lbIndex;
  const bucket0 = vm.loadBalances.get(lbIndex)?.buckets[0];
  // "the source is a receive => it's from us => bogus", first since it sets a different error.
  if (bucket0?.type === 'receive') return SPOOFED_LOCAL;
  // "uRPF check for any route to source", except to the broadcast address 255.255.255.255.
  const dstIsBroadcast = (p[ip + 16] & p[ip + 17] & p[ip + 18] & p[ip + 19]) === 0xff;
  if (!dstIsBroadcast && urpfIsEmpty(vm, lbIndex)) return SRC_LOOKUP_MISS;
  return null;
}

/**
 * ip4_local_validate_l4 + ip4_tcp_udp_validate_checksum (same file): a UDP checksum of 0 is correct;
 * otherwise the sum over the pseudo-header and the IP payload (total length minus header) must
 * verify. For UDP, the UDP length may not exceed the IP TOTAL length (`len_diff = ip_len - udp_len`,
 * the header included). The buffer keeps L4_CHECKSUM_COMPUTED and the verdict in L4_CHECKSUM_CORRECT.
 */
function validateL4(b: VlibBuffer, proto: number): boolean {
  const p = b.bytes;
  const ip = b.start;
  const headerBytes = (p[ip] & 0x0f) * 4;
  const totalLength = (p[ip + 2] << 8) | p[ip + 3];
  const l4 = ip + headerBytes;
  let correct: boolean;
  if (proto === UDP && p[l4 + 6] === 0 && p[l4 + 7] === 0) correct = true;
  else {
    const payloadLength = totalLength - headerBytes;
    const pseudo = payloadLength + proto + sum16(p, ip + 12, 8);
    correct = fold16(sum16(p, l4, payloadLength, pseudo)) === 0xffff;
  }
  b.flags |= BufferFlag.L4_CHECKSUM_COMPUTED | (correct ? BufferFlag.L4_CHECKSUM_CORRECT : 0);
  if (proto !== UDP) return correct;
  const udpLength = (p[l4 + 4] << 8) | p[l4 + 5];
  return correct && totalLength - udpLength >= 0;
}

/**
 * fib_urpf_check_size (lb->lb_urpf) == 0: the entry's uRPF list holds the interfaces its paths
 * resolve through (fib_path.c fib_path_contribute_urpf, read in a later FDio/vpp copy: attached and
 * attached-next-hop paths add their interface, a recursive path its via entry's list, a special path
 * only what its DPO names, the drop DPO nothing). In the model: an adjacency names an interface, a
 * nested load-balance is the via entry, a drop DPO (the FIB's default route included) names none.
 */
function urpfIsEmpty(vm: Vm, lbIndex: number): boolean {
  const bucket0 = vm.loadBalances.get(lbIndex)?.buckets[0];
  if (!bucket0 || bucket0.type === 'drop') return true;
  if (bucket0.type === 'lb') return urpfIsEmpty(vm, bucket0.index);
  return false;
}

export const ip4LocalNode: GraphNode = {
  name: 'ip4-local',
  process(vm: Vm, b: VlibBuffer): Next {
    const p = b.bytes;
    const ip = b.start;
    if (vm.tracing) vm.trace(b, headerOnly('ip4-local', decode(p, ip, 'ip4', 60, ip + b.currentLength), 4));
    const isFragment = (((p[ip + 6] << 8) | p[ip + 7]) & 0x3fff) !== 0;
    const proto = isFragment ? FRAGMENT_PROTOCOL : p[ip + 9];
    const error = localError(vm, b, proto);
    if (error) {
      b.error = error;
      return 'ip4-drop';
    }
    // Every packet that passes leaves ip4-local carrying UNKNOWN_PROTOCOL; a UDP packet nobody
    // listens for still carries it when ip4-icmp-error cannot answer (icmp4.c leaves the error alone).
    b.error = UNKNOWN_PROTOCOL;
    // ip4-local hands ip4-udp-lookup the IP header (udp_local.c: "ip4/6_local hands us the ip header").
    if (proto === UDP) return 'ip4-udp-lookup';
    // ip_lookup_init: IP_LOCAL_NEXT_ICMP, `ip4-icmp-input` (ip4-icmp-echo.ts). Not for a NATed packet:
    // ip4-local skips its source lookup for one, which is what writes adj_index[TX], and an echo
    // reply leaves by ip4-load-balance on that index; what it holds then (ip4-lookup's receive DPO
    // index, read as a load-balance index) is no behaviour to model: these keep the unknown-protocol drop.
    if (proto === ICMP) return (b.flags & BufferFlag.IS_NATED) === 0 ? 'ip4-icmp-input' : 'error-drop';
    // Not VPP's path: the real next node is not modelled, so these keep the unknown-protocol drop.
    if (HANDLED_BUT_NOT_MODELLED.has(proto)) return 'error-drop';
    // next0 = local_next_by_ip_protocol[proto0] = IP_LOCAL_NEXT_PUNT (ip4-punt) for a protocol nobody
    // registered, the fragment pseudo-protocol 0xfe included.
    return 'ip4-punt';
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
