// A session hash (a bihash from a session's key to the session) as an index over the session
// records themselves: a slot holds only the key's 32-bit hash and the session index, and the key is
// compared in the session's own record, which keeps it anyway (for deletion). So a key is stored
// once - no separate entry array holding a second copy - and a new session touches one slot and
// its own record. Used for the ACL connection hash (acl/sessions.ts: key at the start of the
// session record) and NAT44's endpoint-dependent hashes (nat44/sessions.ts: the in2out_ed and
// out2in_ed keys side by side in each session's ED words), and under nat44/bihash.ts's KeyTable,
// whose keys live in an entry array of its own.
//
// Open addressing with linear probing, at most half full (most replay lookups are misses: every new
// flow looks its key up before adding it), backward-shift deletion so churn never degrades it,
// growth by rehashing the stored hashes without reading a key.
//
// A miss remembers its key, hash and the empty slot its probe ended at: the set of that key that
// follows (the reflect of a new flow) inserts there without hashing or probing again, as long as
// nothing was inserted or removed in between.

/** get() result for an absent key (session indices are u32, so -1 never collides with one). */
export const NOT_FOUND = -1;

const MIN_SLOTS = 16;

/** A hash of a key's four 32-bit words (the same hash for a word as u32 or int32). */
export type KeyHash = (a: number, b: number, c: number, d: number) => number;

/**
 * The slot hash of a session key's four words (never 0: 0 marks an empty slot). Each word is
 * multiplied by its own odd constant (a bijection: keys differing in one word never meet before
 * the finaliser), the products combined, then murmur3's fmix32 avalanches every input bit over the
 * low bits a table masks. The four products are independent, so the lookup waiting for the hash
 * waits for one multiply and the finaliser, not for a chain of four rounds.
 */
export function keyHash(a: number, b: number, c: number, d: number): number {
  let h = (Math.imul(a, 0x85ebca77) ^ rotl13(Math.imul(b, 0xc2b2ae3d))) + (Math.imul(c, 0x27d4eb2f) ^ rotl13(Math.imul(d, 0x165667b1)));
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return h ^ (h >>> 16) || 1;
}

function rotl13(x: number): number {
  return (x << 13) | (x >>> 19);
}

/**
 * Where a RecordIndex reads keys: `stride` words per session, the key at words `offset`..`offset`+3.
 * Int32Array for every owner, and key words passed as int32 (`x | 0`): one element kind keeps the
 * probe's compares monomorphic int32 compares. With Uint32Array owners beside Int32Array ones the
 * JIT compared as doubles (int -> double conversions, ~13% of the lookup), and a u32 word at or
 * above 2^31 is a heap number wherever it crosses a call.
 */
export interface SessionRecords {
  /** Read afresh per lookup (the owner replaces it when it grows). */
  readonly records: Int32Array;
}

/** The key -> session index a session table needs; RecordIndex (its shape is nat44's KeyTable's). */
export interface SessionKeyIndex {
  readonly size: number;
  get(a: number, b: number, c: number, d: number): number;
  set(a: number, b: number, c: number, d: number, session: number): void;
  delete(a: number, b: number, c: number, d: number): boolean;
  prefetch(a: number, b: number, c: number, d: number): void;
  flushPrefetch(): number;
}

/**
 * A zeroed slot array whose every page has been written once, as VPP's clib_bihash_init memsets its
 * bucket array when the table is made. Not an optimisation of taste: a fresh typed array's memory
 * is untouched anonymous pages, and slots are first READ (prefetch, the probe of an insert) and only
 * then written. Linux maps a read of an untouched page to the shared zero page, so the write that
 * follows takes a second fault, a copy and a TLB flush on every CPU that ran the process (V8's
 * worker threads): measured, two faults at ~2x the cost of one, and ~9% of a replay of new flows
 * spent in those write faults. Written up front, each page faults once, sequentially.
 */
function writtenSlots(words: number): Int32Array {
  const slots = new Int32Array(words);
  slots.fill(0);
  return slots;
}

export class RecordIndex implements SessionKeyIndex {
  /** Pairs of words: the key hash (0 = empty) and the session index. */
  /**
   * Int32, as the hashes are kept (a hash is compared and masked, never used as a number): a u32
   * at or above 2^31 would be a heap number wherever it crosses a call, i.e. on half the packets.
   */
  private slots: Int32Array;
  private mask: number;
  private count = 0;
  /**
   * The last key get() missed, its hash and the empty slot its probe ended at; valid while `stamp`
   * (bumped by every insert, delete and growth) is `missStamp`.
   */
  private missA = 0;
  private missB = 0;
  private missC = 0;
  private missD = 0;
  private missHash = 0;
  private missSlot = 0;
  private missStamp = -1;
  private stamp = 0;
  /** Hashes queued by prefetch, read by flushPrefetch. */
  private readonly queue = new Int32Array(256);
  private queued = 0;
  /** Keys the last flushPrefetch read (they stay in `queue` until the next prefetch). */
  private flushed = 0;
  private prefetchSink = 0;

  /**
   * `hash` is replaceable so that tests can force equal hashes of different keys (its value is made
   * non-zero here: 0 marks an empty slot).
   */
  constructor(
    private readonly owner: SessionRecords,
    private readonly stride: number,
    capacity = MIN_SLOTS,
    private readonly offset = 0,
    private readonly hash: KeyHash = keyHash,
  ) {
    let cap = MIN_SLOTS;
    while (cap < capacity) cap *= 2;
    this.slots = writtenSlots(cap * 2);
    this.mask = cap - 1;
  }

  get size(): number {
    return this.count;
  }

  /** Changes with every insert, deletion and growth (not with an overwrite): where keys are. */
  get version(): number {
    return this.stamp;
  }

  private hashOf(a: number, b: number, c: number, d: number): number {
    return this.hash(a, b, c, d) | 0 || 1;
  }

  /** The slot holding the key (hash `h`), or the empty slot ending its probe as ~slot (negative). */
  private probe(h: number, a: number, b: number, c: number, d: number): number {
    const s = this.slots;
    const mask = this.mask;
    const rec = this.owner.records;
    const stride = this.stride;
    for (let i = h & mask; ; i = (i + 1) & mask) {
      const sh = s[2 * i];
      if (sh === 0) return ~i;
      if (sh === h) {
        const o = s[2 * i + 1] * stride + this.offset;
        if (rec[o] === a && rec[o + 1] === b && rec[o + 2] === c && rec[o + 3] === d) return i;
      }
    }
  }

  /** The session stored under the key, or NOT_FOUND (then remembered for a following set). Words are int32. */
  get(a: number, b: number, c: number, d: number): number {
    const h = this.hashOf(a, b, c, d);
    const i = this.probe(h, a, b, c, d);
    if (i >= 0) return this.slots[2 * i + 1];
    this.missA = a;
    this.missB = b;
    this.missC = c;
    this.missD = d;
    this.missHash = h;
    this.missSlot = ~i;
    this.missStamp = this.stamp;
    return NOT_FOUND;
  }

  /** Was the last get() a miss of this very key, with nothing inserted or removed since? */
  missedLast(a: number, b: number, c: number, d: number): boolean {
    return this.missStamp === this.stamp && a === this.missA && b === this.missB && c === this.missC && d === this.missD;
  }

  /**
   * Index the session under the key (insert or overwrite, clib_bihash_add_del is_add=1). Right
   * after get() missed this key - the add of a new flow - the hash and the empty slot are that
   * miss's: no second hash or probe.
   */
  set(a: number, b: number, c: number, d: number, session: number): void {
    let h: number;
    let i: number;
    if (this.missedLast(a, b, c, d)) {
      h = this.missHash;
      i = this.missSlot;
    } else {
      h = this.hashOf(a, b, c, d);
      i = this.probe(h, a, b, c, d);
      if (i >= 0) {
        this.slots[2 * i + 1] = session;
        return;
      }
      i = ~i;
    }
    if ((this.count + 1) * 2 > this.mask + 1) {
      this.grow();
      i = ~this.probe(h, a, b, c, d);
    }
    this.slots[2 * i] = h;
    this.slots[2 * i + 1] = session;
    this.count++;
    this.stamp++;
  }

  /** Remove the key if present (is_add=0); returns whether it was there. */
  delete(a: number, b: number, c: number, d: number): boolean {
    let hole = this.probe(this.hashOf(a, b, c, d), a, b, c, d);
    if (hole < 0) return false;
    const s = this.slots;
    const mask = this.mask;
    // Backward shift: a later slot of the run moves into the hole unless its home slot lies
    // cyclically in (hole, slot], so every remaining key stays reachable from its home.
    for (let j = (hole + 1) & mask; s[2 * j] !== 0; j = (j + 1) & mask) {
      if (((j - (s[2 * j] & mask)) & mask) >= ((j - hole) & mask)) {
        s[2 * hole] = s[2 * j];
        s[2 * hole + 1] = s[2 * j + 1];
        hole = j;
      }
    }
    s[2 * hole] = 0;
    this.count--;
    this.stamp++;
    return true;
  }

  /**
   * clib_bihash_prefetch_bucket in two steps: queue the key's hash now, read the queued home slots
   * in one tight loop at flushPrefetch, so the cache misses of a group of packets overlap. Only the
   * slots: also reading a matching slot's session record (a load that waits for the slot's) made
   * the loop wait miss after miss, and the replay measured ~7% slower on existing sessions.
   * Changes nothing a lookup sees.
   */
  prefetch(a: number, b: number, c: number, d: number): void {
    if (this.queued === this.queue.length) this.prefetchSink ^= this.flushPrefetch();
    this.flushed = 0;
    this.queue[this.queued++] = this.hashOf(a, b, c, d);
  }

  /** Read the queued slots; returns a word of what was read, for a sink that keeps the reads. */
  flushPrefetch(): number {
    const s = this.slots;
    const mask = this.mask;
    const q = this.queue;
    let sink = 0;
    for (let n = 0; n < this.queued; n++) sink ^= s[2 * (q[n] & mask)];
    this.flushed = this.queued;
    this.queued = 0;
    return sink;
  }

  /**
   * After flushPrefetch, until the next prefetch: does the home slot of the n-th key it read hold
   * that key's hash? (Most likely the key is there: its lookup will hit. A hint only.)
   */
  homeHolds(n: number): boolean {
    const h = this.queue[n];
    return n < this.flushed && this.slots[2 * (h & this.mask)] === h;
  }

  /** Double the slots; each stored hash places its session again (no key read). */
  private grow(): void {
    const old = this.slots;
    const cap = (this.mask + 1) * 2;
    const s = (this.slots = writtenSlots(cap * 2));
    const mask = (this.mask = cap - 1);
    for (let o = 0; o < old.length; o += 2) {
      const h = old[o];
      if (h === 0) continue;
      let i = h & mask;
      while (s[2 * i] !== 0) i = (i + 1) & mask;
      s[2 * i] = h;
      s[2 * i + 1] = old[o + 1];
    }
    this.stamp++;
  }
}
