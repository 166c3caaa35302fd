// A bihash-like table whose keys are not four contiguous words of a record it could index in place
// (NAT44's 8-byte session keys and the LB mappings' `~0` entries, users, static-mapping lookups):
// keys of four 32-bit words and u32 values in typed arrays, no object or string per key. VPP's clib_bihash is also a flat key/value store
// keyed by packed bytes; what matters to the model is only exact-match semantics, which this gives.
//
// The keys and values live in a dense entry array (a new key is appended - sequential writes - and
// a deleted one is replaced by the last entry), indexed by a RecordIndex over those entries
// (../record-index.ts: the open-addressing slots, the miss remembered for the insert that follows,
// prefetch, growth) - the same index the session hashes use over their session records.
//
// Callers pack their key into the four words (sessions.ts) and pass them as numbers, so a lookup
// allocates nothing. Words are stored and compared as int32 (RecordIndex's one element kind); a
// word given as a u32 is the same word (`| 0`), and values read back as u32.

import { keyHash, NOT_FOUND, RecordIndex, type KeyHash, type SessionRecords } from '../record-index.js';

export type { KeyHash };

/** get() result for an absent key (values are u32, so -1 never collides with one). */
export const MISS = NOT_FOUND;

/** Entry: the 4 key words, then the value; 8 words so an entry never straddles a cache line. */
const ENTRY = 8;
const VALUE = 4;
const MIN_ENTRIES = 8;

export class KeyTable implements SessionRecords {
  /** The entries, ENTRY words each (the RecordIndex reads keys here). */
  records: Int32Array;
  private count = 0;
  private readonly index: RecordIndex;

  /**
   * Room for `capacity` slots up front (at most half of them filled before growing); `hash` is
   * replaceable so that tests can force equal hashes of different keys.
   */
  constructor(capacity = 0, hash: KeyHash = keyHash) {
    this.index = new RecordIndex(this, ENTRY, capacity, 0, hash);
    this.records = new Int32Array(Math.max(MIN_ENTRIES, capacity >>> 1) * ENTRY);
  }

  get size(): number {
    return this.count;
  }

  /** The value stored under the key, or MISS. Words are int32 or u32 (the hot callers pass `x | 0`). */
  get(a: number, b: number, c = 0, d = 0): number {
    a |= 0;
    b |= 0;
    c |= 0;
    d |= 0;
    if (a === this.lastA && b === this.lastB && c === this.lastC && d === this.lastD && this.index.version === this.lastVersion) {
      return this.records[this.lastEntry * ENTRY + VALUE] >>> 0;
    }
    const n = this.index.get(a, b, c, d);
    if (n === NOT_FOUND) return MISS;
    this.lastA = a;
    this.lastB = b;
    this.lastC = c;
    this.lastD = d;
    this.lastEntry = n;
    this.lastVersion = this.index.version;
    return this.records[n * ENTRY + VALUE] >>> 0;
  }

  /**
   * The last key get() found and its entry, valid while the index's version is `lastVersion` (no
   * key added or removed since; an overwrite changes only the value, read afresh). Every packet
   * to a load-balanced VIP, and every reply from its backend, looks up the same `~0` entry.
   */
  private lastA = -1;
  private lastB = -1;
  private lastC = -1;
  private lastD = -1;
  private lastEntry = 0;
  private lastVersion = -1;

  has(a: number, b: number, c = 0, d = 0): boolean {
    return this.index.get(a | 0, b | 0, c | 0, d | 0) !== NOT_FOUND;
  }

  /**
   * Insert or overwrite (clib_bihash_add_del is_add=1). Right after get() missed this key - a new
   * flow - the index inserts at the slot that miss ended on.
   */
  set(a: number, b: number, c: number, d: number, value: number): void {
    a |= 0;
    b |= 0;
    c |= 0;
    d |= 0;
    // After the caller's own get() missed this key, its miss stands: no second hash or probe.
    const found = this.index.missedLast(a, b, c, d) ? NOT_FOUND : this.index.get(a, b, c, d);
    if (found !== NOT_FOUND) {
      this.records[found * ENTRY + VALUE] = value;
      return;
    }
    const n = this.count++;
    if ((n + 1) * ENTRY > this.records.length) {
      const bigger = new Int32Array(this.records.length * 2);
      bigger.set(this.records);
      this.records = bigger;
    }
    const e = this.records;
    const o = n * ENTRY;
    e[o] = a;
    e[o + 1] = b;
    e[o + 2] = c;
    e[o + 3] = d;
    e[o + VALUE] = value;
    this.index.set(a, b, c, d, n);
  }

  /** Remove the key if present (is_add=0); returns whether it was there. */
  delete(a: number, b: number, c = 0, d = 0): boolean {
    a |= 0;
    b |= 0;
    c |= 0;
    d |= 0;
    const gone = this.index.get(a, b, c, d);
    if (gone === NOT_FOUND) return false;
    this.index.delete(a, b, c, d);
    // Keep the entries dense: the last one moves into the deleted one's place and is re-indexed
    // there (its key is in both places until the index points at the new one).
    const last = --this.count;
    if (gone !== last) {
      const e = this.records;
      e.copyWithin(gone * ENTRY, last * ENTRY, last * ENTRY + ENTRY);
      const o = gone * ENTRY;
      this.index.set(e[o], e[o + 1], e[o + 2], e[o + 3], gone);
    }
    return true;
  }

  /** clib_bihash_prefetch_bucket: queue the key's home slot (RecordIndex.prefetch). */
  prefetch(a: number, b: number, c: number, d: number): void {
    this.index.prefetch(a | 0, b | 0, c | 0, d | 0);
  }

  /** Read the queued home slots; returns the words read, for a sink that keeps the reads. */
  flushPrefetch(): number {
    return this.index.flushPrefetch();
  }
}
