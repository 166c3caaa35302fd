// `dpconform diff A B`: two traces or two captures of the same traffic, matched packet by packet by
// flow and identity (addresses, protocol, ports + IP ID, TCP sequence, payload hash), never by
// position - so a dropped, added or reordered packet is reported as exactly that, and matched packets
// are diffed field by field with the same comparison as `run`.

import type { FieldValue, PacketTrace, Stage } from '../stage.js';
import { compareTraces, type CompareOptions } from './compare.js';
import type { CaseDiff } from './types.js';
import { traceLabel } from './label.js';

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

const FLOW = ['ip4.src', 'ip4.dst', 'ip6.src', 'ip6.dst', 'ip4.protocol', 'ip6.next_header', 'tcp.src_port', 'tcp.dst_port', 'udp.src_port', 'udp.dst_port', 'icmp.type', 'icmp.id', 'icmp6.id'];
const IDENTITY = ['ip4.id', 'tcp.seq', 'tcp.ack', 'icmp.seq', 'icmp6.seq', 'payload.sha256'];

/** The stage that says who a packet is: the first one showing an IP header. */
function idStage(t: PacketTrace): Stage | undefined {
  return t.stages.find((s) => s.fields['ip4.src'] !== undefined || s.fields['ip6.src'] !== undefined) ?? t.stages[0];
}

/** The identity key at one strictness level; undefined when the packet lacks the field that level needs. */
function key(t: PacketTrace, names: string[], need: string | undefined): string | undefined {
  const f = idStage(t)?.fields ?? {};
  if (need && f[need] === undefined) return undefined;
  return names.map((n) => (f[n] === undefined ? '' : String(f[n] as FieldValue))).join('|');
}

/**
 * Longest increasing subsequence membership: pairs outside it are the reordered ones. Of several
 * longest runs the earliest packets are kept (so the packet that jumped ahead is the reordered one).
 * O(n log n), because captures hold hundreds of thousands of packets.
 */
export function inOrder(bPositions: readonly number[]): boolean[] {
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
}

export function diffPacketSets(a: readonly PacketTrace[], b: readonly PacketTrace[], opts: PacketSetOptions = {}): PacketSetDiff {
  const usedB = new Set<number>();
  const matchedA = new Set<number>();
  const matches: Array<[number, number]> = [];
  // Strictest identity first, then one identity field at a time for packets whose other fields changed
  // (a TTL, a rewritten sequence number). Never by flow alone: two packets of a flow are different packets.
  const levels: Array<[string[], string | undefined]> = [[[...FLOW, ...IDENTITY], undefined], ...IDENTITY.map((n): [string[], string] => [[...FLOW, n], n])];
  for (const [names, need] of levels) {
    // Candidates per key in B order, consumed from the front: linear in the packets, not quadratic.
    const index = new Map<string, { js: number[]; next: number }>();
    b.forEach((t, j) => {
      if (usedB.has(j)) return;
      const k = key(t, names, need);
      if (k === undefined) return;
      const e = index.get(k);
      if (e) e.js.push(j);
      else index.set(k, { js: [j], next: 0 });
    });
    a.forEach((t, i) => {
      if (matchedA.has(i)) return;
      const k = key(t, names, need);
      const e = k === undefined ? undefined : index.get(k);
      if (!e) return;
      while (e.next < e.js.length && usedB.has(e.js[e.next])) e.next++;
      if (e.next === e.js.length) return;
      const j = e.js[e.next++];
      usedB.add(j);
      matchedA.add(i);
      matches.push([i, j]);
    });
  }
  matches.sort((x, y) => x[0] - y[0]);
  const keep = inOrder(matches.map(([, j]) => j));
  const { onProgress, ...compare } = opts;
  const pairs = matches.map(([i, j], k): PacketPairing => {
    if (onProgress && k % 1024 === 0) onProgress(k, matches.length);
    const diff = compareTraces([b[j]], [a[i]], compare);
    // An identical pair keeps its counters, not its stage rows: a large capture is mostly identical
    // pairs, and their rows (every field of both packets) would be held and printed for nothing.
    if (!diff.diffs.length) diff.traces = [];
    return { a: i + 1, b: j + 1, reordered: !keep[k], diff };
  });
  onProgress?.(matches.length, matches.length);
  return {
    pairs,
    missing: a.map((_, i) => i).filter((i) => !matchedA.has(i)).map((i) => i + 1),
    extra: b.map((_, j) => j).filter((j) => !usedB.has(j)).map((j) => j + 1),
    changed: pairs.filter((p) => p.diff.diffs.length).length,
    reordered: pairs.filter((p) => p.reordered).length,
    labels: { a: a.map(traceLabel), b: b.map(traceLabel) },
  };
}
