// A FIB's entries as the configuration keeps them: by prefix length, then by (masked) network - the
// table of record (VPP's ip4_fib_t fib_entry_by_dst_address[33] hashes). The packet path does not
// search them: it looks up the FIB's mtrie (fib-mtrie.ts), which is built from them. So that the
// mtrie can never answer from an old configuration, these maps count every change made to them
// (set, delete, clear, on either level) in `version`; the mtrie remembers the version it was built
// at and is rebuilt when it differs (VPP updates its mtrie in the same call that changes the hash).

import type { FibEntry } from './state.js';

/** The prefix lengths of one FIB, each with its networks; counts changes on both levels. */
export class FibLengths extends Map<number, Map<number, FibEntry>> {
  /** Changes so far (to this map, or to a FibPrefixMap it made). */
  version = 0;
  /**
   * False once a map this one cannot watch was put in it (a plain Map, or another FIB's): changes
   * to that map would go unseen, so such a FIB is searched by the scan, never by an mtrie.
   */
  watched = true;

  /** The networks of length `len`, made (watched) on first use. */
  prefixes(len: number): Map<number, FibEntry> {
    let m = this.get(len);
    if (!m) this.set(len, (m = new FibPrefixMap(this)));
    return m;
  }

  override set(len: number, networks: Map<number, FibEntry>): this {
    if (!(networks instanceof FibPrefixMap) || networks.owner !== this) this.watched = false;
    this.version++;
    return super.set(len, networks);
  }

  override delete(len: number): boolean {
    this.version++;
    return super.delete(len);
  }

  override clear(): void {
    this.version++;
    super.clear();
  }
}

/** The networks of one prefix length: each change counts in its FIB's version. */
export class FibPrefixMap extends Map<number, FibEntry> {
  constructor(readonly owner: FibLengths) {
    super();
  }

  override set(network: number, entry: FibEntry): this {
    this.owner.version++;
    return super.set(network, entry);
  }

  override delete(network: number): boolean {
    this.owner.version++;
    return super.delete(network);
  }

  override clear(): void {
    this.owner.version++;
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
