// `run` reports what the trace reader says about a case's trace files, as `trace parse`, `diff` and
// `replay` print it: the warnings were lost in run (its cases read goldens and trace inputs through
// the library, which told nobody). Seed 004's host-to-pod response block begins with a body line
// whose node header the seed cut off, which the reader reads as virtio-input and warns about.

import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { dpconform } from './spawn-cli.js';

const golden = join(process.cwd(), 'golden/contiv/host-to-pod.response.trace');
const expected = `${golden}:1: warning: body line without its node header: read as virtio-input`;

describe('run and the trace reader warnings', () => {
  it('prints them under the case that read the file', () => {
    const r = dpconform(['run', 'fixtures/contiv/host-to-pod']);
    expect(r.status).toBe(0);
    const lines = r.stdout.split('\n');
    const at = lines.findIndex((l) => l.startsWith('PASS contiv/host-to-pod/response'));
    expect(at).toBeGreaterThanOrEqual(0);
    // The text names the file as the report's other paths, relative to where it runs; JSON keeps it whole.
    expect(lines[at + 1].trim()).toBe(expected.replace(`${process.cwd()}/`, ''));
  });

  it('keeps them in the JSON report, also when cases run on worker threads', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'dpconform-run-warnings-')), 'r.json');
    const r = dpconform(['run', 'fixtures/contiv/host-to-pod', '--jobs', '2', '--reporter', 'json', '--output', out]);
    expect(r.status).toBe(0);
    const report = JSON.parse(readFileSync(out, 'utf8')) as { cases: Array<{ name: string; warnings?: string[] }> };
    expect(report.cases.find((c) => c.name === 'contiv/host-to-pod/response')?.warnings).toEqual([expected]);
  });
});

describe('run and a trace input it cannot rebuild', () => {
  it('is an error of the case naming the file, packet and line, not a replay of a remnant', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dpconform-run-damaged-'));
    const root = process.cwd();
    const goldenText = readFileSync(join(root, 'golden/contiv/host-to-pod.request.trace'), 'utf8');
    // ip4-input's header line with a TTL past its C width: the reader keeps the record as raw text.
    const damaged = goldenText.replace('ttl 64,', 'ttl 99999999999999999999,');
    expect(damaged).not.toBe(goldenText);
    writeFileSync(join(dir, 'input.trace'), damaged);
    writeFileSync(
      join(dir, 'case.yaml'),
      [
        'name: damaged-trace-input',
        'model: vpp',
        `scenario: ${join(root, 'fixtures/contiv/host-to-pod/scenario.yaml')}`,
        'inputs:',
        '  - file: input.trace',
        '    at: { instance: k8s-master }',
        'golden:',
        `  file: ${join(root, 'golden/contiv/host-to-pod.request.trace')}`,
        '  evidence: snapshot',
        '  source: test',
        '',
      ].join('\n'),
    );
    const r = dpconform(['run', dir]);
    expect(r.status).toBe(2);
    expect(r.stdout).toMatch(/input\.trace \(line \d+, packet 1\): cannot rebuild the frame entering virtio-input: the ip4-input record is not understood/);
  });
});
