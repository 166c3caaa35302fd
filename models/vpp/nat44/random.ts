// VPP's random_u32 (vppinfra random.h): a 32-bit LCG, seed := 1664525*seed + 1013904223 mod 2^32,
// returning the new seed. The NAT plugin's seed is a global that is never initialised, so it starts at
// 0, and one generator is shared by load-balanced backend picks and dynamic port allocation
// (vpp-facts §8.6). Every draw therefore shifts every later port and backend choice.

export class NatRandom {
  /**
   * The state as an int32 (the same 32 bits): an integer field that never leaves the small-integer
   * range, so advancing it allocates nothing (a u32 above 2^31 would be a boxed double).
   */
  private state: number;

  /** @param seed the generator state; 0 for a freshly started VPP. */
  constructor(seed = 0) {
    this.state = seed | 0;
  }

  /** The generator state as VPP's u32 seed. */
  get seed(): number {
    return this.state >>> 0;
  }

  set seed(value: number) {
    this.state = value | 0;
  }

  /** The next value (the new seed). */
  next(): number {
    // Math.imul keeps the product's low 32 bits exactly; | 0 wraps the sum mod 2^32 as int32.
    this.state = (Math.imul(1664525, this.state) + 1013904223) | 0;
    return this.state >>> 0;
  }

  /** Advance `n` draws: history before the modelled packets, set by tests only (a scenario never sets it). */
  skip(n: number): void {
    for (let i = 0; i < n; i++) this.next();
  }
}
