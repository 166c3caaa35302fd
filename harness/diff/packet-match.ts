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

/** Longest increasing subsequence membership: pairs outside it are the reordered ones. */
function inOrder(bPositions: number[]): boolean[] {
  const n = bPositions.length;
  const len = new Array<number>(n).fill(1);
  const prev = new Array<number>(n).fill(-1);
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) {
    if (bPositions[j] < bPositions[i] && len[j] + 1 > len[i]) {
      len[i] = len[j] + 1;
      prev[i] = j;
    }
  }
  const keep = new Array<boolean>(n).fill(false);
  let best = len.indexOf(Math.max(0, ...len));
  while (best >= 0) {
    keep[best] = true;
    best = prev[best];
  }
  return keep;
}

export function diffPacketSets(a: readonly PacketTrace[], b: readonly PacketTrace[], opts: CompareOptions = {}): PacketSetDiff {
  const usedB = new Set<number>();
  const matches: Array<[number, number]> = [];
  // Strictest identity first, then one identity field at a time for packets whose other fields changed
  // (a TTL, a rewritten sequence number). Never by flow alone: two packets of a flow are different packets.
  const levels: Array<[string[], string | undefined]> = [[[...FLOW, ...IDENTITY], undefined], ...IDENTITY.map((n): [string[], string] => [[...FLOW, n], n])];
  for (const [names, need] of levels) {
    const index = new Map<string, number[]>();
    b.forEach((t, j) => {
      if (usedB.has(j)) return;
      const k = key(t, names, need);
      if (k === undefined) return;
      if (!index.has(k)) index.set(k, []);
      index.get(k)!.push(j);
    });
    a.forEach((t, i) => {
      if (matches.some(([x]) => x === i)) return;
      const k = key(t, names, need);
      const cands = k === undefined ? undefined : index.get(k);
      const j = cands?.find((c) => !usedB.has(c));
      if (j === undefined) return;
      usedB.add(j);
      matches.push([i, j]);
    });
  }
  matches.sort((x, y) => x[0] - y[0]);
  const keep = inOrder(matches.map(([, j]) => j));
  const pairs = matches.map(([i, j], k): PacketPairing => ({
    a: i + 1,
    b: j + 1,
    reordered: !keep[k],
    diff: compareTraces([b[j]], [a[i]], opts),
  }));
  const matchedA = new Set(matches.map(([i]) => i));
  return {
    pairs,
    missing: a.map((_, i) => i).filter((i) => !matchedA.has(i)).map((i) => i + 1),
    extra: b.map((_, j) => j).filter((j) => !usedB.has(j)).map((j) => j + 1),
    changed: pairs.filter((p) => p.diff.diffs.length).length,
    reordered: pairs.filter((p) => p.reordered).length,
    labels: { a: a.map(traceLabel), b: b.map(traceLabel) },
  };
}
