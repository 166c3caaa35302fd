// JUnit XML for CI dashboards: one <testcase> per case, the first divergence as the failure message.
// Written to the strictest common schema (Ant's, as in the widely used JUnit.xsd): testsuite carries
// name, tests, failures, errors, skipped, time, timestamp (no zone), hostname, id, package, and holds
// properties, testcases, system-out and system-err in that order; failure/error carry message + type.

import { hostname } from 'node:os';
import type { SuiteResult } from '../suite/result.js';
import { describe } from '../diff/explain.js';
import { counterText } from './text.js';

/** XML 1.0 text: escape markup, drop characters XML cannot carry (control chars, lone surrogates). */
export function xmlEscape(s: string): string {
  return s
    .replace(/[^\x09\x0a\x0d\x20-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu, '\ufffd')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

const attr = (o: Record<string, string | number>) => Object.entries(o).map(([k, v]) => ` ${k}="${xmlEscape(String(v))}"`).join('');
const secs = (ms: number) => (ms / 1000).toFixed(3);

export function junitReport(r: SuiteResult, now = new Date()): string {
  const t = r.totals;
  const suite = {
    name: 'dpconform',
    tests: r.cases.length,
    failures: t.failed,
    errors: t.error,
    skipped: t.skipped,
    time: secs(r.durationMs),
  };
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>', `<testsuites${attr(suite)}>`];
  out.push(`  <testsuite${attr({ ...suite, name: 'dpconform.run', timestamp: now.toISOString().slice(0, 19), hostname: hostname() || 'localhost', id: 0, package: 'dpconform' })}>`);
  out.push('    <properties>');
  if (r.shard) out.push(`      <property${attr({ name: 'shard', value: r.shard })}/>`);
  out.push(`      <property${attr({ name: 'conformance', value: counterText(r.conformance) })}/>`);
  out.push(`      <property${attr({ name: 'snapshot', value: counterText(r.snapshot) })}/>`);
  out.push('    </properties>');
  for (const c of r.cases) {
    const classname = c.evidence === 'snapshot' ? `snapshot.${c.model ?? 'unknown'}` : `conformance.${c.model ?? 'unknown'}`;
    const open = `    <testcase${attr({ name: c.name, classname, time: secs(c.durationMs) })}`;
    if (c.status === 'passed') {
      out.push(`${open}/>`);
      continue;
    }
    out.push(`${open}>`);
    if (c.status === 'failed') {
      const body = c.comparisons.flatMap((cmp) => [
        ...(cmp.note ? [cmp.note] : []),
        ...(cmp.diff?.divergences ?? []).flatMap((d) => [d.summary, ...d.followers.map((f) => `  ${f.stage}: ${describe(f)}`)]),
      ]);
      out.push(`      <failure${attr({ message: c.summary ?? 'diverged', type: c.evidence === 'snapshot' ? 'snapshot-regression' : 'conformance' })}>${xmlEscape(body.join('\n'))}</failure>`);
    } else if (c.status === 'error') {
      out.push(`      <error${attr({ message: c.errors[0]?.message ?? 'error', type: c.errors[0]?.code ?? 'input' })}>${xmlEscape(c.errors.map((e) => e.message).join('\n'))}</error>`);
    } else {
      out.push(`      <skipped${attr({ message: c.skipReason ?? 'skipped' })}/>`);
    }
    if (c.evidence === 'snapshot') out.push(`      <system-out>${xmlEscape('snapshot golden: regression only, not conformance evidence')}</system-out>`);
    out.push('    </testcase>');
  }
  out.push('    <system-out/>', '    <system-err/>', '  </testsuite>', '</testsuites>');
  return out.join('\n') + '\n';
}
