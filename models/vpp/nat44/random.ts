// VPP's random_u32 (vppinfra random.h): a 32-bit LCG, seed := 1664525*seed + 1013904223 mod 2^32,
// returning the new seed. The NAT plugin's seed is a global that is never initialised, so it starts at
// 0, and one generator is shared by load-balanced backend picks and dynamic port allocation
// (vpp-facts §8.6). Every draw therefore shifts every later port and backend choice.

export class NatRandom {
  /** @param seed the generator state; 0 for a freshly started VPP. */
  constructor(public seed = 0) {}

  /** The next value (the new seed). */
  next(): number {
    // Math.imul keeps the product's low 32 bits exactly; the sum stays below 2^53.
    this.seed = (Math.imul(1664525, this.seed) + 1013904223) >>> 0;
    return this.seed;
  }

  /** Advance `n` draws: history before the modelled packets, set by tests only (a scenario never sets it). */
  skip(n: number): void {
    for (let i = 0; i < n; i++) this.next();
  }
}
