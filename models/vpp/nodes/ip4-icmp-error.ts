// ip4-icmp-error (vpp-facts §5.4): records the offending packet at entry, cuts it to 576 bytes,
// prepends a new IPv4 + ICMP header (TTL 255, src = first address of the RX interface, dst = the
// original source), computes the ICMP checksum over the whole message, and routes it (TX ~0); with no
// address on the RX interface the built message is dropped with the buffer's own error.

import { setU16, setU32 } from '../../../harness/wire/bytes.js';
import { internetChecksum } from '../../../harness/wire/checksum.js';
import { NONE, type VlibBuffer } from '../buffer.js';
import type { GraphNode, Next, Vm } from '../graph.js';
import { decode, headerOnly } from '../records.js';

/**
 * The offending packet is cut to 576 bytes BEFORE the 28 bytes of IPv4 + ICMP header go in front, so
 * an error is at most 576 + 28 = 604 bytes (vpp-facts §5.4: "cut to 576 bytes ... and 28 bytes are
 * prepended"; icmp4.c caps current_length at 576, then vlib_buffer_advance(-28)). Pinned by
 * test/vpp-perf/facts.test.ts.
 */
const MAX_QUOTED = 576;

export const ip4IcmpErrorNode: GraphNode = {
  name: 'ip4-icmp-error',
  process(vm: Vm, b: VlibBuffer): Next {
    const p = b.bytes;
    if (vm.tracing) vm.trace(b, headerOnly('ip4-icmp-error', decode(p, b.start, 'ip4', 64, b.start + b.currentLength)));
    const rx = vm.interfaces.get(b.rxSwIfIndex);
    const src = rx?.ip4[0]?.address;
    const origSrc = ((p[b.start + 12] << 24) | (p[b.start + 13] << 16) | (p[b.start + 14] << 8) | p[b.start + 15]) >>> 0;
    if (b.currentLength > MAX_QUOTED) b.currentLength = MAX_QUOTED;
    b.advance(-28);
    const ip = b.start;
    // Every header field but the source is written, address or not (icmp4.c ip4_icmp_error).
    p.fill(0, ip, ip + 12);
    p.fill(0, ip + 16, ip + 28);
    p[ip] = 0x45;
    setU16(p, ip + 2, b.currentLength);
    p[ip + 8] = 255;
    p[ip + 9] = 1;
    if (src !== undefined) setU32(p, ip + 12, src);
    setU32(p, ip + 16, origSrc);
    setU16(p, ip + 10, internetChecksum(p, ip, 20));
    const icmp = ip + 20;
    p[icmp] = b.icmp.type;
    p[icmp + 1] = b.icmp.code;
    setU32(p, icmp + 4, b.icmp.data);
    setU16(p, icmp + 2, internetChecksum(p, icmp, b.currentLength - 20));
    // No IPv4 address on the RX interface: icmp4.c sets next0 = DROP and counts ICMP4_ERROR_DROP on
    // its own node (vlib_error_count) but never writes p0->error, so error-drop prints the error the
    // buffer already carried (`ip4-input: ip4 ttl <= 1`, `ip4-input: unknown ip protocol`).
    if (src === undefined) return 'error-drop';
    // Sent: p0->error is not written on this path either, so a drop further on (an unrouted sender
    // meets the FIB's default drop) still prints the error that made the ICMP error.
    b.txSwIfIndex = NONE;
    return 'ip4-lookup';
  },
};
