// Options of one golden entry: its own masks (with reasons, only for that golden, `#N:` counting its
// own packets) and, for captures, `packets:` selecting which frames of the file are compared.

import { describe, expect, it } from 'vitest';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runSuite } from '../../harness/suite/run-suite.js';
import { editJson, fixtureCopy, FIXTURES, models } from './helpers.js';
import { pcap } from './pcap-bytes.js';

const frames = JSON.parse(readFileSync(join(FIXTURES, 'capture-cases/frames.json'), 'utf8')) as Record<string, string>;

/** toy-syn replayed twice against [syn.golden.json, syn2.golden.json]; `golden2` is that entry's extra YAML. */
function sequenceCase(golden2: string, edit?: { file: 1 | 2; flowIndex: number }): string {
  const root = fixtureCopy();
  const dir = join(root, 'cases/toy-syn');
  copyFileSync(join(dir, 'syn.golden.json'), join(dir, 'syn2.golden.json'));
  editJson(join(dir, 'syn2.golden.json'), (d) => (d.traces[0].stages[1].fields.flow_index = 2));
  if (edit) editJson(join(dir, edit.file === 1 ? 'syn.golden.json' : 'syn2.golden.json'), (d) => (d.traces[0].stages[1].fields.flow_index = edit.flowIndex));
  writeFileSync(join(dir, 'case.yaml'), [
    'name: toy/syn-twice',
    'model: toy',
    'scenario: ../../toy-model/scenario.yaml',
    'inputs: [{ file: syn.input.json }, { file: syn.input.json }]',
    'golden:',
    '  - { file: syn.golden.json, evidence: conformance }',
    '  - file: syn2.golden.json',
    '    evidence: conformance',
    ...golden2.split('\n').filter(Boolean).map((l) => `    ${l}`),
    '',
  ].join('\n'));
  return dir;
}

const FLOW_MASK = "masks: [{ path: '#1:toy-lookup.flow_index', reason: 'test: flows counted by a warm-up the golden does not show' }]";

describe('per-golden masks', () => {
  it('apply to their golden only; #N counts that golden\'s own packets; the report says origin and reason', async () => {
    const dir = sequenceCase(FLOW_MASK, { file: 2, flowIndex: 7 });
    const r = await runSuite({ paths: [dir], models });
    const c = r.cases[0];
    expect(c.errors).toEqual([]);
    expect(c.status).toBe('passed');
    const d = c.comparisons[0].diff!;
    expect(d.masks.filter((m) => m.origin === 'golden')).toEqual([{ path: '#1:toy-lookup.flow_index', reason: 'test: flows counted by a warm-up the golden does not show', origin: 'golden', fields: 1 }]);
    expect(d.traces[1].rows[1].masked).toEqual(['flow_index']);
    expect(d.traces[0].rows[1].masked).toEqual([]);
  });

  it('fault: the same wrong value in the OTHER golden is not masked -> fails there', async () => {
    const dir = sequenceCase(FLOW_MASK, { file: 1, flowIndex: 7 });
    const r = await runSuite({ paths: [dir], models });
    expect(r.cases[0].status).toBe('failed');
    expect(r.cases[0].summary).toMatch(/diverges at toy-lookup: flow_index expected 7, got 1/);
    expect(r.cases[0].comparisons[0].diff!.divergences[0].first.trace).toBe(1);
  });

  it('a golden mask without a reason (plain string: golden masks have no legacy form) is a load error with line and key', async () => {
    const dir = sequenceCase("masks: ['toy-lookup.flow_index']\n");
    const r = await runSuite({ paths: [dir], models });
    expect(r.exitCode).toBe(2);
    expect(r.cases[0].errors.map((e) => e.message)).toEqual([
      `${join(dir, 'case.yaml')} (line 9, key golden[1].masks[0]): a mask says why the field cannot be compared: write { path: 'toy-lookup.flow_index', reason: '...' }`,
    ]);
  });
});

describe('capture golden packets:', () => {
  /** toy-capture with a golden of two frames: an unrelated one first, then what the model sends. */
  function twoFrameGolden(extra: string): { dir: string; golden: string } {
    const root = fixtureCopy();
    const dir = join(root, 'capture-cases/toy-capture');
    const golden = join(dir, 'tap8.golden.pcap');
    writeFileSync(golden, pcap([Buffer.from(frames.input, 'hex'), Buffer.from(frames.tap8, 'hex')]));
    const f = join(dir, 'case.yaml');
    writeFileSync(f, readFileSync(f, 'utf8').replace('  interface: tap8\n', `  interface: tap8\n${extra}`));
    return { dir, golden };
  }

  it('compares only the frames named, in that order', async () => {
    const { dir } = twoFrameGolden('  packets: [2]\n');
    const r = await runSuite({ paths: [dir], models });
    expect(r.cases[0].errors).toEqual([]);
    expect(r.cases[0].status).toBe('passed');
    expect(r.cases[0].comparisons[0].diff!.traces).toHaveLength(1);
  });

  it('fault: without the selection the extra frame is a divergence; a frame past the end is exit 2 naming it', async () => {
    const all = twoFrameGolden('');
    expect((await runSuite({ paths: [all.dir], models })).cases[0].status).toBe('failed');
    const past = twoFrameGolden('  packets: [3]\n');
    const r = await runSuite({ paths: [past.dir], models });
    expect(r.exitCode).toBe(2);
    // Reported at case.yaml's packets: (the capture has no lines); it said `tap8.golden.pcap (line N, key packets)`.
    expect(r.cases[0].errors[0].message).toMatch(/case\.yaml \(line \d+, key golden\.packets\): packet 3 requested but tap8\.golden\.pcap holds 2/);
  });

  it('a frame listed twice is a load error at its position (it would be compared with two outputs, matched by either)', async () => {
    const { dir } = twoFrameGolden('  packets: [2, 1, 2]\n');
    const r = await runSuite({ paths: [dir], models });
    expect(r.exitCode).toBe(2);
    expect(r.cases[0].errors.map((e) => e.message)).toEqual([expect.stringMatching(/case\.yaml \(line \d+, key golden\.packets\[2\]\): frame 2 is listed twice \(also golden\.packets\[0\]\): a captured frame is compared once$/)]);
  });

  it('golden masks on a capture count the selected packets; packets: on a trace golden is a load error', async () => {
    const { dir } = twoFrameGolden("  packets: [2]\n  masks: [{ path: '#1:ip4.ttl', reason: 'test' }]\n");
    const golden = join(dir, 'tap8.golden.pcap');
    const b = Buffer.from(readFileSync(golden));
    const second = 24 + 16 + frames.input.length / 2 + 16;
    b[second + 22] = 62;
    writeFileSync(golden, b);
    const r = await runSuite({ paths: [dir], models });
    expect(r.cases[0].status).toBe('passed');
    expect(r.cases[0].comparisons[0].diff!.traces[0].rows[0].masked).toContain('ip4.ttl');

    const seq = sequenceCase('packets: [1]\n');
    const e = await runSuite({ paths: [seq], models });
    expect(e.exitCode).toBe(2);
    expect(e.cases[0].errors[0].message).toMatch(/\(line 9, key golden\[1\]\.packets\): packets: selects frames of a capture golden/);
  });

  it('--update never rewrites a snapshot compared in part (the other frames would be lost)', async () => {
    const { dir, golden } = twoFrameGolden('  packets: [2]\n');
    const f = join(dir, 'case.yaml');
    writeFileSync(f, readFileSync(f, 'utf8').replace('evidence: conformance', 'evidence: snapshot'));
    const b = Buffer.from(readFileSync(golden));
    b[24 + 16 + frames.input.length / 2 + 16 + 22] = 62;
    writeFileSync(golden, b);
    const r = await runSuite({ paths: [dir], models, update: true });
    expect(r.cases[0].status).toBe('failed');
    expect(r.cases[0].comparisons[0].note).toMatch(/snapshot golden left as is: it is compared in part/);
    expect(readFileSync(golden)).toEqual(b);
    writeFileSync(f, readFileSync(f, 'utf8').replace('tap8.golden.pcap', 'tap8.snapshot.pcap'));
    const m = await runSuite({ paths: [dir], models, update: true });
    expect(m.cases[0].comparisons[0]).toMatchObject({ state: 'missing', note: 'snapshot golden missing: it is compared in part (packets:), which --update never writes' });
  });
});
