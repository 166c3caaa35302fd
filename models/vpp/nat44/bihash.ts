// A bihash-like table for the session hashes (NAT44 8/16-byte keys, ACL 5-tuple keys): keys of four
// u32 words and u32 values in typed arrays, no object or string per key. VPP's clib_bihash is also a
// flat key/value store keyed by packed bytes; what matters to the model is only exact-match
// semantics, which this gives.
//
// Two arrays, because the replay's hot case is a MISS in a table of a million keys (every new flow
// looks its key up before it inserts it):
//   - the slot array (open addressing, linear probing, backward-shift deletion, so a table churned
//     by millions of sessions never degrades) holds per slot only the key's 32-bit hash and the
//     index of its entry: 8 bytes, eight slots per cache line, so a miss scans its probe run in one
//     line and a million-key slot array is 16 MiB, not 64 (fewer cache and TLB misses, cheaper
//     doubling, and no key word is read unless the hash matches);
//   - the entry array holds the full key, the value and the hash, densely in insertion order: a
//     new key is appended (sequential writes), a deleted one is replaced by the last entry.
//
// Callers pack their key into the four words (sessions.ts: 8-byte and ED keys; acl/five-tuple.ts:
// the session key) and pass them as numbers, so a lookup allocates nothing.

/** get() result for an absent key (values are u32, so -1 never collides with one). */
export const MISS = -1;

/** Slot: the hash (0 = empty slot; a hash of 0 is stored as 1) and the entry index. */
const SLOT = 2;
/** Entry: the 4 key words, the value, the stored hash; 8 words so an entry never straddles a line. */
const ENTRY = 8;
const VALUE = 4;
const HASH = 5;
const MIN_CAPACITY = 16;

export type KeyHash = (a: number, b: number, c: number, d: number) => number;

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
  private entries: Uint32Array;
  private count = 0;

  /** `hash` is replaceable so that tests can force equal hashes of different keys. */
  constructor(
    capacity = MIN_CAPACITY,
    private readonly hash: KeyHash = hash4,
  ) {
    let cap = MIN_CAPACITY;
    while (cap < capacity) cap *= 2;
    this.slots = new Uint32Array(cap * SLOT);
    this.mask = cap - 1;
    this.entries = new Uint32Array((cap / 2) * ENTRY);
  }

  get size(): number {
    return this.count;
  }

  private hashOf(a: number, b: number, c: number, d: number): number {
    return this.hash(a, b, c, d) >>> 0 || 1;
  }

  /** The slot index holding the key, or the empty slot where it would go as ~slot (negative). */
  private find(h: number, a: number, b: number, c: number, d: number): number {
    const s = this.slots;
    const e = this.entries;
    const mask = this.mask;
    for (let i = h & mask; ; i = (i + 1) & mask) {
      const sh = s[i * SLOT];
      if (sh === 0) return ~i;
      if (sh === h) {
        const o = s[i * SLOT + 1] * ENTRY;
        if (e[o] === a && e[o + 1] === b && e[o + 2] === c && e[o + 3] === d) return i;
      }
    }
  }

  /** The value stored under the key, or MISS. Words must be u32 (callers pass `x >>> 0`). */
  get(a: number, b: number, c = 0, d = 0): number {
    const h = this.hashOf(a, b, c, d);
    const i = this.find(h, a, b, c, d);
    if (i >= 0) return this.entries[this.slots[i * SLOT + 1] * ENTRY + VALUE];
    // A new flow looks its key up, misses, then inserts it: remember where the probe ended.
    this.missA = a;
    this.missB = b;
    this.missC = c;
    this.missD = d;
    this.missHash = h;
    this.missSlot = ~i;
    this.missEpoch = this.epoch;
    return MISS;
  }

  /**
   * clib_bihash_prefetch_bucket, in two steps: `prefetch` hashes the key and queues its home slot,
   * `flushPrefetch` reads the queued slots in one tight loop, so the cache misses of a group of
   * packets' keys overlap (reads interleaved with each packet's key computation overlap less).
   * Changes nothing a lookup sees.
   */
  prefetch(a: number, b: number, c: number, d: number): void {
    if (this.queued === this.queue.length) this.prefetchSink ^= this.flushPrefetch();
    this.queue[this.queued++] = this.hashOf(a, b, c, d);
  }

  /** Read the queued home slots; returns the words read, for a sink that keeps the reads. */
  flushPrefetch(): number {
    const s = this.slots;
    const mask = this.mask;
    const q = this.queue;
    let sink = 0;
    for (let i = 0; i < this.queued; i++) sink ^= s[(q[i] & mask) * SLOT];
    this.queued = 0;
    return sink;
  }

  private readonly queue = new Uint32Array(256);
  private queued = 0;
  private prefetchSink = 0;
  /** Bumped by every change of the slot array (insert, delete, growth). */
  private epoch = 0;
  /**
   * The last get() that missed: its key, hash, and the empty slot its probe ended on. While
   * missEpoch === epoch no slot has changed since, so an insert of that key goes to that slot
   * without hashing or probing again.
   */
  private missA = 0;
  private missB = 0;
  private missC = 0;
  private missD = 0;
  private missHash = 0;
  private missSlot = 0;
  private missEpoch = -1;

  has(a: number, b: number, c = 0, d = 0): boolean {
    return this.find(this.hashOf(a, b, c, d), a, b, c, d) >= 0;
  }

  /** Insert or overwrite (clib_bihash_add_del is_add=1). */
  set(a: number, b: number, c: number, d: number, value: number): void {
    let h: number;
    let i: number;
    if (this.missEpoch === this.epoch && a === this.missA && b === this.missB && c === this.missC && d === this.missD) {
      h = this.missHash;
      i = ~this.missSlot;
    } else {
      h = this.hashOf(a, b, c, d);
      i = this.find(h, a, b, c, d);
    }
    if (i >= 0) {
      this.entries[this.slots[i * SLOT + 1] * ENTRY + VALUE] = value;
      return;
    }
    // Kept at most half full: most lookups on the replay path are misses (every new flow), and a
    // linear-probing miss scans ~(1 + 1/(1-load)^2)/2 slots - 2.5 at 1/2, 6 at 7/10.
    if ((this.count + 1) * 2 > this.mask + 1) {
      this.grow();
      i = this.find(h, a, b, c, d);
    }
    i = ~i;
    const n = this.count++;
    if ((n + 1) * ENTRY > this.entries.length) {
      const bigger = new Uint32Array(this.entries.length * 2);
      bigger.set(this.entries);
      this.entries = bigger;
    }
    const e = this.entries;
    const o = n * ENTRY;
    e[o] = a;
    e[o + 1] = b;
    e[o + 2] = c;
    e[o + 3] = d;
    e[o + VALUE] = value;
    e[o + HASH] = h;
    this.slots[i * SLOT] = h;
    this.slots[i * SLOT + 1] = n;
    this.epoch++;
  }

  /** Remove the key if present (is_add=0); returns whether it was there. */
  delete(a: number, b: number, c = 0, d = 0): boolean {
    let hole = this.find(this.hashOf(a, b, c, d), a, b, c, d);
    if (hole < 0) return false;
    this.epoch++;
    const s = this.slots;
    const mask = this.mask;
    const gone = s[hole * SLOT + 1];
    // Backward-shift deletion: pull later slots of the probe run into the hole when their home
    // slot does not lie cyclically in (hole, slot], so every remaining key stays reachable.
    for (let j = (hole + 1) & mask; s[j * SLOT] !== 0; j = (j + 1) & mask) {
      const home = s[j * SLOT] & mask;
      if (((j - home) & mask) >= ((j - hole) & mask)) {
        s[hole * SLOT] = s[j * SLOT];
        s[hole * SLOT + 1] = s[j * SLOT + 1];
        hole = j;
      }
    }
    s[hole * SLOT] = 0;
    // Keep the entries dense: the last one moves into the deleted one's place, and its slot follows.
    const last = --this.count;
    if (gone !== last) {
      const e = this.entries;
      e.copyWithin(gone * ENTRY, last * ENTRY, last * ENTRY + ENTRY);
      let i = e[gone * ENTRY + HASH] & mask;
      while (s[i * SLOT + 1] !== last || s[i * SLOT] === 0) i = (i + 1) & mask;
      s[i * SLOT + 1] = gone;
    }
    return true;
  }

  /** Double the slot array; the stored hashes place every entry without reading a key. */
  private grow(): void {
    this.epoch++;
    const old = this.slots;
    const cap = (this.mask + 1) * 2;
    const s = (this.slots = new Uint32Array(cap * SLOT));
    const mask = (this.mask = cap - 1);
    for (let o = 0; o < old.length; o += SLOT) {
      const h = old[o];
      if (h === 0) continue;
      let i = h & mask;
      while (s[i * SLOT] !== 0) i = (i + 1) & mask;
      s[i * SLOT] = h;
      s[i * SLOT + 1] = old[o + 1];
    }
  }
}
