// A markdown document of pasted VPP traces (seed 004) printed 84 warnings before `trace parse`'s
// summary, one per indented prose line and per code fence, the few that matter lost among them;
// `replay`, `diff` and `trace show` printed the same. Warnings are now grouped by kind wherever they
// are printed (harness/vpp-trace/warning-line.ts): the first 3 of each kind with their lines, then
// one line per kind, `N more '<kind>' warnings (lines a-b)`; --verbose lists them all. The reader keeps
// every warning (it capped them at 50 of a kind, warnings-true-count.test.ts): grouping is printing.
// Every command that reads a trace prints them so (trace parse/show/fmt/to-pcap, replay, diff), each
// with -v, --verbose (harness/cli/verbose-option.ts): fmt and to-pcap printed none, replay and diff
// refused -v.

import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { groupedWarnings } from '../../harness/vpp-trace/warning-line.js';
import { dpconform } from '../cli/spawn-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'warnings-grouped-'));
const trace = readFileSync('golden/contiv/pod-to-pod-same-node.request.trace', 'utf8');
/** Lines 3..62: 60 indented prose lines (more than the reader lists of a kind); then a fenced trace, twice. */
const PROSE = 60;
const doc = ['# Notes', '', ...Array.from({ length: PROSE }, (_, i) => `    indented note ${i + 1}`), '', '```', trace.trimEnd(), '```', '', '```', trace.trimEnd(), '```', ''].join('\n');
const DOC = join(dir, 'notes.txt');
writeFileSync(DOC, doc);
const fences = doc.split('\n').flatMap((l, i) => (l.startsWith('```') ? [i + 1] : []));

const ORPHAN = 'indented line outside any stage';
const grouped = (prefix: (line: number) => string) => [
  ...[3, 4, 5].map((n) => `${prefix(n)}${ORPHAN}`),
  ...fences.slice(0, 3).map((n) => `${prefix(n)}markdown code fence`),
  `${prefix(6)}${PROSE - 3} more '${ORPHAN}' warnings (lines 6-${PROSE + 2})`,
  `${prefix(fences[3])}1 more 'markdown code fence' warning (line ${fences[3]})`,
];

describe('trace warnings grouped by kind', () => {
  it('trace parse: the first 3 of each kind, then one line per kind for the rest', () => {
    const r = dpconform(['trace', 'parse', DOC]);
    expect(r.status).toBe(0);
    expect(r.errLines).toEqual(grouped((n) => `${DOC}:${n}: warning: `));
  });

  it('trace parse --verbose: every warning, the reader lists past its cap too', () => {
    const r = dpconform(['trace', 'parse', '--verbose', DOC]);
    expect(r.errLines.filter((l) => l.endsWith(ORPHAN))).toHaveLength(PROSE);
    expect(r.errLines.filter((l) => l.endsWith('markdown code fence'))).toHaveLength(4);
    expect(r.errLines.filter((l) => l.includes(' more '))).toEqual([]);
  });

  it('trace show prints them grouped the same way, each named `file:line: warning:` as elsewhere', () => {
    // It printed `warning: line 954: ...`, no file name, unlike every other command.
    const r = dpconform(['trace', 'show', DOC]);
    expect(r.stdout.split('\n').filter((l) => l.includes(': warning: '))).toEqual(grouped((n) => `${DOC}:${n}: warning: `));
  });

  it('trace fmt (canonical and verbatim) and to-pcap print them grouped too', () => {
    const expected = grouped((n) => `${DOC}:${n}: warning: `);
    expect(dpconform(['trace', 'fmt', DOC]).errLines).toEqual(expected);
    expect(dpconform(['trace', 'fmt', '--verbatim', DOC]).errLines).toEqual(expected);
    const out = join(dir, 'notes.pcapng');
    expect(dpconform(['trace', 'to-pcap', DOC, '-o', out]).errLines.slice(0, -1)).toEqual(expected);
  });

  it('-v, --verbose lists every warning in every command that reads a trace', () => {
    const all = (lines: string[]) => {
      expect(lines.filter((l) => l.endsWith(ORPHAN))).toHaveLength(PROSE);
      expect(lines.filter((l) => l.includes(' more '))).toEqual([]);
    };
    all(dpconform(['trace', 'fmt', '-v', DOC]).errLines);
    all(dpconform(['trace', 'fmt', '--verbatim', '--verbose', DOC]).errLines);
    all(dpconform(['trace', 'to-pcap', DOC, '-o', join(dir, 'v.pcapng'), '-v']).errLines);
    all(dpconform(['trace', 'show', '-v', DOC]).stdout.split('\n'));
    const replay = dpconform(['replay', '--scenario', 'fixtures/contiv/pod-to-pod-same-node/scenario.yaml', '--instance', 'k8s-master', '--input', DOC, '-v']);
    expect(replay.status).toBe(0);
    all(replay.errLines);
    const diff = dpconform(['diff', '-v', DOC, DOC]);
    expect(diff.status).toBe(0);
    all(diff.errLines.filter((l) => l.startsWith(DOC)).slice(0, PROSE + 4));
  });

  it('replay of the document and diff of it print them grouped', () => {
    const scenario = 'fixtures/contiv/pod-to-pod-same-node/scenario.yaml';
    const replay = dpconform(['replay', '--scenario', scenario, '--instance', 'k8s-master', '--input', DOC]);
    expect(replay.status).toBe(0);
    expect(replay.errLines).toEqual(grouped((n) => `${DOC}:${n}: warning: `));
    const other = join(dir, 'other.txt');
    writeFileSync(other, doc);
    const diff = dpconform(['diff', DOC, other]);
    // each file's warnings as it is read, the closing counts once both are
    const [a, b] = [DOC, other].map((f) => grouped((n) => `${f}:${n}: warning: `));
    expect(diff.errLines).toEqual([...a.slice(0, 6), ...b.slice(0, 6), ...a.slice(6), ...b.slice(6)]);
  });

  it("trace fmt's warnings (a stage printed without its lost header's time) are grouped too", () => {
    // Five packets whose virtio-input header line is lost: its body is read as virtio-input's.
    const body = trace.split('\n').slice(2).filter((l) => !l.endsWith(': virtio-input')).join('\n').trimEnd();
    const lost = join(dir, 'lost.txt');
    writeFileSync(lost, [1, 2, 3, 4, 5].map((n) => `Packet ${n}\n\n${body}\n`).join('\n'));
    const lines = readFileSync(lost, 'utf8').split('\n').flatMap((l, i) => (l.startsWith('  virtio: ') ? [i + 1] : []));
    const said = 'virtio-input has no node header line of its own: printed with time 00:00:00:000000';
    // The reader's own warning about each lost header comes first (fmt prints the reader's warnings as trace parse does).
    const read = 'body line without its node header: read as virtio-input';
    expect(dpconform(['trace', 'fmt', lost]).errLines).toEqual([
      ...lines.slice(0, 3).map((n) => `${lost}:${n}: warning: ${read}`),
      ...lines.slice(0, 3).map((n) => `${lost}:${n}: warning: ${said}`),
      `${lost}:${lines[3]}: warning: 2 more '${read}' warnings (lines ${lines[3]}-${lines[4]})`,
      `${lost}:${lines[3]}: warning: 2 more '${said}' warnings (lines ${lines[3]}-${lines[4]})`,
    ]);
    expect(dpconform(['trace', 'fmt', '-v', lost]).errLines).toEqual([...lines.map((n) => `${lost}:${n}: warning: ${read}`), ...lines.map((n) => `${lost}:${n}: warning: ${said}`)]);
  });

  it('a kind whose messages differ is named by its code', () => {
    const ws = [1, 2, 3, 4, 5].map((line) => ({ line, code: 'split-input-node', message: `node ${line} starts a new packet` }));
    expect([...groupedWarnings(ws)].map((w) => w.message)).toEqual(['node 1 starts a new packet', 'node 2 starts a new packet', 'node 3 starts a new packet', "2 more 'split-input-node' warnings (lines 4-5)"]);
  });
});
