// VPP's checksum arithmetic (vpp-facts §5.3, §8.8). VPP works on values as x86 loads them from the
// packet (little-endian), so these take and return the *stored* network-order checksum and convert
// at the edges. They differ from RFC 1624 in corner cases (0xffff/0x0000), which traces show.

/** Exchange the bytes of a u16. */
export function swap16(v: number): number {
  return ((v & 0xff) << 8) | ((v >>> 8) & 0xff);
}

/** LE32 of a big-endian u32 value (vpp-facts §0): 10.1.1.12 (0x0a01010c) -> 0x0c01010a. */
export function swap32(v: number): number {
  return (((v & 0xff) << 24) | ((v & 0xff00) << 8) | ((v >>> 8) & 0xff00) | ((v >>> 24) & 0xff)) >>> 0;
}

/**
 * ip4-rewrite's TTL checksum fix: ones'-complement +0x0100 on the network value, computed as
 * `r = swap16(stored) + 1; if r >= 0xffff then r += 1`, so a raw 0xffff becomes 0x0000.
 */
export function ttlDecrementChecksum(stored: number): number {
  let r = swap16(stored) + 1;
  if (r >= 0xffff) r += 1;
  return swap16(r & 0xffff);
}

/**
 * ip_csum_update accumulator over LE-loaded operands (vpp-facts §8.8). Start with `begin(stored)`,
 * apply `replace(old, new)` per changed field in code order, then `end()` gives the stored value.
 * Operands: addresses as LE32 (swap32 of the BE value), ports and lengths as LE16 (swap16).
 * Uses two 32-bit halves so the 64-bit add-with-carry/sub-with-borrow is exact without BigInt.
 */
export class IpCsum {
  private hi = 0;
  private lo = 0;

  static begin(stored: number): IpCsum {
    return new IpCsum().reset(stored);
  }

  /**
   * The one shared accumulator, restarted at `stored`: for an update that begins and ends before
   * any other `scratch` call (the per-packet rewrites), so no accumulator is allocated per packet.
   */
  static scratch(stored: number): IpCsum {
    return SCRATCH.reset(stored);
  }

  private reset(stored: number): this {
    this.hi = 0;
    this.lo = swap16(stored);
    return this;
  }

  /** ip_csum_add_even: t = acc + x; if t < x then t += 1 (64-bit). */
  add(x: number): this {
    const lo = this.lo + (x >>> 0);
    let hi = this.hi + (lo > 0xffffffff ? 1 : 0);
    let newLo = lo >>> 0;
    let carry = false;
    if (hi > 0xffffffff) {
      hi = hi >>> 0;
      carry = true;
    }
    if (carry) {
      // wrapped mod 2^64: t < x, so add 1
      const l2 = newLo + 1;
      hi = (hi + (l2 > 0xffffffff ? 1 : 0)) >>> 0;
      newLo = l2 >>> 0;
    }
    this.hi = hi;
    this.lo = newLo;
    return this;
  }

  /** ip_csum_sub_even: d = acc - x; if d > acc then d -= 1 (64-bit). */
  sub(x: number): this {
    x = x >>> 0;
    let lo = this.lo - x;
    let hi = this.hi;
    if (lo < 0) {
      lo += 0x100000000;
      hi -= 1;
    }
    if (hi < 0) {
      // borrowed past zero: wrap mod 2^64 and subtract 1 more
      hi += 0x100000000;
      lo -= 1;
      if (lo < 0) {
        lo += 0x100000000;
        hi -= 1;
      }
    }
    this.hi = hi >>> 0;
    this.lo = lo >>> 0;
    return this;
  }

  replace(oldValue: number, newValue: number): this {
    return this.add(oldValue).sub(newValue);
  }

  /** Fold to 16 bits (64 -> 32 once, then three 32 -> 16 steps) and return the stored (BE) checksum. */
  end(): number {
    let acc = this.lo + this.hi;
    for (let i = 0; i < 3; i++) acc = (acc & 0xffff) + Math.floor(acc / 0x10000);
    return swap16(acc & 0xffff);
  }
}

const SCRATCH = new IpCsum();
