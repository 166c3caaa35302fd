// ip4-lookup's longest-prefix match as VPP 18.01 makes it (ip4_fib_mtrie_t, ip4_mtrie.c): a 16-8-8
// multibit trie. The root ply has a leaf per value of the address's top 16 bits; a leaf is either
// terminal (the FIB entry that matches) or leads to an 8-bit ply for the next byte, and that one
// possibly to another for the last byte: at most three array reads per lookup, whatever the number
// of prefix lengths (the map scan it replaces did a hash lookup per length present, longest first,
// measured ~6% of the hit path's self time in ip4-lookup).
//
// Built from the FIB's maps (fib-prefixes.ts), which stay the table of record; rebuilt after they
// changed (configuration time: any change marks the trie stale). Entries go in shortest first, each overwriting every
// leaf it covers, so a longer prefix always wins, exactly as the longest-first scan decides.

import { FibLengths } from './fib-prefixes.js';
import type { Fib, FibEntry } from './state.js';

/** A leaf with no entry (a miss). Terminal leaves are entry slots (>= 0); plies are <= -2. */
const EMPTY = -1;
/** Leaves per ply below the root (8 bits), and in the root (16 bits). */
const PLY = 256;
const ROOT = 1 << 16;

const plyLeaf = (ply: number): number => -2 - ply;

export class Ip4Mtrie {
  /** The root ply's leaves, by the address's top 16 bits. */
  private readonly root = new Int32Array(ROOT).fill(EMPTY);
  /** The 8-bit plies' leaves, ply p at [p * 256, p * 256 + 256). */
  private plies = new Int32Array(0);
  private plyCount = 0;
  /**
   * Per entry slot s: hits[2s] is the entry's load-balance index, hits[2s + 1] its prefix length
   * (the byLength key it was found under), side by side: with a million sessions' tables going
   * through the caches, every line a lookup reads is a likely miss (an entry object and a separate
   * lengths array were two).
   */
  readonly hits: number[] = [];
  /** Set by the maps it was built from when they change (FibLengths.changed): the trie is old. */
  stale = false;

  /** The maps this trie was built from. */
  constructor(readonly source: FibLengths) {}

  /** The entry slot of the longest prefix matching `addr` (big-endian u32), or -1. */
  lookup(addr: number): number {
    let leaf = this.root[addr >>> 16];
    if (leaf < EMPTY) {
      leaf = this.plies[((-2 - leaf) << 8) | ((addr >>> 8) & 0xff)];
      if (leaf < EMPTY) leaf = this.plies[((-2 - leaf) << 8) | (addr & 0xff)];
    }
    return leaf;
  }

  /** Add an entry no shorter than any added before it (the build goes shortest first). */
  insert(entry: FibEntry, network: number, len: number): void {
    const slot = this.hits.length >> 1;
    this.hits.push(entry.lbIndex, len);
    if (len <= 16) {
      this.cover(this.root, network >>> 16, 1 << (16 - len), slot);
      return;
    }
    const mid = this.descend(this.root, network >>> 16);
    if (len <= 24) {
      this.cover(this.plies, (mid << 8) | ((network >>> 8) & 0xff), 1 << (24 - len), slot);
      return;
    }
    const low = this.descend(this.plies, (mid << 8) | ((network >>> 8) & 0xff));
    this.cover(this.plies, (low << 8) | (network & 0xff), 1 << (32 - len), slot);
  }

  /**
   * Point leaves [from, from + n) of `leaves` at `slot`, through any plies under them: whatever is
   * there came from entries no longer than this one, which it overrides.
   */
  private cover(leaves: Int32Array, from: number, n: number, slot: number): void {
    for (let i = from; i < from + n; i++) {
      const leaf = leaves[i];
      if (leaf < EMPTY) this.cover(this.plies, (-2 - leaf) << 8, PLY, slot);
      else leaves[i] = slot;
    }
  }

  /** The ply under leaf `at` of `leaves`, made (holding what the leaf held) if it is terminal. */
  private descend(leaves: Int32Array, at: number): number {
    const leaf = leaves[at];
    if (leaf < EMPTY) return -2 - leaf;
    const ply = this.plyCount++;
    if (this.plies.length < this.plyCount * PLY) {
      const grown = new Int32Array(Math.max(4, this.plyCount * 2) * PLY);
      grown.set(this.plies);
      // The caller's `leaves` may be the old plies array: write the new leaf into the live one.
      if (leaves === this.plies) leaves = grown;
      this.plies = grown;
    }
    this.plies.fill(leaf, ply * PLY, ply * PLY + PLY);
    leaves[at] = plyLeaf(ply);
    return ply;
  }
}

/**
 * The FIB's mtrie, rebuilt if its maps changed since it was made (checked without reading the
 * maps: one line less for a lookup to miss in the cache); null when the FIB must be
 * searched by the scan instead (maps that cannot be watched, or prefix lengths outside 0-32, which
 * no mtrie holds).
 */
export function currentMtrie(fib: Fib): Ip4Mtrie | null {
  const t = fib.mtrie;
  if (t !== undefined && !t.stale && t.source === fib.byLength) return t;
  return buildMtrie(fib);
}

function buildMtrie(fib: Fib): Ip4Mtrie | null {
  const source = fib.byLength;
  fib.mtrie = undefined;
  if (!(source instanceof FibLengths) || !source.watched) return null;
  const lengths = [...source.keys()];
  if (!lengths.every((l) => Number.isInteger(l) && l >= 0 && l <= 32)) return null;
  const trie = new Ip4Mtrie(source);
  source.watch(trie);
  for (const len of lengths.sort((a, b) => a - b)) {
    const mask = len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0;
    for (const [network, entry] of source.get(len)!) {
      // What the scan can never reach stays out: a key that is not a network of this length (the
      // scan looks up masked addresses only) or an empty value (the scan goes on past it).
      if (!entry || ((network & mask) >>> 0) !== network) continue;
      trie.insert(entry, network, len);
    }
  }
  fib.mtrie = trie;
  return trie;
}
