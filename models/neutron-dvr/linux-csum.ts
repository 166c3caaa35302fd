// The kernel's own checksum arithmetic, so the model's bytes are the kernel's bytes.
//  - ip_decrease_ttl (include/net/ip.h): check += htons(0x0100); check += (check >= 0xffff).
//    On a little-endian CPU the u32 add happens on the byte-swapped word, so the "carry" test
//    looks at the swapped value; we do the same arithmetic on the swapped value.
//  - csum_replace4 / csum_replace2 (include/net/checksum.h): RFC 1624 eqn. 3, ~(~HC + ~m + m'),
//    what nf_nat uses for addresses and ports when the packet's checksum is complete.

import { incrementalUpdate16, incrementalUpdate32 } from '../../harness/wire/checksum.js';

const swap16 = (v: number): number => ((v & 0xff) << 8) | (v >>> 8);

/** The IPv4 header checksum after ip_decrease_ttl, as an x86 kernel computes it. */
export function ipDecreaseTtlChecksum(check: number): number {
  let c = swap16(check) + swap16(0x0100); // the __sum16 as the CPU loads it, plus htons(0x0100)
  c = (c + (c >= 0xffff ? 1 : 0)) & 0xffff;
  return swap16(c);
}

/** Decrement the TTL at ipOff in place with the kernel's checksum update. Returns the new TTL. */
export function ipDecreaseTtl(b: Uint8Array, ipOff: number): number {
  const check = (b[ipOff + 10] << 8) | b[ipOff + 11];
  const c = ipDecreaseTtlChecksum(check);
  b[ipOff + 10] = c >>> 8;
  b[ipOff + 11] = c & 0xff;
  return --b[ipOff + 8];
}

export function csumReplace4(check: number, from: number, to: number): number {
  return incrementalUpdate32(check, from >>> 0, to >>> 0);
}

export function csumReplace2(check: number, from: number, to: number): number {
  return incrementalUpdate16(check, from, to);
}
