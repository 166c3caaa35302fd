// From a list of differences to what a person needs: the FIRST diverging stage and field, in one line,
// with the later differences that follow from it grouped under it. A difference "follows" from an
// earlier one when it is the same wrong value carried on (TTL still wrong at the output node, an
// address moved into the inner header by encapsulation or into the reply by NAT), a checksum or hash
// over a field that already differs, or a changed path after the packet already diverged.
// Anything else starts a divergence of its own.

import { checksumCovers, isChecksumKey } from './checksums.js';
import { splitFieldKey } from './mask-path.js';
import { formatValue, valuesEqual } from './values.js';
import type { Divergence, FieldDiff, TraceDiff } from './types.js';

/** Record fields computed from header fields: they change when any header field changes. */
const DERIVED = /(^|\.)(flow_hash|hash|pkt_info\w*|session_index|session)$/;

function follows(d: FieldDiff, e: FieldDiff): boolean {
  if (d.kind === 'missing-stage' || d.kind === 'extra-stage') {
    // A different path through the graph after the packet already differed (or more of the same detour).
    return e.trace === d.trace;
  }
  if (d.kind === 'missing-trace' || d.kind === 'extra-trace') return e.kind !== 'binding';
  // A skipped or extra node explains what is different after it on the same packet (a rewrite not done).
  if (e.kind === 'missing-stage' || e.kind === 'extra-stage') return e.trace === d.trace && d.row > e.row;
  if (e.kind === 'missing-trace' || e.kind === 'extra-trace') return false;
  if (d.expected !== undefined && d.got !== undefined && valuesEqual(d.expected, e.expected) && valuesEqual(d.got, e.got)) return true;
  if (d.trace === e.trace && d.row >= e.row && isChecksumKey(d.path) && checksumCovers(d.path, e.path)) return true;
  if (d.trace === e.trace && d.row >= e.row && (isChecksumKey(d.path) || DERIVED.test(d.path)) && splitFieldKey(e.path).proto !== undefined) {
    // A checksum/hash of another header over a changed field (e.g. tunnel UDP checksum over a changed inner header).
    return isChecksumKey(d.path) ? splitFieldKey(d.path).level !== splitFieldKey(e.path).level : true;
  }
  if (d.trace === e.trace && d.kind === 'bytes' && d.row === e.row) return true;
  return false;
}

/**
 * One line for one difference, without the packet label. `peers`: two files of one kind
 * (`dpconform diff A B`), neither of them expected: each value is named by its side, A (passed as the
 * golden) or B (as the model), as the report's packet lines name them.
 */
export function describe(d: FieldDiff, traces?: readonly TraceDiff[], peers = false): string {
  switch (d.kind) {
    case 'missing-stage': {
      const t = traces?.[d.trace - 1];
      const instead = t?.rows.filter((r) => r.status === 'extra').map((r) => r.node) ?? [];
      const went = instead.length ? ` (${peers ? 'B' : 'model'} went through ${instead.join(', ')})` : '';
      return peers ? `${d.stage} in A only${went}` : `${d.stage} missing in the model${went}`;
    }
    case 'extra-stage':
      return peers ? `${d.stage} in B only` : `model passes through ${d.stage}, the golden does not`;
    case 'missing-trace':
      return peers ? `a packet in A only (starting at ${d.stage})` : `the model produced no trace for this packet (golden starts at ${d.stage})`;
    case 'extra-trace':
      return peers ? `a packet in B only (starting at ${d.stage})` : `the model produced a trace the golden does not have (starting at ${d.stage})`;
    default: {
      const note = d.note ? ` (${d.note})` : '';
      return peers ? `${d.path} A ${formatValue(d.expected, d.path)}, B ${formatValue(d.got, d.path)}${note}` : `${d.path} expected ${formatValue(d.expected, d.path)}, got ${formatValue(d.got, d.path)}${note}`;
    }
  }
}

export function explain(diffs: readonly FieldDiff[], traces: readonly TraceDiff[], peers = false): Divergence[] {
  const out: Array<Divergence & { chain: FieldDiff[] }> = [];
  for (const d of diffs) {
    // Attach to the latest divergence whose chain explains it; otherwise it starts a new one.
    const owner = [...out].reverse().find((v) => v.chain.some((e) => e !== d && follows(d, e)));
    if (owner) {
      owner.followers.push(d);
      owner.chain.push(d);
    } else out.push({ first: d, summary: '', followers: [], chain: [d] });
  }
  return out.map(({ first, followers }) => {
    const label = traces[first.trace - 1]?.label ?? `packet ${first.trace}`;
    const where = first.kind === 'missing-trace' || first.kind === 'extra-trace' ? '' : ` at ${first.stage}`;
    const tail = followers.length ? `; ${followers.length} later ${followers.length === 1 ? 'difference follows' : 'differences follow'} from it` : '';
    return { first, followers, summary: `${label}  diverges${where}: ${describe(first, traces, peers)}${tail}` };
  });
}
