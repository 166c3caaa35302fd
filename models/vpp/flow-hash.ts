// VPP's IPv4 flow hash (ip4_compute_flow_hash, Bob Jenkins lookup3 mix/final on u32; vpp-facts §7.1)
// and the L2 flow hash VXLAN encap uses for the outer UDP source port (§7.1 "L2 flow hash").

import { swap32 } from './ip-csum.js';

export const FlowHashConfig = {
  SRC_ADDR: 0x01,
  DST_ADDR: 0x02,
  PROTO: 0x04,
  SRC_PORT: 0x08,
  DST_PORT: 0x10,
  REVERSE: 0x20,
  DEFAULT: 0x1f,
} as const;

const rotl = (x: number, r: number): number => ((x << r) | (x >>> (32 - r))) >>> 0;

/** lookup3 mix + final over (a, b, c); returns c. */
export function hashMixFinal(a: number, b: number, c: number): number {
  a >>>= 0;
  b >>>= 0;
  c >>>= 0;
  // mix: X -= Y; X ^= rotl(Y, r); Y += Z, over (a,c,b),(b,a,c),(c,b,a) twice
  a = (a - c) >>> 0; a = (a ^ rotl(c, 4)) >>> 0; c = (c + b) >>> 0;
  b = (b - a) >>> 0; b = (b ^ rotl(a, 6)) >>> 0; a = (a + c) >>> 0;
  c = (c - b) >>> 0; c = (c ^ rotl(b, 8)) >>> 0; b = (b + a) >>> 0;
  a = (a - c) >>> 0; a = (a ^ rotl(c, 16)) >>> 0; c = (c + b) >>> 0;
  b = (b - a) >>> 0; b = (b ^ rotl(a, 19)) >>> 0; a = (a + c) >>> 0;
  c = (c - b) >>> 0; c = (c ^ rotl(b, 4)) >>> 0; b = (b + a) >>> 0;
  // final: X ^= Y; X -= rotl(Y, r)
  c = (c ^ b) >>> 0; c = (c - rotl(b, 14)) >>> 0;
  a = (a ^ c) >>> 0; a = (a - rotl(c, 11)) >>> 0;
  b = (b ^ a) >>> 0; b = (b - rotl(a, 25)) >>> 0;
  c = (c ^ b) >>> 0; c = (c - rotl(b, 16)) >>> 0;
  a = (a ^ c) >>> 0; a = (a - rotl(c, 4)) >>> 0;
  b = (b ^ a) >>> 0; b = (b - rotl(a, 14)) >>> 0;
  c = (c ^ b) >>> 0; c = (c - rotl(b, 24)) >>> 0;
  return c;
}

/** LE32 load of 4 bytes. */
function le32(p: Uint8Array, off: number): number {
  return (p[off] | (p[off + 1] << 8) | (p[off + 2] << 16) | (p[off + 3] << 24)) >>> 0;
}

/** LE16 load of 2 bytes (= swap16 of the network value). */
function le16(p: Uint8Array, off: number): number {
  return p[off] | (p[off + 1] << 8);
}

/** ip4_compute_flow_hash over the IPv4 header at `ip` in `p`. Ports are read at ip+20, IHL ignored. */
export function ip4FlowHash(p: Uint8Array, ip: number, config = FlowHashConfig.DEFAULT as number): number {
  const proto = p[ip + 9];
  let a = config & FlowHashConfig.SRC_ADDR ? le32(p, ip + 12) : 0;
  let b = config & FlowHashConfig.DST_ADDR ? le32(p, ip + 16) : 0;
  if (config & FlowHashConfig.REVERSE) [a, b] = [b, a];
  if (config & FlowHashConfig.PROTO) b = (b ^ proto) >>> 0;
  let c = 0;
  if (proto === 6 || proto === 17) {
    const sp = config & FlowHashConfig.SRC_PORT ? le16(p, ip + 20) : 0;
    const dp = config & FlowHashConfig.DST_PORT ? le16(p, ip + 22) : 0;
    c = config & FlowHashConfig.REVERSE ? ((sp << 16) | dp) >>> 0 : ((dp << 16) | sp) >>> 0;
  }
  return hashMixFinal(a, b, c);
}

/**
 * vnet_l2_compute_flow_hash over the Ethernet frame at `eth` (l2 header length `l2Len`, ethertype at
 * l2Len - 2): IPv4 -> ip4FlowHash with the default config; others hash the MAC tails and ethertype.
 * (IPv6 is not in the seed and is left to the IPv6 model.)
 */
export function l2FlowHash(p: Uint8Array, eth: number, l2Len = 14): number {
  const ethertype = (p[eth + l2Len - 2] << 8) | p[eth + l2Len - 1];
  if (ethertype === 0x0800) return ip4FlowHash(p, eth + l2Len, FlowHashConfig.DEFAULT);
  const a = le32(p, eth + 2);
  const b = le32(p, eth + 8);
  return hashMixFinal(a, b, ethertype);
}

export { swap32 };
