// Internet checksums, in one place: the RFC 1071 sum, the RFC 1624 incremental update, and the
// pseudo-headers of RFC 768/793 (IPv4) and RFC 8200 §8.1 (IPv6). Dataplane-specific variants of the
// incremental update (VPP's ip_csum_update, Linux's csum_replace) live with their models and are
// property-tested against these.

/** Ones'-complement sum of 16-bit big-endian words, not folded, not complemented. An odd final byte is padded with zero. */
export function sum16(b: Uint8Array, off = 0, len = b.length - off, initial = 0): number {
  let s = initial;
  const end = off + len;
  let i = off;
  for (; i + 1 < end; i += 2) s += (b[i] << 8) | b[i + 1];
  if (i < end) s += b[i] << 8;
  return s;
}

/** Fold a wide sum to 16 bits with end-around carry. */
export function fold16(s: number): number {
  while (s > 0xffff) s = (s & 0xffff) + Math.floor(s / 0x10000);
  return s;
}

/** RFC 1071: the checksum to store = complement of the folded sum (computed with the checksum field at zero). */
export function internetChecksum(b: Uint8Array, off = 0, len = b.length - off, initial = 0): number {
  return ~fold16(sum16(b, off, len, initial)) & 0xffff;
}

/** True when data including its stored checksum sums to 0xffff (a valid RFC 1071 checksum). */
export function verifiesTo0xffff(b: Uint8Array, off = 0, len = b.length - off, initial = 0): boolean {
  return fold16(sum16(b, off, len, initial)) === 0xffff;
}

/**
 * RFC 1624 eqn. 3: HC' = ~(~HC + ~m + m'), for one 16-bit word changing from m to m'.
 * It avoids the -0 result of eqn. 2 (RFC 1624 §3); Linux (csum_replace2) and VPP (ip_csum_update)
 * are built on it.
 */
export function incrementalUpdate16(hc: number, oldWord: number, newWord: number): number {
  return ~fold16((~hc & 0xffff) + (~oldWord & 0xffff) + (newWord & 0xffff)) & 0xffff;
}

/** RFC 1624 eqn. 3 for a 32-bit field (an IPv4 address): two 16-bit word updates. */
export function incrementalUpdate32(hc: number, oldValue: number, newValue: number): number {
  const s = (~hc & 0xffff) + (~(oldValue >>> 16) & 0xffff) + (~oldValue & 0xffff) + ((newValue >>> 16) & 0xffff) + (newValue & 0xffff);
  return ~fold16(s) & 0xffff;
}

/** RFC 1624 eqn. 3 over a byte range that changed from oldBytes to newBytes (even length, word aligned). */
export function incrementalUpdateBytes(hc: number, oldBytes: Uint8Array, newBytes: Uint8Array): number {
  let s = ~hc & 0xffff;
  for (let i = 0; i + 1 < oldBytes.length; i += 2) {
    s += ~((oldBytes[i] << 8) | oldBytes[i + 1]) & 0xffff;
    s += (newBytes[i] << 8) | newBytes[i + 1];
  }
  return ~fold16(s) & 0xffff;
}

/** Unfolded sum of the IPv4 pseudo-header (src, dst, zero, protocol, L4 length). */
export function pseudoHeaderSum4(b: Uint8Array, srcOff: number, dstOff: number, protocol: number, l4Length: number): number {
  return sum16(b, srcOff, 4) + sum16(b, dstOff, 4) + protocol + l4Length;
}

/** Unfolded sum of the IPv6 pseudo-header (src, dst, 32-bit upper-layer length, next header). */
export function pseudoHeaderSum6(b: Uint8Array, srcOff: number, dstOff: number, nextHeader: number, l4Length: number): number {
  return sum16(b, srcOff, 16) + sum16(b, dstOff, 16) + Math.floor(l4Length / 0x10000) + (l4Length & 0xffff) + nextHeader;
}

/**
 * The transport checksum to store over an L4 segment with its checksum field zeroed.
 * UDP (RFC 768; RFC 8200 §8.1): a computed 0x0000 is sent as 0xffff, since 0 means "no checksum".
 */
export function transportChecksum(b: Uint8Array, l4Off: number, l4Len: number, pseudoSum: number, isUdp: boolean): number {
  const c = internetChecksum(b, l4Off, l4Len, pseudoSum);
  return isUdp && c === 0 ? 0xffff : c;
}

/**
 * The pseudo-header sum for an L4 segment under the IP header at `ipOff` (version from its first
 * nibble). For IPv6 the destination is the fixed header's: a routing header's final destination
 * (RFC 8200 §8.1) is the caller's business.
 */
export function pseudoHeaderSumAt(b: Uint8Array, ipOff: number, protocol: number, l4Length: number): number {
  return b[ipOff] >> 4 === 6
    ? pseudoHeaderSum6(b, ipOff + 8, ipOff + 24, protocol, l4Length)
    : pseudoHeaderSum4(b, ipOff + 12, ipOff + 16, protocol, l4Length);
}

/** RFC 1071 verification of an L4 segment carrying its checksum, with its pseudo-header sum. */
export function transportChecksumValid(b: Uint8Array, l4Off: number, l4Len: number, pseudoSum: number): boolean {
  return verifiesTo0xffff(b, l4Off, l4Len, pseudoSum);
}

/** What a UDP checksum field says (RFC 768; RFC 8200 §8.1: zero is not allowed over IPv6). */
export type UdpChecksumStatus = 'none' | 'valid' | 'invalid' | 'zero-over-ipv6';

export function udpChecksumStatus(b: Uint8Array, l4Off: number, l4Len: number, pseudoSum: number, overIpv6: boolean): UdpChecksumStatus {
  const stored = (b[l4Off + 6] << 8) | b[l4Off + 7];
  if (stored === 0) return overIpv6 ? 'zero-over-ipv6' : 'none';
  return verifiesTo0xffff(b, l4Off, l4Len, pseudoSum) ? 'valid' : 'invalid';
}

/**
 * RFC 1624 eqn. 3 for a UDP checksum: a stored 0 (no checksum, IPv4 only) stays 0, and a result of
 * 0x0000 is sent as 0xffff (RFC 768), as it would be after a full recompute.
 */
export function udpIncrementalUpdate16(hc: number, oldWord: number, newWord: number): number {
  if (hc === 0) return 0;
  const r = incrementalUpdate16(hc, oldWord, newWord);
  return r === 0 ? 0xffff : r;
}

/** As udpIncrementalUpdate16 for a 32-bit field (an IPv4 address under NAT). */
export function udpIncrementalUpdate32(hc: number, oldValue: number, newValue: number): number {
  if (hc === 0) return 0;
  const r = incrementalUpdate32(hc, oldValue, newValue);
  return r === 0 ? 0xffff : r;
}

/** Same value in ones'-complement arithmetic: 0x0000 and 0xffff are both zero. */
export function onesComplementEqual(a: number, b: number): boolean {
  return a === b || (a === 0 && b === 0xffff) || (a === 0xffff && b === 0);
}

/**
 * The checksum to store over [off, off+len) (plus `initial`, a pseudo-header sum) with the 16-bit
 * checksum field at `fieldOff` taken as zero. The buffer is left as it was.
 */
export function checksumWithFieldZeroed(b: Uint8Array, off: number, len: number, fieldOff: number, initial = 0): number {
  const hi = b[fieldOff];
  const lo = b[fieldOff + 1];
  b[fieldOff] = 0;
  b[fieldOff + 1] = 0;
  const c = internetChecksum(b, off, len, initial);
  b[fieldOff] = hi;
  b[fieldOff + 1] = lo;
  return c;
}
