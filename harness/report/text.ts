// The text report (always on stdout): one line per case, the first divergence explained in one line
// with what follows from it, and the counters. Colour only when the stream is a TTY.

import { Chalk } from 'chalk';
import { relative } from 'node:path';
import type { CaseResult, SuiteResult } from '../suite/result.js';
import { describe } from '../diff/explain.js';
import type { Counters } from '../diff/types.js';
import { boundValueText } from '../check/bindings.js';

export interface TextOptions {
  color: boolean;
  /** Paths are shown relative to this folder. */
  cwd?: string;
  /** Show every divergence and follower, not just the first few. */
  verbose?: boolean;
}

export function counterText(c: Counters): string {
  return `${c.compared} fields compared, ${c.matched} matched, ${c.masked} masked${c.bound ? `, ${c.bound} bound` : ''}${c.unknown ? `, ${c.unknown} unknown in the model` : ''}`;
}

export function caseLines(c: CaseResult, opts: TextOptions): string[] {
  const k = new Chalk({ level: opts.color ? 1 : 0 });
  const rel = (f: string) => relative(opts.cwd ?? process.cwd(), f) || f;
  const snap = c.evidence === 'snapshot' ? k.yellow(' [snapshot: regression only, not conformance evidence]') : '';
  const out: string[] = [];
  switch (c.status) {
    case 'passed':
      out.push(`${k.green('PASS')} ${c.name}${snap}  ${k.dim(counterText(c.counters))}`);
      break;
    case 'skipped':
      out.push(`${k.cyan('SKIP')} ${c.name}${snap}  ${k.dim(c.skipReason ?? '')}`);
      break;
    case 'error':
      out.push(`${k.magenta('ERROR')} ${c.name}`);
      for (const e of c.errors) out.push(`    ${e.message.replace(/^\S+?(?= \(|:)/, (f) => rel(f))}`);
      break;
    case 'failed': {
      out.push(`${k.red('FAIL')} ${c.name}${snap}  ${k.dim(counterText(c.counters))}`);
      for (const cmp of c.comparisons) {
        if (cmp.state === 'missing') out.push(`    ${k.red(cmp.note ?? 'golden missing')}: ${rel(cmp.file)}`);
        const divs = cmp.diff?.divergences ?? [];
        const shown = opts.verbose ? divs : divs.slice(0, 3);
        for (const d of shown) {
          out.push(`    ${k.red(d.summary)}`);
          const fl = opts.verbose ? d.followers : d.followers.slice(0, 5);
          for (const f of fl) out.push(k.dim(`      ${f.stage}: ${describe(f)}`));
          if (fl.length < d.followers.length) out.push(k.dim(`      ... ${d.followers.length - fl.length} more`));
        }
        if (shown.length < divs.length) out.push(k.dim(`    ... ${divs.length - shown.length} more divergences (--verbose)`));
      }
      break;
    }
  }
  // A reader warning names its file as the case resolved it (absolute): shown as the other paths here are.
  for (const w of c.warnings ?? []) out.push(k.dim(`    ${w.replace(/^\/.+?(?=:\d+: warning: )/, (f) => rel(f))}`));
  for (const b of c.bound ?? []) out.push(k.dim(`    bound ${b.id} = ${boundValueText(b.value)} (from ${rel(b.captured)})${b.refused ? ` - REFUSED: ${b.refused}` : ""}`));
  for (const cmp of c.comparisons) {
    for (const u of cmp.updates ?? []) {
      out.push(`    ${k.yellow(u.created ? 'written' : u.unchanged ? 'unchanged' : 'updated')} ${rel(u.file)}${u.unchanged ? '' : ` (+${u.added} -${u.removed} ${u.unit ?? 'lines'})`}`);
      for (const p of u.preview) out.push(k.dim(`      ${p}`));
    }
    if (cmp.note && cmp.state === 'compared') out.push(k.dim(`    note: ${cmp.note}`));
    // --verbose: what each mask hid and why, so a reader can judge every field left unchecked.
    if (opts.verbose) for (const m of cmp.diff?.masks ?? []) if (m.fields) out.push(k.dim(`    masked by ${m.path} (${m.origin}): ${m.fields} field${m.fields === 1 ? '' : 's'}, ${m.reason ?? 'no reason given'}`));
    for (const n of cmp.diff?.notes ?? []) out.push(k.dim(`    note: ${n}`));
  }
  return out;
}

export function textReport(r: SuiteResult, opts: TextOptions): string {
  const k = new Chalk({ level: opts.color ? 1 : 0 });
  const lines = r.cases.flatMap((c) => caseLines(c, opts));
  const t = r.totals;
  const parts = [
    t.passed && k.green(`${t.passed} passed`),
    t.failed && k.red(`${t.failed} failed`),
    t.error && k.magenta(`${t.error} with errors`),
    t.skipped && k.cyan(`${t.skipped} skipped`),
  ].filter(Boolean);
  lines.push('');
  lines.push(`${r.cases.length} cases${r.shard ? ` (shard ${r.shard})` : ''}: ${parts.join(', ') || 'none ran'}  in ${(r.durationMs / 1000).toFixed(2)} s`);
  lines.push(`conformance: ${counterText(r.conformance)}`);
  for (const n of r.notes ?? []) lines.push(k.dim(`note: ${n}`));
  if (r.snapshot.compared || r.cases.some((c) => c.evidence === 'snapshot')) lines.push(k.yellow(`snapshots (regression only, not evidence): ${counterText(r.snapshot)}`));
  return lines.join('\n') + '\n';
}
