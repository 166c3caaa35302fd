// Checksums in text reports are shown as VPP's trace (format_ip4_header: `checksum 0x%04x`) and
// `inspect` show them, 0x%04x: `ip4.checksum A 34820, B 35076` could not be found in a trace that
// says `checksum 0x8804`. JSON keeps the number (a program reads it).

import { describe as group, expect, it } from 'vitest';
import { compareTraces } from '../../harness/diff/compare.js';
import { describe } from '../../harness/diff/explain.js';
import { formatValue } from '../../harness/diff/values.js';
import { htmlReport } from '../../harness/report/html.js';
import { caseLines } from '../../harness/report/text.js';
import { junitReport } from '../../harness/report/junit.js';
import { packetDiffJson } from '../../harness/report/packet-diff-json.js';
import { packetDiffText } from '../../harness/report/packet-diff-text.js';
import { diffPacketSets } from '../../harness/diff/packet-match.js';
import { describeDivergence } from '../../harness/check/check.js';
import type { PacketTrace } from '../../harness/stage.js';
import type { CaseResult, SuiteResult } from '../../harness/suite/result.js';

const trace = (checksum: number, innerChecksum: number, ttl: number): PacketTrace => ({
  stages: [{ node: 'ip4-rewrite', lines: [], fields: { 'ip4.src': '10.1.1.3', 'ip4.dst': '10.1.1.5', 'ip4.ttl': ttl, 'ip4.checksum': checksum, 'inner.udp.checksum': innerChecksum } }],
});

const diff = compareTraces([trace(0x8904, 0x0a, 63)], [trace(0x8804, 0xbeef, 64)]);

function suite(): SuiteResult {
  const c: CaseResult = { name: 'c', file: 'c/case.yaml', tags: [], status: 'failed', evidence: 'conformance', comparisons: [{ file: 'g.trace', kind: 'trace', evidence: 'conformance', state: 'compared', diff }], errors: [], counters: diff.counters, durationMs: 1 };
  return { cases: [c], conformance: diff.counters, snapshot: diff.counters, totals: { passed: 0, failed: 1, error: 0, skipped: 0 }, durationMs: 1, exitCode: 1 };
}

group('checksums print in hex in text reports', () => {
  it('a checksum field 0x%04x, any other number in decimal', () => {
    expect(formatValue(34820, 'ip4.checksum')).toBe('0x8804');
    expect(formatValue(10, 'inner.udp.checksum')).toBe('0x000a');
    expect(formatValue(64, 'ip4.ttl')).toBe('64');
    expect(formatValue(34820)).toBe('34820');
  });

  it('run: the divergence line and its followers (text, junit, html)', () => {
    const lines = diff.diffs.map((d) => describe(d));
    // A checksum's line goes on with its provenance note: the values are its start.
    expect(lines.some((l) => l.startsWith('ip4.checksum expected 0x8804, got 0x8904'))).toBe(true);
    expect(lines.some((l) => l.startsWith('inner.udp.checksum expected 0xbeef, got 0x000a'))).toBe(true);
    const text = caseLines(suite().cases[0], { color: false, verbose: true }).join('\n');
    expect(text).toContain('expected 0x8804, got 0x8904');
    expect(text).not.toContain('34820');
    const junit = junitReport(suite());
    expect(junit).toContain('expected 0x8804, got 0x8904');
    expect(junit).not.toContain('34820');
    const html = htmlReport(suite());
    expect(html).toContain('<td class="expected">0x8804</td><td class="got">0x8904</td>');
    expect(html).not.toContain('34820');
  });

  it('diff A B: text in hex, JSON numeric', () => {
    const d = diffPacketSets([trace(0x8804, 0xbeef, 64)], [trace(0x8904, 0x0a, 64)]);
    const text = packetDiffText(d, { color: false, a: 'a.trace', b: 'b.trace' });
    expect(text).toContain('ip4.checksum A 0x8804, B 0x8904');
    const json = JSON.parse(packetDiffJson(d)) as unknown;
    expect(JSON.stringify(json)).toContain('"a":34820,"b":35076');
  });

  it('check: a field divergence shows a checksum 0x%04x, other values as before', () => {
    const at = { kind: 'field' as const, device: 'qrouter:qr-1', captured: 'c.pcap:3', input: 'i.pcap:1', key: 'k', time: 0n, pos: 0 };
    expect(describeDivergence({ ...at, diff: { field: 'ip4.checksum', model: 0x8804, captured: 0x8904 } })).toContain('field ip4.checksum: model 0x8804, captured 0x8904');
    expect(describeDivergence({ ...at, diff: { field: 'ip4.ttl', model: 62, captured: 63 } })).toContain('field ip4.ttl: model 62, captured 63');
  });
});
