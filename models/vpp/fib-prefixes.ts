// A FIB's entries as the configuration keeps them: by prefix length, then by (masked) network - the
// table of record (VPP's ip4_fib_t fib_entry_by_dst_address[33] hashes). The packet path does not
// search them: it looks up the FIB's mtrie (fib-mtrie.ts), which is built from them. So that the
// mtrie can never answer from an old configuration, these maps see every change made to them
// (set, delete, clear, on either level) and mark every mtrie built from them stale at once; a stale
// mtrie is rebuilt on the next lookup (VPP updates its mtrie in the same call that changes the hash).
// Entries are values (FibEntry's fields are readonly): a changed entry is a new one, set in a map.

import type { FibEntry } from './state.js';

/** The prefix lengths of one FIB, each with its networks; counts changes on both levels. */
export class FibLengths extends Map<number, Map<number, FibEntry>> {
  /** What was built from these maps and must be marked stale when they change (mtries). */
  private watchers: { stale: boolean }[] = [];
  /**
   * False once a map this one cannot watch was put in it (a plain Map, or another FIB's): changes
   * to that map would go unseen, so such a FIB is searched by the scan, never by an mtrie.
   */
  watched = true;

  /** Mark `w` stale at the next change. */
  watch(w: { stale: boolean }): void {
    this.watchers.push(w);
  }

  /** A change to these maps (or to a FibPrefixMap it made): every mtrie built from them so far is stale. */
  changed(): void {
    if (this.watchers.length === 0) return;
    for (const w of this.watchers) w.stale = true;
    this.watchers = [];
  }

  /** The networks of length `len`, made (watched) on first use. */
  prefixes(len: number): Map<number, FibEntry> {
    let m = this.get(len);
    if (!m) this.set(len, (m = new FibPrefixMap(this)));
    return m;
  }

  override set(len: number, networks: Map<number, FibEntry>): this {
    if (!(networks instanceof FibPrefixMap) || networks.owner !== this) this.watched = false;
    this.changed();
    return super.set(len, networks);
  }

  override delete(len: number): boolean {
    this.changed();
    return super.delete(len);
  }

  override clear(): void {
    this.changed();
    super.clear();
  }
}

/** The networks of one prefix length: each change is a change of its FIB's maps. */
export class FibPrefixMap extends Map<number, FibEntry> {
  constructor(readonly owner: FibLengths) {
    super();
  }

  override set(network: number, entry: FibEntry): this {
    this.owner.changed();
    return super.set(network, entry);
  }

  override delete(network: number): boolean {
    this.owner.changed();
    return super.delete(network);
  }

  override clear(): void {
    this.owner.changed();
    super.clear();
  }
}

/**
 * The longest-prefix match as the model defines it, straight from the maps: each present length,
 * longest first, looked up by the address masked to it. The mtrie must answer exactly this; it is
 * also the search of a FIB whose maps cannot be watched. Returns the entry (undefined on a miss)
 * and its length through `hit`.
 */
export function scanLongestFirst(byLength: ReadonlyMap<number, ReadonlyMap<number, FibEntry>>, addr: number, hit: { length: number }): FibEntry | undefined {
  const lengths = [...byLength.keys()].sort((a, b) => b - a);
  for (const len of lengths) {
    const mask = len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0;
    const e = byLength.get(len)!.get((addr & mask) >>> 0);
    if (e) {
      hit.length = len;
      return e;
    }
  }
  return undefined;
}
