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

const WORDS = 4;
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
  private keys: Uint32Array;
  private values: Uint32Array;
  private used: Uint8Array;
  private mask: number;
  private count = 0;

  constructor(capacity = MIN_CAPACITY) {
    let cap = MIN_CAPACITY;
    while (cap < capacity) cap *= 2;
    this.keys = new Uint32Array(cap * WORDS);
    this.values = new Uint32Array(cap);
    this.used = new Uint8Array(cap);
    this.mask = cap - 1;
  }

  get size(): number {
    return this.count;
  }

  /** The slot holding the key, or the empty slot where it would go (as ~slot, negative). */
  private find(a: number, b: number, c: number, d: number): number {
    const k = this.keys;
    const used = this.used;
    const mask = this.mask;
    for (let i = hash4(a, b, c, d) & mask; ; i = (i + 1) & mask) {
      if (used[i] === 0) return ~i;
      const o = i * WORDS;
      if (k[o] === a && k[o + 1] === b && k[o + 2] === c && k[o + 3] === d) return i;
    }
  }

  /** The value stored under the key, or MISS. Words must be u32 (callers pass `x >>> 0`). */
  get(a: number, b: number, c = 0, d = 0): number {
    const i = this.find(a, b, c, d);
    return i >= 0 ? this.values[i] : MISS;
  }

  has(a: number, b: number, c = 0, d = 0): boolean {
    return this.find(a, b, c, d) >= 0;
  }

  /** Insert or overwrite (clib_bihash_add_del is_add=1). */
  set(a: number, b: number, c: number, d: number, value: number): void {
    let i = this.find(a, b, c, d);
    if (i < 0) {
      if ((this.count + 1) * 10 > (this.mask + 1) * 7) {
        this.grow();
        i = this.find(a, b, c, d);
      }
      i = ~i;
      const o = i * WORDS;
      this.keys[o] = a;
      this.keys[o + 1] = b;
      this.keys[o + 2] = c;
      this.keys[o + 3] = d;
      this.used[i] = 1;
      this.count++;
    }
    this.values[i] = value;
  }

  /** Remove the key if present (is_add=0); returns whether it was there. */
  delete(a: number, b: number, c = 0, d = 0): boolean {
    let i = this.find(a, b, c, d);
    if (i < 0) return false;
    // Backward-shift deletion: pull later entries of the probe run into the hole when their home
    // slot does not lie cyclically in (hole, entry], so every remaining key stays reachable.
    const k = this.keys;
    const mask = this.mask;
    for (let j = (i + 1) & mask; this.used[j] === 1; j = (j + 1) & mask) {
      const o = j * WORDS;
      const home = hash4(k[o], k[o + 1], k[o + 2], k[o + 3]) & mask;
      if (((j - home) & mask) >= ((j - i) & mask)) {
        k.copyWithin(i * WORDS, o, o + WORDS);
        this.values[i] = this.values[j];
        i = j;
      }
    }
    this.used[i] = 0;
    this.count--;
    return true;
  }

  private grow(): void {
    const { keys, values, used } = this;
    const cap = (this.mask + 1) * 2;
    this.keys = new Uint32Array(cap * WORDS);
    this.values = new Uint32Array(cap);
    this.used = new Uint8Array(cap);
    this.mask = cap - 1;
    this.count = 0;
    for (let i = 0; i < used.length; i++) {
      if (used[i] === 0) continue;
      const o = i * WORDS;
      const a = keys[o];
      const b = keys[o + 1];
      const c = keys[o + 2];
      const d = keys[o + 3];
      const j = ~this.find(a, b, c, d);
      const n = j * WORDS;
      this.keys[n] = a;
      this.keys[n + 1] = b;
      this.keys[n + 2] = c;
      this.keys[n + 3] = d;
      this.values[j] = values[i];
      this.used[j] = 1;
      this.count++;
    }
  }
}
