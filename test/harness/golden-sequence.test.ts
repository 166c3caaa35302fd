// Several trace/stage goldens in one case are ONE sequence: their packet traces, concatenated in
// order, are compared with the model's, and a binding captured in the first file is required where
// the second file repeats the golden's value.

import { describe, expect, it } from 'vitest';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runSuite, resolveRegistryModel } from '../../harness/suite/run-suite.js';
import { loadCase } from '../../harness/suite/load-case.js';
import { runCase } from '../../harness/suite/run-case.js';
import type { GoldenSpec } from '../../harness/suite/case-spec.js';
import { editJson, fixtureCopy, models } from './helpers.js';
import { htmlReport } from '../../harness/report/html.js';

const REPO = resolve(import.meta.dirname, '../..');

/**
 * The toy SYN replayed twice: golden 1 is its make_fixtures.py trace, golden 2 the same packet's trace
 * as the model's second flow (flow_index 2). `$id` captures the IP id in the first file's trace; the
 * second file repeats the golden's value (13342), so the model's id there must equal the captured one.
 */
function twoFileCase(opts: { secondInput?: 'same' | 'other-id'; evidence?: string; bindings?: string } = {}): { root: string; dir: string; file: string } {
  const root = fixtureCopy();
  const dir = join(root, 'cases/toy-syn');
  copyFileSync(join(dir, 'syn.golden.json'), join(dir, 'syn2.golden.json'));
  editJson(join(dir, 'syn2.golden.json'), (d) => {
    d.traces[0].stages[1].fields.flow_index = 2;
    d.traces[0].stages[1].lines = ['  flow 2'];
  });
  copyFileSync(join(dir, 'syn.input.json'), join(dir, 'syn2.input.json'));
  if (opts.secondInput === 'other-id') {
    // IP id 0x341e -> 0x341f with the header checksum kept right (0xf09b -> 0xf09a): only the id differs.
    editJson(join(dir, 'syn2.input.json'), (d) => {
      const s = d.traces[0].stages[0];
      s.packet.hex = s.packet.hex.replace('341e40004006f09b', '341f40004006f09a');
      s.fields['ip4.id'] = 0x341f;
      s.fields['ip4.checksum'] = 0xf09a;
    });
  }
  const ev = opts.evidence ?? 'conformance';
  const file = join(dir, 'case.yaml');
  writeFileSync(file, [
    'name: toy/syn-twice',
    'model: toy',
    'scenario: ../../toy-model/scenario.yaml',
    'inputs:',
    '  - file: syn.input.json',
    '  - file: syn2.input.json',
    'golden:',
    `  - { file: syn.golden.json, evidence: ${ev}, source: first SYN }`,
    `  - { file: syn2.golden.json, evidence: ${opts.evidence === 'mixed' ? 'snapshot' : ev}, source: second SYN }`,
    opts.bindings ?? "bindings: { $id: '#1:toy-input.ip4.id' }",
    '',
  ].join('\n').replace('evidence: mixed', 'evidence: conformance'));
  return { root, dir, file };
}

describe('a golden sequence (several trace/stage goldens)', () => {
  it('is compared as the concatenation of its files, in order: one comparison, parts named', async () => {
    const { dir } = twoFileCase();
    const r = await runSuite({ paths: [dir], models });
    const c = r.cases[0];
    expect(c.errors).toEqual([]);
    expect(c.status).toBe('passed');
    expect(c.comparisons).toHaveLength(1);
    const cmp = c.comparisons[0];
    expect(cmp.parts).toEqual([
      { file: join(dir, 'syn.golden.json'), source: 'first SYN', firstTrace: 1, traces: 1 },
      { file: join(dir, 'syn2.golden.json'), source: 'second SYN', firstTrace: 2, traces: 1 },
    ]);
    expect(cmp.diff!.traces.map((t) => t.rows.map((x) => x.status).join())).toEqual(['match,match,match,match', 'match,match,match,match']);
    // The binding was captured in file 1 and required in both files' traces.
    expect(cmp.diff!.bindings).toEqual([{ name: '$id', model: 13342, golden: 13342, at: '#1:toy-input.ip4.id' }]);
    expect(cmp.diff!.traces[1].rows[0].bound).toContain('ip4.id');
    // The HTML report names, per packet, the file of the sequence it came from.
    const html = htmlReport(r);
    expect(html).toContain(`(golden ${join(dir, 'syn.golden.json')} packet 1, first SYN)`);
    expect(html).toContain(`(golden ${join(dir, 'syn2.golden.json')} packet 1, second SYN)`);
  });

  it('each file on its own would not line up (the second golden is the model\'s SECOND trace)', async () => {
    const { dir, file } = twoFileCase();
    writeFileSync(file, readFileSync(file, 'utf8').replace(/  - \{ file: syn\.golden\.json[^\n]*\n/, ''));
    const r = await runSuite({ paths: [dir], models });
    expect(r.cases[0].status).toBe('failed');
    expect(r.cases[0].summary).toMatch(/diverges at toy-lookup: flow_index expected 2, got 1/);
  });

  it('fault: the model\'s value differs in the second file -> fails with the binding note', async () => {
    const { dir } = twoFileCase({ secondInput: 'other-id' });
    const r = await runSuite({ paths: [dir], models });
    const c = r.cases[0];
    expect(c.status).toBe('failed');
    const first = c.comparisons[0].diff!.divergences[0].first;
    expect(first).toMatchObject({ kind: 'binding', trace: 2, stage: 'toy-input', path: 'ip4.id', expected: 13342, got: 0x341f });
    expect(c.summary).toBe('SYN 10.1.1.12:39820 -> 10.1.1.9:8080  diverges at toy-input: ip4.id expected 13342, got 13343 (must equal $id (captured at #1:toy-input.ip4.id)); 2 later differences follow from it');
    // The followers are the same id carried on to the later stages of packet 2.
    expect(c.comparisons[0].diff!.divergences[0].followers.map((f) => `#${f.trace} ${f.stage} ${f.path}`)).toEqual(['#2 toy-rewrite ip4.id', '#2 tap8-output ip4.id']);
  });

  it('mixing conformance and snapshot goldens in one sequence is a load error (line and key)', async () => {
    const { dir, file } = twoFileCase({ evidence: 'mixed' });
    const r = await runSuite({ paths: [dir], models });
    expect(r.exitCode).toBe(2);
    expect(r.cases[0].errors.map((e) => e.message)).toEqual([
      `${file} (line 8, key golden): the trace/stage goldens of a case are compared as one sequence: make them all conformance or all snapshot`,
    ]);
  });

  it('--update of a snapshot sequence splits the model traces by file; a missing last file takes the rest', async () => {
    const { dir } = twoFileCase({ evidence: 'snapshot', bindings: '' });
    const second = join(dir, 'syn2.golden.json');
    const { unlinkSync } = await import('node:fs');
    unlinkSync(second);
    const skip = await runSuite({ paths: [dir], models });
    expect(skip.cases[0].status).toBe('skipped');
    const w = await runSuite({ paths: [dir], models, update: true });
    expect(w.cases[0].comparisons[0].updates!.map((u) => [u.file, u.created])).toEqual([
      [join(dir, 'syn.golden.json'), false],
      [second, true],
    ]);
    expect(existsSync(second)).toBe(true);
    expect(JSON.parse(readFileSync(join(dir, 'syn.golden.json'), 'utf8')).traces).toHaveLength(1);
    expect(JSON.parse(readFileSync(second, 'utf8')).traces[0].stages[1].fields.flow_index).toBe(2);
    expect((await runSuite({ paths: [dir], models })).cases[0].status).toBe('passed');
    // A missing FIRST file cannot be written: how many traces it held is unknown.
    unlinkSync(join(dir, 'syn.golden.json'));
    const m = await runSuite({ paths: [dir], models, update: true });
    expect(m.cases[0].comparisons[0]).toMatchObject({ state: 'missing', file: join(dir, 'syn.golden.json') });
    expect(m.cases[0].comparisons[0].note).toMatch(/only as the last of a golden sequence/);
  });
});

describe('real seed traces as a sequence', () => {
  // The response case replays request then response; [request.trace, response.trace] must compare
  // exactly like the two files' text concatenated, bindings spanning the files.
  it.each(['pod-to-service-same-node', 'pod-to-pod-other-node'])('%s: [request.trace, response.trace] = their concatenation, binding across files', async (flow) => {
    const { spec, errors } = loadCase(join(REPO, `fixtures/contiv/${flow}/response/case.yaml`), flow);
    if (!spec) throw errors[0];
    const req = join(REPO, `golden/contiv/${flow}.request.trace`);
    const resp = join(REPO, `golden/contiv/${flow}.response.trace`);
    const g = (file: string): GoldenSpec => ({ file, kind: 'trace', evidence: 'conformance' });
    const dir = mkdtempSync(join(tmpdir(), 'dpconform-seq-'));
    const cat = join(dir, 'both.trace');
    writeFileSync(cat, readFileSync(req, 'utf8') + readFileSync(resp, 'utf8'));
    const asOne = await runCase({ ...spec, goldens: [g(cat)] }, { resolveModel: resolveRegistryModel });
    const asTwo = await runCase({ ...spec, goldens: [g(req), g(resp)] }, { resolveModel: resolveRegistryModel });
    expect(asTwo.errors).toEqual([]);
    expect(asTwo.status).toBe('passed');
    expect(asTwo.counters).toEqual(asOne.counters);
    const d = asTwo.comparisons[0].diff!;
    expect(d.bindings).toEqual(asOne.comparisons[0].diff!.bindings);
    expect(asTwo.comparisons[0].parts!.map((p) => p.file)).toEqual([req, resp]);
    if (spec.bindings.length) {
      // Captured in the request file's traces, required in the response file's.
      const part2 = asTwo.comparisons[0].parts![1].firstTrace;
      expect(Number(d.bindings[0].at!.match(/^#(\d+):/)![1])).toBeLessThan(part2);
      expect(d.traces.slice(part2 - 1).some((t) => t.rows.some((row) => row.bound.length))).toBe(true);
    }
  });
});
