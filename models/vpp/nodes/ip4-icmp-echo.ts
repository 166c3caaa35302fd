// ip4-icmp-input and ip4-icmp-echo-request: an ICMP packet to one of VPP's own addresses, and VPP's
// echo reply to a ping of that address. Source: icmp4.c ip4_icmp_input / ip4_icmp_echo_request /
// icmp4_init and icmp4.h (17.x/18.01-era copy liangfudeng/vpp @667cdb51; the Contiv fork vpp-dev/vpp
// has no copy of icmp4.c in the index, so the fork's own text could not be compared).

import type { VlibBuffer } from '../buffer.js';
import { BufferFlag } from '../buffer.js';
import type { GraphNode, Next, Vm } from '../graph.js';
import { csumUpdate, csumUpdateField } from '../ip-csum.js';
import { decode, headerOnly } from '../records.js';
import { markIpIdUnknown } from '../unknown-ip-id.js';

const ICMP4_ECHO_REPLY = 0;
const ICMP4_ECHO_REQUEST = 8;

/**
 * ip4_icmp_input writes `p0->error = node->errors[ICMP4_ERROR_UNKNOWN_TYPE]` on every packet it
 * sees, the echo request included (icmp4.h foreach_icmp4_error: "unknown type"); nothing after it
 * on the echo path writes another, so a reply dropped further on prints this one.
 */
const UNKNOWN_TYPE = { node: 'ip4-icmp-input', text: 'unknown type' } as const;

/**
 * vnet_main.local_interface_sw_if_index: local0, which vnet_main_init creates first (index 0).
 * ip4_icmp_echo_request makes it the reply's RX interface, so ip4-load-balance's record names its
 * FIB (0) whatever VRF the request came in on.
 */
const LOCAL0_SW_IF_INDEX = 0;

/** ip4_init: `ip4_main.host_config.ttl = 64` ("Default TTL for packets we generate"). */
const HOST_CONFIG_TTL = 64;

/**
 * Both nodes trace with vlib_trace_frame_buffers_only over sizeof (icmp_input_trace_t) = 64 bytes
 * (icmp4.h `u8 packet_data[64]`) from the IP header, at entry, formatted by format_icmp_input_trace
 * = format_ip4_header: as ip4-icmp-error's record.
 */
function icmpInputRecord(node: string, b: VlibBuffer) {
  return headerOnly(node, decode(b.bytes, b.start, 'ip4', 64, b.start + b.currentLength));
}

/**
 * ip4_input_next_index_by_type: icmp4_init sets all 256 to ICMP_INPUT_NEXT_ERROR (`error-punt`)
 * and registers echo_request; ping.c ping_cli_init (same era) registers echo_reply
 * (`ip4_icmp_register_type (vm, ICMP4_echo_reply, ip4_icmp_echo_reply_node.index)`):
 * ip4-icmp-echo-reply.ts.
 */
export const ip4IcmpInputNode: GraphNode = {
  name: 'ip4-icmp-input',
  process(vm: Vm, b: VlibBuffer): Next {
    if (vm.tracing) vm.trace(b, icmpInputRecord('ip4-icmp-input', b));
    const type = b.bytes[b.start + (b.bytes[b.start] & 0x0f) * 4];
    b.error = UNKNOWN_TYPE;
    if (type === ICMP4_ECHO_REQUEST) return 'ip4-icmp-echo-request';
    if (type === ICMP4_ECHO_REPLY) return 'ip4-icmp-echo-reply';
    return 'error-punt';
  },
};

/**
 * ip4_icmp_echo_request (one-packet loop; the two-packet loop does the same per packet): records the
 * request at entry, RX := local0, ICMP type 8 -> 0 with ip_csum_update of the ICMP checksum (code,
 * identifier, sequence and data kept; the checksum is not verified anywhere on the way), source and
 * destination swapped ("Does not change checksum"), TTL := host_config.ttl and the IP id := a
 * random u16 from vm->random_buffer, each with ip_csum_update of the header checksum; flags/DF and
 * TOS kept. LOCALLY_ORIGINATED (ip4-rewrite skips the TTL decrement); next ip4-load-balance, which
 * follows adj_index[TX]: the load-balance ip4-local's source check found for the request's source.
 *
 * The random buffer is seeded with clib_cpu_time_now () unless the startup config says `seed`
 * (vlib/main.c vlib_main, same copy), and every user of it since start moves it on: the IP id, and
 * the header checksum over it, are not computable from configuration and input. The model writes a
 * stand-in 0 and marks both unknown (unknown-ip-id.ts).
 */
export const ip4IcmpEchoRequestNode: GraphNode = {
  name: 'ip4-icmp-echo-request',
  process(vm: Vm, b: VlibBuffer): Next {
    if (vm.tracing) vm.trace(b, icmpInputRecord('ip4-icmp-echo-request', b));
    const p = b.bytes;
    const ip = b.start;
    const icmp = ip + (p[ip] & 0x0f) * 4;
    b.rxSwIfIndex = LOCAL0_SW_IF_INDEX;
    // ip_csum_update (sum0, ICMP4_echo_request, ICMP4_echo_reply, icmp46_header_t, type): the type
    // is the first byte of a 16-bit word, so the operands are its LE16 (type in the low byte).
    setChecksum(p, icmp + 2, csumUpdateField(getChecksum(p, icmp + 2), ICMP4_ECHO_REQUEST, ICMP4_ECHO_REPLY));
    p[icmp] = ICMP4_ECHO_REPLY;
    // Swap source and destination ("Does not change checksum").
    for (let i = ip + 12; i < ip + 16; i++) {
      const t = p[i];
      p[i] = p[i + 4];
      p[i + 4] = t;
    }
    // One accumulator for both header updates, folded once: TTL (the first byte of its word, so its
    // LE16 operand is the TTL itself), then the fragment id (a u16 field: LE16 of its bytes).
    const standInId = 0;
    setChecksum(p, ip + 10, csumUpdate(getChecksum(p, ip + 10), p[ip + 8], HOST_CONFIG_TTL, p[ip + 4] | (p[ip + 5] << 8), standInId));
    p[ip + 8] = HOST_CONFIG_TTL;
    p[ip + 4] = standInId >> 8;
    p[ip + 5] = standInId & 0xff;
    markIpIdUnknown(b, ip);
    b.flags |= BufferFlag.LOCALLY_ORIGINATED;
    return 'ip4-load-balance';
  },
};

function getChecksum(p: Uint8Array, at: number): number {
  return (p[at] << 8) | p[at + 1];
}

function setChecksum(p: Uint8Array, at: number, stored: number): void {
  p[at] = stored >> 8;
  p[at + 1] = stored & 0xff;
}
