// A bihash-like table for the session hashes (NAT44 8/16-byte keys, ACL 5-tuple keys): keys of four
// u32 words and u32 values in typed arrays, open addressing with linear probing and backward-shift
// deletion (no tombstones, so a table churned by millions of sessions never degrades). VPP's
// clib_bihash is also a flat key/value store keyed by packed bytes; what matters to the model is
// only exact-match semantics, which this gives without one object or string per key.
//
// Callers pack their key into the four words (keys.ts: natKey8Words, edKeyWords; acl/five-tuple.ts:
// the session key) and pass them as numbers, so a lookup allocates nothing.

/** get() result for an absent key (values are u32, so -1 never collides with one). */
export const MISS = -1;

/**
 * One slot is 8 u32 words: the 4 key words, the value, an in-use flag, 2 spare. 32-byte slots sit
 * two to a cache line, so a lookup in a table of millions usually costs one cache miss (key, flag
 * and value side by side) instead of one per separate array.
 */
const STRIDE = 8;
const VALUE = 4;
const USED = 5;
const MIN_CAPACITY = 16;

/** Murmur3 fmix32 over the four words: cheap, and spreads addresses that differ in one octet. */
function hash4(a: number, b: number, c: number, d: number): number {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13) ^ b, 0xc2b2ae35);
  h = Math.imul(h ^ (h >>> 16) ^ c, 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13) ^ d, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

export class KeyTable {
  private slots: Uint32Array;
  private mask: number;
  private count = 0;

  constructor(capacity = MIN_CAPACITY) {
    let cap = MIN_CAPACITY;
    while (cap < capacity) cap *= 2;
    this.slots = new Uint32Array(cap * STRIDE);
    this.mask = cap - 1;
  }

  get size(): number {
    return this.count;
  }

  /** The word offset of the slot holding the key, or of the empty slot where it would go as ~offset (negative). */
  private find(a: number, b: number, c: number, d: number): number {
    const k = this.slots;
    const mask = this.mask;
    for (let i = hash4(a, b, c, d) & mask; ; i = (i + 1) & mask) {
      const o = i * STRIDE;
      if (k[o + USED] === 0) return ~o;
      if (k[o] === a && k[o + 1] === b && k[o + 2] === c && k[o + 3] === d) return o;
    }
  }

  /** The value stored under the key, or MISS. Words must be u32 (callers pass `x >>> 0`). */
  get(a: number, b: number, c = 0, d = 0): number {
    const o = this.find(a, b, c, d);
    return o >= 0 ? this.slots[o + VALUE] : MISS;
  }

  has(a: number, b: number, c = 0, d = 0): boolean {
    return this.find(a, b, c, d) >= 0;
  }

  /** Insert or overwrite (clib_bihash_add_del is_add=1). */
  set(a: number, b: number, c: number, d: number, value: number): void {
    let o = this.find(a, b, c, d);
    if (o < 0) {
      // Kept at most half full: most lookups on the replay path are misses (every new flow), and a
      // linear-probing miss scans ~(1 + 1/(1-load)^2)/2 slots - 2.5 at 1/2, 6 at 7/10.
      if ((this.count + 1) * 2 > this.mask + 1) {
        this.grow();
        o = this.find(a, b, c, d);
      }
      o = ~o;
      const k = this.slots;
      k[o] = a;
      k[o + 1] = b;
      k[o + 2] = c;
      k[o + 3] = d;
      k[o + USED] = 1;
      this.count++;
    }
    this.slots[o + VALUE] = value;
  }

  /** Remove the key if present (is_add=0); returns whether it was there. */
  delete(a: number, b: number, c = 0, d = 0): boolean {
    let hole = this.find(a, b, c, d);
    if (hole < 0) return false;
    // Backward-shift deletion: pull later entries of the probe run into the hole when their home
    // slot does not lie cyclically in (hole, entry], so every remaining key stays reachable.
    const k = this.slots;
    const mask = this.mask;
    let i = hole / STRIDE;
    for (let j = (i + 1) & mask; k[j * STRIDE + USED] === 1; j = (j + 1) & mask) {
      const o = j * STRIDE;
      const home = hash4(k[o], k[o + 1], k[o + 2], k[o + 3]) & mask;
      if (((j - home) & mask) >= ((j - i) & mask)) {
        k.copyWithin(hole, o, o + STRIDE);
        hole = o;
        i = j;
      }
    }
    k[hole + USED] = 0;
    this.count--;
    return true;
  }

  private grow(): void {
    const old = this.slots;
    const cap = (this.mask + 1) * 2;
    this.slots = new Uint32Array(cap * STRIDE);
    this.mask = cap - 1;
    const k = this.slots;
    const mask = this.mask;
    // Keys are unique, so each goes to the first free slot of its probe run: no key compares.
    for (let o = 0; o < old.length; o += STRIDE) {
      if (old[o + USED] === 0) continue;
      let i = hash4(old[o], old[o + 1], old[o + 2], old[o + 3]) & mask;
      while (k[i * STRIDE + USED] !== 0) i = (i + 1) & mask;
      const n = i * STRIDE;
      for (let w = 0; w <= USED; w++) k[n + w] = old[o + w];
    }
  }
}
