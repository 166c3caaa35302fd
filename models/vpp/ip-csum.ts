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
 * The four bytes at b[off] as x86 loads them (little-endian), as an int32: an ip_csum_update
 * operand straight from the packet (LE32 of the big-endian field, as swap32 of its value), with no
 * u32 made on the way.
 */
export function loadLe32(b: Uint8Array, off: number): number {
  return b[off] | (b[off + 1] << 8) | (b[off + 2] << 16) | (b[off + 3] << 24);
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
 * ip_csum_update's 64-bit accumulator as one JS number `acc`, exact while |acc| < 2^53 (any
 * realistic sequence of u32 operands): a value >= 0 is itself; a value < 0 stands for 2^64 + acc,
 * which is what a subtraction that borrows past zero leaves. Plain functions over a number, so a
 * per-packet rewrite keeps the accumulator in a register (no object, no field writes).
 */
export function csumBegin(stored: number): number {
  return swap16(stored);
}

/** ip_csum_add_even: t = acc + x; if t < x (wrapped past 2^64) then t += 1. */
export function csumAdd(acc: number, x: number): number {
  const t = acc + (x >>> 0);
  // Only a value standing for 2^64 + acc can wrap, and it wraps exactly when the sum reaches 0.
  return acc < 0 && t >= 0 ? t + 1 : t;
}

/** ip_csum_sub_even: d = acc - x; if d > acc (borrowed past zero) then d -= 1. */
export function csumSub(acc: number, x: number): number {
  const d = acc - (x >>> 0);
  // A negative acc stands for 2^64 + acc: subtracting a u32 from it never borrows.
  return acc >= 0 && d < 0 ? d - 1 : d;
}

export function csumReplace(acc: number, oldValue: number, newValue: number): number {
  return csumSub(csumAdd(acc, oldValue), newValue);
}

/**
 * A whole ip_csum_update of a stored checksum: begin, replace(old1, new1), replace(old2, new2),
 * end. For one field pass 0, 0 as the second pair (adding and subtracting 0 changes nothing).
 * The four steps of csumAdd / csumSub written out flat (each step knows the sign of the
 * accumulator before it, so half the tests drop): one small function of numbers with no call but
 * csumEnd, so the per-packet NAT rewrite inlines all of it. Not inlined, every call passed the
 * accumulator (a double) as a heap number.
 */
export function csumUpdate(stored: number, old1: number, new1: number, old2: number, new2: number): number {
  // acc >= 0 before the first subtraction: it borrows exactly when the difference is negative.
  let acc = swap16(stored) + (old1 >>> 0);
  let t = acc - (new1 >>> 0);
  acc = t < 0 ? t - 1 : t;
  t = acc + (old2 >>> 0);
  acc = acc < 0 && t >= 0 ? t + 1 : t;
  t = acc - (new2 >>> 0);
  return csumEnd(acc >= 0 && t < 0 ? t - 1 : t);
}

/**
 * csumUpdate of one field (begin, replace(oldValue, newValue), end): the address-only update of
 * the IP header checksum, in half csumUpdate's code, so the rewrite doing both updates stays within
 * V8's inlining budget.
 */
export function csumUpdateField(stored: number, oldValue: number, newValue: number): number {
  // acc >= 0 before the subtraction: it borrows exactly when the difference is negative.
  const t = swap16(stored) + (oldValue >>> 0) - (newValue >>> 0);
  return csumEnd(t < 0 ? t - 1 : t);
}

/**
 * A multiple of 0xffff above 2^21 > |high half| of any acc below 2^53: added to a fold sum it keeps
 * the sum positive without changing it mod 0xffff.
 */
const FOLD_BIAS = 0xffff * 33;

/**
 * Fold to 16 bits and return the stored (BE) checksum: VPP's fold of the u64 v (64 -> 32 once,
 * then 32 -> 16 three times). The fold keeps v mod 0xffff (2^16 = 1 mod 0xffff) and turns a
 * non-zero v into a non-zero result of at most 0xffff, so it is 0 for v = 0 and otherwise the one
 * value in 1..0xffff congruent to v - which int32 arithmetic finds from v's 16-bit pieces and one
 * remainder (no division of a double, no floor; small enough for V8 to inline into the NAT
 * rewrite twice; test/vpp-perf/nat-csum.test.ts checks it against the u64 arithmetic on BigInts).
 */
export function csumEnd(acc: number): number {
  if (acc === 0) return 0;
  // acc = hi * 2^32 + lo; for acc < 0, v = 2^64 + acc, and 2^64 = 1 (mod 0xffff).
  const lo = acc >>> 0;
  const v = (lo & 0xffff) + (lo >>> 16) + (((acc - lo) / 0x100000000) | 0) + (acc < 0 ? 1 : 0) + FOLD_BIAS;
  return swap16(1 + ((v - 1) % 0xffff));
}

/**
 * ip_csum_update accumulator over LE-loaded operands (vpp-facts §8.8). Start with `begin(stored)`,
 * apply `replace(old, new)` per changed field in code order, then `end()` gives the stored value.
 * Operands: addresses as LE32 (swap32 of the BE value), ports and lengths as LE16 (swap16).
 * The chaining form of the csum* functions above.
 */
export class IpCsum {
  private acc = 0;

  static begin(stored: number): IpCsum {
    return new IpCsum().reset(stored);
  }

  /**
   * The one shared accumulator, restarted at `stored`: for an update that begins and ends before
   * any other `scratch` call, so no accumulator is allocated.
   */
  static scratch(stored: number): IpCsum {
    return SCRATCH.reset(stored);
  }

  private reset(stored: number): this {
    this.acc = csumBegin(stored);
    return this;
  }

  /** ip_csum_add_even. */
  add(x: number): this {
    this.acc = csumAdd(this.acc, x);
    return this;
  }

  /** ip_csum_sub_even. */
  sub(x: number): this {
    this.acc = csumSub(this.acc, x);
    return this;
  }

  replace(oldValue: number, newValue: number): this {
    this.acc = csumReplace(this.acc, oldValue, newValue);
    return this;
  }

  end(): number {
    return csumEnd(this.acc);
  }
}

const SCRATCH = new IpCsum();
