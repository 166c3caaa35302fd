// The central list of runtime masks (harness/diff/runtime-masks.ts): applied to every golden of its
// kind without a case naming it; each entry is needed by a real seed case; a field it does not name
// still diverges; case masks carry a reason (the plain-string form loads with reason null).

import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { RUNTIME_MASKS, runtimeMaskRules } from '../../harness/diff/runtime-masks.js';
import { fieldMatches, isEncapsulated, stageMatches } from '../../harness/diff/mask-path.js';
import { loadCase } from '../../harness/suite/load-case.js';
import { runCase } from '../../harness/suite/run-case.js';
import { readTraces } from '../../harness/suite/sources.js';
import { resolveRegistryModel, runSuite } from '../../harness/suite/run-suite.js';
import type { CaseSpec } from '../../harness/suite/case-spec.js';
import { cli } from './cli.js';
import { fixtureCopy, models } from './helpers.js';

const REPO = resolve(import.meta.dirname, '../..');
const GOLDEN = join(REPO, 'golden/contiv');
// A real seed case that shows every runtime field (dpdk-input and the -tx node of the VXLAN path).
const SEED_CASE = 'fixtures/contiv/pod-to-pod-other-node/request/case.yaml';

/** The seed case as the contiv engineer wrote it, minus any case mask the central list already holds. */
function seedCase(): CaseSpec {
  const { spec, errors } = loadCase(join(REPO, SEED_CASE), 'seed');
  if (!spec) throw errors[0];
  const central = runtimeMaskRules('trace').map((r) => r.path.stage?.source + '|' + r.path.leaf);
  spec.masks = spec.masks.filter((m) => !central.includes(m.path.stage?.source + '|' + m.path.leaf));
  return spec;
}

const run = (spec: CaseSpec, runtimeMasks = RUNTIME_MASKS) => runCase(spec, { resolveModel: resolveRegistryModel, runtimeMasks });

describe('runtime masks: the list', () => {
  it('every entry parses, says why, and names a field some golden of its kind shows today', async () => {
    const traces = (await Promise.all(readdirSync(GOLDEN).filter((f) => f.endsWith('.trace')).map((f) => readTraces(join(GOLDEN, f), 'trace')))).flat();
    for (const rule of runtimeMaskRules('trace')) {
      expect(rule.reason, rule.path.text).toMatch(/\S{10,}/);
      expect(rule.origin).toBe('runtime');
      const shown = traces.some((t, i) => t.stages.some((s) => {
        const keys = [...Object.keys(s.fields), ...(s.time === undefined ? [] : ['time'])];
        return stageMatches(rule.path, s.node, i + 1) && keys.some((k) => fieldMatches(rule.path, k, isEncapsulated(keys)));
      }));
      expect(shown, `${rule.path.text} is in no seed golden: remove it`).toBe(true);
    }
    // Captures and stage records show no runtime state today: nothing masked there by default.
    expect(RUNTIME_MASKS.capture).toEqual([]);
    expect(RUNTIME_MASKS.stages).toEqual([]);
  });
});

describe('runtime masks on a real seed case', () => {
  it('apply without the case listing them: the case passes, and the report says which mask and why', async () => {
    const spec = seedCase();
    expect(spec.masks.map((m) => m.path.text)).not.toContain('buffer_index');
    const r = await run(spec);
    expect(r.errors).toEqual([]);
    expect(r.status).toBe('passed');
    const d = r.comparisons[0].diff!;
    const byPath = Object.fromEntries(d.masks.map((m) => [m.path, m]));
    for (const entry of RUNTIME_MASKS.trace) {
      expect(byPath[entry.path], entry.path).toMatchObject({ origin: 'runtime', reason: entry.reason });
      expect(byPath[entry.path].fields, entry.path).toBeGreaterThan(0);
    }
    const dpdk = d.traces.flatMap((t) => t.rows).find((row) => row.node === 'dpdk-input')!;
    expect(dpdk.masked).toEqual(expect.arrayContaining(['buffer_index', 'mbuf.phys_addr', 'time']));
    expect(d.masks[dpdk.maskedBy.buffer_index]).toMatchObject({ path: 'buffer_index', origin: 'runtime' });
    expect(d.masks[dpdk.maskedBy['mbuf.phys_addr']].reason).toMatch(/buf_physaddr/);
    expect(r.counters.masked).toBeGreaterThan(40);
  });

  it.each(RUNTIME_MASKS.trace.map((m) => m.path))('without the entry %s the seed case fails on that field', async (path) => {
    const reduced = { ...RUNTIME_MASKS, trace: RUNTIME_MASKS.trace.filter((m) => m.path !== path) };
    const r = await run(seedCase(), reduced);
    expect(r.status).toBe('failed');
    const rule = runtimeMaskRules('trace').find((x) => x.path.text === path)!;
    const diffs = r.comparisons[0].diff!.diffs;
    expect(diffs.length).toBeGreaterThan(0);
    // Every difference is on the field the entry named, nowhere else.
    for (const x of diffs) expect(stageMatches(rule.path, x.stage, x.trace) && fieldMatches(rule.path, x.path, false), `${x.stage} ${x.path}`).toBe(true);
  });

  it('a field next to the masked ones (mbuf.data_off in the same dpdk record) still diverges, naming stage and field', async () => {
    const spec = seedCase();
    const text = readFileSync(spec.goldens[0].file, 'utf8');
    expect(text).toContain('data_off 128, phys_addr');
    const dir = mkdtempSync(join(tmpdir(), 'dpconform-runtime-'));
    const faulty = join(dir, 'golden.trace');
    writeFileSync(faulty, text.replace('data_off 128, phys_addr', 'data_off 129, phys_addr'));
    spec.goldens = [{ ...spec.goldens[0], file: faulty }];
    const r = await run(spec);
    expect(r.status).toBe('failed');
    expect(r.summary).toMatch(/diverges at dpdk-input: mbuf\.data_off expected 129, got 128/);
  });
});

describe('case masks carry a reason', () => {
  const write = (masks: string) => {
    const root = fixtureCopy();
    const f = join(root, 'cases/toy-syn/case.yaml');
    writeFileSync(f, readFileSync(f, 'utf8').replace("masks: ['*.time']", masks));
    return { root, f };
  };

  it('object form: { path, reason } reaches the report with its reason and the fields it covered', async () => {
    const { root } = write("masks:\n  - { path: 'ip4.id', reason: 'toy: the id is picked at random' }");
    const r = await cli(['run', join(root, 'cases/toy-syn'), '--reporter', 'json']);
    expect(r.code).toBe(0);
    const d = JSON.parse(r.stdout).cases[0].comparisons[0].diff;
    expect(d.masks).toEqual([{ path: 'ip4.id', reason: 'toy: the id is picked at random', origin: 'case', fields: 3 }]);
    const row = d.traces[0].rows[0];
    expect(row.masked).toContain('ip4.id');
    expect(d.masks[row.maskedBy['ip4.id']].reason).toBe('toy: the id is picked at random');
    expect(d.notes.join('\n')).not.toMatch(/gives no reason/);
    expect((await cli(['run', join(root, 'cases/toy-syn'), '--verbose'])).stdout).toContain('masked by ip4.id (case): 3 fields, toy: the id is picked at random');
    const html = await cli(['run', join(root, 'cases/toy-syn'), '--reporter', 'html']);
    expect(html.stdout).toContain('<tr class="masked" data-field="ip4.id"><td>ip4.id</td>');
    expect(html.stdout).toContain('masked by ip4.id (case mask): toy: the id is picked at random');
  });

  it('plain-string form still loads: reason null in --json, and the text report asks for a reason', async () => {
    const { root } = write("masks: ['ip4.id']");
    const j = await cli(['run', join(root, 'cases/toy-syn'), '--reporter', 'json']);
    expect(JSON.parse(j.stdout).cases[0].comparisons[0].diff.masks).toEqual([{ path: 'ip4.id', reason: null, origin: 'case', fields: 3 }]);
    const t = await cli(['run', join(root, 'cases/toy-syn')]);
    expect(t.code).toBe(0);
    expect(t.stdout).toContain("note: mask 'ip4.id' gives no reason: write it as { path: 'ip4.id', reason: '...' }");
    const v = await cli(['run', join(root, 'cases/toy-syn'), '--verbose']);
    expect(v.stdout).toContain('masked by ip4.id (case): 3 fields, no reason given');
  });

  it('an object mask without a reason (or with an unknown key) is a load error with line and key', async () => {
    const { root, f } = write("masks:\n  - { path: 'ip4.id' }\n  - { path: 'ip4.ttl', reason: 'x', why: 'y' }");
    const r = await runSuite({ paths: [join(root, 'cases/toy-syn')], models });
    expect(r.exitCode).toBe(2);
    expect(r.cases[0].errors.map((e) => e.message)).toEqual([
      `${f} (line 11, key masks[0].reason): a mask says why the field cannot be compared: add reason: '...'`,
      `${f} (line 12, key masks[1].why): unknown key 'why' (allowed: path, reason)`,
    ]);
  });

  it('a case mask the central list already holds is reported as redundant', async () => {
    const { spec } = loadCase(join(REPO, SEED_CASE), 'seed');
    spec!.masks = [{ path: runtimeMaskRules('trace')[1].path, reason: 'listed again' }];
    const r = await run(spec!);
    expect(r.comparisons[0].diff!.notes).toContain("mask 'buffer_index' is a runtime mask already (harness/diff/runtime-masks.ts): remove it from the case");
  });
});

describe('runtime masks in dpconform diff', () => {
  it('two runs of real VPP differ in clock and buffers only: no difference; a real field still differs', async () => {
    const file = join(GOLDEN, 'pod-to-pod-other-node.request.trace');
    const text = readFileSync(file, 'utf8');
    const dir = mkdtempSync(join(tmpdir(), 'dpconform-runtime-diff-'));
    // Another run: every clock reading +1 s, other buffer indices, trace slots and DMA addresses.
    const rerun = text
      .replace(/^(\d\d):(\d\d):(\d\d):(\d{6})/gm, (_, h, m, sec, us) => `${h}:${m}:${String((Number(sec) + 1) % 60).padStart(2, '0')}:${us}`)
      .replace(/buffer 0x[0-9a-f]+:/g, 'buffer 0x1234:')
      .replace(/trace 0x[0-9a-f]+/g, 'trace 0x7')
      .replace(/phys_addr 0x[0-9a-f]+/g, 'phys_addr 0xabcdef00');
    expect(rerun).not.toBe(text);
    const other = join(dir, 'rerun.trace');
    writeFileSync(other, rerun);
    const same = await cli(['diff', file, other]);
    expect(same.stdout).toMatch(/0 changed/);
    expect(same.code).toBe(0);
    const faulty = join(dir, 'faulty.trace');
    writeFileSync(faulty, rerun.replace('data_off 128, phys_addr', 'data_off 129, phys_addr'));
    const d = await cli(['diff', file, faulty]);
    expect(d.code).toBe(1);
    // `diff` names each value by its side, A or B: neither file is the expected one.
    expect(d.stdout).toContain('dpdk-input: mbuf.data_off A 128, B 129');
  });
});
