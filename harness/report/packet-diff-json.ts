// JSON for `dpconform diff A B`. The comparison is the one `run` makes, whose records name the golden
// side `expected`/`golden` and the model's `got`/`model`; between two files of one kind neither is
// expected, so each value and stage is named by its side, `a` or `b`, as the text report does
// (`eth.dst A fa:16:3e:eb:e6:79, B fa:16:3e:6f:c7:c5`) and as the pairs' positions already are.

import type { PacketSetDiff } from '../diff/packet-match.js';
import type { CaseDiff, FieldDiff, StageRow } from '../diff/types.js';
import { toJsonSafe } from './serialize.js';

function fieldBySide({ expected, got, ...rest }: FieldDiff) {
  return { ...rest, a: expected, b: got };
}

function rowBySide({ golden, model, ...rest }: StageRow) {
  return { ...rest, a: golden, b: model };
}

function diffBySide(d: CaseDiff) {
  return {
    ...d,
    traces: d.traces.map((t) => ({ ...t, rows: t.rows.map(rowBySide) })),
    diffs: d.diffs.map(fieldBySide),
    divergences: d.divergences.map((v) => ({ ...v, first: fieldBySide(v.first), followers: v.followers.map(fieldBySide) })),
  };
}

export function packetDiffJson(d: PacketSetDiff): string {
  // Identical pairs share one diff object (packet-match.ts comparePair): renamed once each.
  const renamed = new Map<CaseDiff, ReturnType<typeof diffBySide>>();
  const bySide = (x: CaseDiff) => renamed.get(x) ?? renamed.set(x, diffBySide(x)).get(x)!;
  return JSON.stringify(toJsonSafe({ ...d, pairs: d.pairs.map((p) => ({ ...p, diff: bySide(p.diff) })) }), null, 2) + '\n';
}
