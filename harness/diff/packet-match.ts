// `dpconform diff A B`: two traces or two captures of the same traffic, matched packet by packet by
// flow and identity (addresses, protocol, ports + IP ID, TCP sequence, payload hash), never by
// position - so a dropped, added or reordered packet is reported as exactly that, and matched packets
// are diffed field by field with the same comparison as `run`.

import type { PacketTrace, Stage } from '../stage.js';
import { compareTraces, type CompareOptions } from './compare.js';
import type { CaseDiff } from './types.js';
import { traceLabel } from './label.js';
import { IDENTITY_LEVELS, identityOf, levelKey, type PacketIdentity } from './packet-identity.js';

export interface PacketPairing {
  /** 1-based positions. */
  a: number;
  b: number;
  reordered: boolean;
  diff: CaseDiff;
}

export interface PacketSetDiff {
  pairs: PacketPairing[];
  /** In A, not in B (1-based positions in A). */
  missing: number[];
  /** In B, not in A. */
  extra: number[];
  changed: number;
  reordered: number;
  labels: { a: string[]; b: string[] };
}

/**
 * The stage that says who a packet is: the first one showing an IP header, or an ARP one (a VPP
 * trace's arp-input after an input node that shows none: packet-identity.ts FLOW).
 */
export function identityStage(t: PacketTrace): Stage | undefined {
  return t.stages.find((s) => s.fields['ip4.src'] !== undefined || s.fields['ip6.src'] !== undefined || s.fields['arp.opcode'] !== undefined) ?? t.stages[0];
}

/** A trace's identity (packet-identity.ts), from the stage that says who it is. */
export function traceIdentity(t: PacketTrace, flows: Map<string, string>): PacketIdentity {
  return identityOf(identityStage(t)?.fields ?? {}, flows);
}

/**
 * Longest increasing subsequence membership: pairs outside it are the reordered ones. Of several
 * longest runs the earliest packets are kept (so the packet that jumped ahead is the reordered one).
 * O(n log n), because captures hold hundreds of thousands of packets.
 */
export function inOrder(bPositions: ArrayLike<number>): boolean[] {
  const n = bPositions.length;
  // run[i]: length of the longest increasing run starting at i, from the right. tails[k] is the
  // largest value that starts a run of length k + 1 so far (decreasing in k).
  const run = new Int32Array(n);
  const tails: number[] = [];
  for (let i = n - 1; i >= 0; i--) {
    const v = bPositions[i];
    let lo = 0;
    let hi = tails.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (tails[mid] > v) lo = mid + 1;
      else hi = mid;
    }
    tails[lo] = v;
    run[i] = lo + 1;
  }
  const keep = new Array<boolean>(n).fill(false);
  let need = tails.length;
  let last = -Infinity;
  for (let i = 0; i < n && need > 0; i++) {
    if (run[i] === need && bPositions[i] > last) {
      keep[i] = true;
      last = bPositions[i];
      need--;
    }
  }
  return keep;
}

export interface PacketSetOptions extends CompareOptions {
  /** Called while matched pairs are compared (progress bars on large captures). */
  onProgress?: (done: number, total: number) => void;
  /**
   * A trace as compared, given the trace as read: a reader that keeps no packet on its stages
   * (suite/stage-packets.ts) builds them here, one pair at a time, so only differing pairs keep them.
   */
  withPackets?: (t: PacketTrace) => PacketTrace;
}

/** Which packet of A is which packet of B: pair k is A's packet matchA[k] and B's matchB[k] (0-based), in A order. */
export interface PacketMatching {
  matchA: Int32Array;
  matchB: Int32Array;
  matchedA: Uint8Array;
  usedB: Uint8Array;
}

/**
 * Match by identity, strictest level first, then one identity field at a time for packets whose other
 * fields changed (a TTL, a rewritten sequence number). Never by flow alone: two packets of a flow are
 * different packets. Of several candidates, the first in B order not yet taken.
 */
export function matchPackets(a: readonly PacketIdentity[], b: readonly PacketIdentity[]): PacketMatching {
  const usedB = new Uint8Array(b.length);
  const matchedA = new Uint8Array(a.length);
  const matches: Array<[number, number]> = [];
  for (let level = 0; level < IDENTITY_LEVELS; level++) {
    // Candidates per key in B order, consumed from the front: linear in the packets, not quadratic.
    const index = new Map<string, { js: number[]; next: number }>();
    for (let j = 0; j < b.length; j++) {
      if (usedB[j]) continue;
      const k = levelKey(b[j], level);
      if (k === undefined) continue;
      const e = index.get(k);
      if (e) e.js.push(j);
      else index.set(k, { js: [j], next: 0 });
    }
    for (let i = 0; i < a.length; i++) {
      if (matchedA[i]) continue;
      const k = levelKey(a[i], level);
      const e = k === undefined ? undefined : index.get(k);
      if (!e) continue;
      while (e.next < e.js.length && usedB[e.js[e.next]]) e.next++;
      if (e.next === e.js.length) continue;
      const j = e.js[e.next++];
      usedB[j] = 1;
      matchedA[i] = 1;
      matches.push([i, j]);
    }
  }
  matches.sort((x, y) => x[0] - y[0]);
  return { matchA: Int32Array.from(matches, ([i]) => i), matchB: Int32Array.from(matches, ([, j]) => j), matchedA, usedB };
}

/**
 * The set diff around a matching, the pairs' diffs still to fill (`diff` undefined until compared):
 * pairs in A order, reordered = outside the longest in-order run.
 */
export function packetSetShell(m: PacketMatching, labels: { a: string[]; b: string[] }): PacketSetDiff {
  const keep = inOrder(m.matchB);
  const pairs: PacketPairing[] = [];
  for (let k = 0; k < m.matchA.length; k++) pairs.push({ a: m.matchA[k] + 1, b: m.matchB[k] + 1, reordered: !keep[k], diff: undefined as unknown as CaseDiff });
  const missing: number[] = [];
  const extra: number[] = [];
  m.matchedA.forEach((x, i) => x || missing.push(i + 1));
  m.usedB.forEach((x, j) => x || extra.push(j + 1));
  return { pairs, missing, extra, changed: 0, reordered: pairs.filter((p) => p.reordered).length, labels };
}

/**
 * Compare one matched pair (B as the model, A as the golden) into its slot. An identical pair keeps its
 * counters, not its stage rows: a large capture is mostly identical pairs, and their rows (every field
 * of both packets) would be held and printed for nothing.
 */
export function comparePair(d: PacketSetDiff, k: number, a: PacketTrace, b: PacketTrace, opts: CompareOptions, identical: IdenticalDiffs): CaseDiff {
  const diff = compareTraces([b], [a], opts);
  if (diff.diffs.length) {
    d.changed++;
    return (d.pairs[k].diff = diff);
  }
  diff.traces = [];
  // Identical pairs of one kind of packet have equal diffs (counters, mask uses): one shared object
  // each, so 100k identical pairs cost 100k references, not 100k diffs. Read-only, as every report is.
  const sig = JSON.stringify(diff);
  let shared = identical.get(sig);
  if (!shared) identical.set(sig, (shared = diff));
  return (d.pairs[k].diff = shared);
}

/** The distinct diffs of identical pairs, by their JSON (comparePair). */
export type IdenticalDiffs = Map<string, CaseDiff>;

export function diffPacketSets(a: readonly PacketTrace[], b: readonly PacketTrace[], opts: PacketSetOptions = {}): PacketSetDiff {
  const flows = new Map<string, string>();
  const m = matchPackets(a.map((t) => traceIdentity(t, flows)), b.map((t) => traceIdentity(t, flows)));
  const d = packetSetShell(m, { a: a.map(traceLabel), b: b.map(traceLabel) });
  const { onProgress, withPackets = (t: PacketTrace) => t, ...compare } = opts;
  const identical: IdenticalDiffs = new Map();
  const total = m.matchA.length;
  for (let k = 0; k < total; k++) {
    if (onProgress && k % 1024 === 0) onProgress(k, total);
    comparePair(d, k, withPackets(a[m.matchA[k]]), withPackets(b[m.matchB[k]]), compare, identical);
  }
  onProgress?.(total, total);
  return d;
}
