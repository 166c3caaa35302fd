// Packet rewrites NAT44 does, with VPP's checksum arithmetic (vpp-facts §8.3-§8.8):
//   - the IP checksum gets the address change only;
//   - TCP: the address then the port change, in one accumulator, folded once;
//   - UDP: the port is replaced and the checksum set to 0 (never updated);
//   - nothing is complemented, so results can be 0xffff where a recomputation gives 0x0000.

import { u16, u32, setU16, setU32 } from '../../../harness/wire/bytes.js';
import { IpProtocol } from '../../../harness/wire/ipv4.js';
import { csumUpdate, csumUpdateField, loadLe32, swap16, swap32 } from '../ip-csum.js';

/** Offsets of fields in an IPv4 header / its L4 header. */
export const IP4_SRC = 12;
export const IP4_DST = 16;
export const IP4_CSUM = 10;
export const L4_SRC_PORT = 0;
export const L4_DST_PORT = 2;
export const TCP_CSUM = 16;
export const UDP_CSUM = 6;

export function ip4HeaderLength(b: Uint8Array, ip: number): number {
  return (b[ip] & 0x0f) * 4;
}

export interface RewriteOptions {
  /** Fault injection: leave every checksum as it was (stale). */
  staleChecksums?: boolean;
}

/**
 * Rewrite the source (`side` 'src') or destination address and L4 port of the packet whose IPv4
 * header starts at `ip`. For ICMP only the address changes here (see icmp.ts).
 */
export function natRewrite(b: Uint8Array, ip: number, side: 'src' | 'dst', newAddr: number, newPort: number, opts: RewriteOptions = {}): void {
  const addrOff = ip + (side === 'src' ? IP4_SRC : IP4_DST);
  // The address as ip_csum_update reads it (LE32), before and after, once for both checksums:
  // loaded from the packet, the smallest code for it (the rewrite stays within V8's inlining
  // budget, so the checksum updates compile into it whole).
  const oldLe = loadLe32(b, addrOff);
  setU32(b, addrOff, newAddr);
  const newLe = loadLe32(b, addrOff);
  const fresh = !opts.staleChecksums;
  if (fresh) setU16(b, ip + IP4_CSUM, csumUpdateField(u16(b, ip + IP4_CSUM), oldLe, newLe));
  const proto = b[ip + 9];
  const l4 = ip + ip4HeaderLength(b, ip);
  const portOff = l4 + (side === 'src' ? L4_SRC_PORT : L4_DST_PORT);
  if (proto === IpProtocol.TCP) {
    const oldPort = u16(b, portOff);
    setU16(b, portOff, newPort);
    if (fresh) setU16(b, l4 + TCP_CSUM, csumUpdate(u16(b, l4 + TCP_CSUM), oldLe, newLe, swap16(oldPort), swap16(newPort)));
  } else if (proto === IpProtocol.UDP) {
    setU16(b, portOff, newPort);
    // vpp-facts §8.7: every NAT44 rewrite of UDP zeroes the checksum instead of updating it.
    if (fresh) setU16(b, l4 + UDP_CSUM, 0);
  }
}

/** Address-only rewrite (unknown protocols): the IP checksum only. */
export function natRewriteAddress(b: Uint8Array, ip: number, side: 'src' | 'dst', newAddr: number, opts: RewriteOptions = {}): void {
  const addrOff = ip + (side === 'src' ? IP4_SRC : IP4_DST);
  const oldAddr = u32(b, addrOff);
  setU32(b, addrOff, newAddr);
  if (!opts.staleChecksums) setU16(b, ip + IP4_CSUM, csumUpdateField(u16(b, ip + IP4_CSUM), swap32(oldAddr), swap32(newAddr)));
}
