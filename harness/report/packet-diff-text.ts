// Text for `dpconform diff A B`.

import { Chalk } from 'chalk';
import type { PacketSetDiff } from '../diff/packet-match.js';
import { describe } from '../diff/explain.js';

export function packetDiffText(d: PacketSetDiff, opts: { color: boolean; a: string; b: string }): string {
  const k = new Chalk({ level: opts.color ? 1 : 0 });
  const out: string[] = [];
  for (const i of d.missing) out.push(k.red(`missing  A#${i} ${d.labels.a[i - 1]}: not in B`));
  for (const j of d.extra) out.push(k.blue(`extra    B#${j} ${d.labels.b[j - 1]}: not in A`));
  for (const p of d.pairs) {
    if (p.reordered) out.push(k.yellow(`reordered A#${p.a} -> B#${p.b} ${d.labels.a[p.a - 1]}`));
    if (!p.diff.diffs.length) continue;
    out.push(k.red(`changed  A#${p.a} -> B#${p.b} ${d.labels.a[p.a - 1]}`));
    // Two files of one kind: neither is expected, each value is named by its side (A, B).
    for (const x of p.diff.diffs.slice(0, 10)) out.push(`    ${x.stage === 'packet' ? '' : x.stage + ': '}${describe(x, p.diff.traces, true)}`);
    if (p.diff.diffs.length > 10) out.push(`    ... ${p.diff.diffs.length - 10} more`);
  }
  for (const path of unusedCliMasks(d)) out.push(k.yellow(`note: --mask '${path}' matched no field in any compared packet`));
  const same = d.pairs.length - d.changed;
  // Fields neither matched nor differing: over bytes one file does not have (a frame its capture cut).
  let unknown = 0;
  for (const p of d.pairs) unknown += p.diff.counters.unknown ?? 0;
  const unknownText = unknown ? `; ${unknown} field${unknown === 1 ? '' : 's'} unknown (bytes a file does not have)` : '';
  out.push('', `A ${opts.a}: ${d.labels.a.length} packets, B ${opts.b}: ${d.labels.b.length} packets; ${same} identical, ${d.changed} changed, ${d.reordered} reordered, ${d.missing.length} missing, ${d.extra.length} extra${unknownText}`);
  return out.join('\n') + '\n';
}

/**
 * --mask paths that hid nothing in any pair (a typo, or a field these packets lack). Each pair's diff
 * notes it for itself (JSON), but the text said nothing, so `-m ip4.tll` looked like a mask that worked.
 */
function unusedCliMasks(d: PacketSetDiff): string[] {
  const hid = new Map<string, number>();
  for (const p of d.pairs) for (const m of p.diff.masks) if (m.origin === 'cli') hid.set(m.path, (hid.get(m.path) ?? 0) + m.fields);
  return [...hid].filter(([, n]) => n === 0).map(([path]) => path);
}
