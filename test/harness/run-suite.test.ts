import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { runSuite } from '../../harness/suite/run-suite.js';
import { editJson, fixtureCopy, models } from './helpers.js';

describe('runSuite on the toy model', () => {
  it('passes a case whose golden is right, counting compared/matched/masked fields', async () => {
    const root = fixtureCopy();
    const r = await runSuite({ paths: [join(root, 'cases/toy-syn')], models });
    expect(r.cases.map((c) => [c.name, c.status])).toEqual([['toy/syn', 'passed']]);
    expect(r.exitCode).toBe(0);
    expect(r.conformance.compared).toBeGreaterThan(20);
    expect(r.conformance.matched).toBe(r.conformance.compared);
  });

  it('a golden with one TTL changed fails with exit 1 naming that stage and field', async () => {
    const root = fixtureCopy();
    editJson(join(root, 'cases/toy-syn/syn.golden.json'), (d) => {
      d.traces[0].stages[2].fields['ip4.ttl'] = 62;
    });
    const r = await runSuite({ paths: [join(root, 'cases/toy-syn')], models });
    expect(r.exitCode).toBe(1);
    const c = r.cases[0];
    expect(c.status).toBe('failed');
    expect(c.summary).toBe('SYN 10.1.1.12:39820 -> 10.1.1.9:8080  diverges at toy-rewrite: ip4.ttl expected 62, got 63');
  });

  it('a stale checksum (model fault) is reported as invalid, the TTL it follows from first', async () => {
    const root = fixtureCopy();
    const { writeFileSync, readFileSync } = await import('node:fs');
    const sc = join(root, 'toy-model/scenario.yaml');
    writeFileSync(sc, readFileSync(sc, 'utf8').replace('fault: none', 'fault: stale-checksum'));
    const r = await runSuite({ paths: [join(root, 'cases/toy-syn')], models });
    expect(r.exitCode).toBe(1);
    const d = r.cases[0].comparisons[0].diff!;
    expect(d.divergences[0].first).toMatchObject({ stage: 'toy-rewrite', path: 'ip4.checksum' });
    expect(d.divergences[0].followers.map((f) => `${f.stage} ${f.path}`)).toEqual(['tap8-output ip4.checksum']);
  });

  it('a model that skips a node reports the missing stage, not a cascade', async () => {
    const root = fixtureCopy();
    const { writeFileSync, readFileSync } = await import('node:fs');
    const sc = join(root, 'toy-model/scenario.yaml');
    writeFileSync(sc, readFileSync(sc, 'utf8').replace('fault: none', 'fault: skip-rewrite'));
    const r = await runSuite({ paths: [join(root, 'cases/toy-syn')], models });
    const d = r.cases[0].comparisons[0].diff!;
    expect(d.traces[0].rows.map((x) => `${x.node}:${x.status}`)).toEqual(['toy-input:match', 'toy-lookup:match', 'toy-rewrite:missing', 'tap8-output:differ']);
    expect(d.divergences).toHaveLength(1);
    expect(d.divergences[0].followers.map((f) => `${f.stage} ${f.path}`)).toEqual(['tap8-output eth.src', 'tap8-output eth.dst']);
    expect(d.divergences[0].summary).toMatch(/diverges at toy-rewrite: toy-rewrite missing in the model/);
  });
});

describe('the bundled suite', () => {
  it('is the package fixtures/ folder without NOT-BUNDLED folders (fixtures/harness is test-only)', async () => {
    const { discoverCases, bundledSuiteRoot } = await import('../../harness/suite/discover.js');
    const found = discoverCases([]);
    expect(found.every((f) => f.file.startsWith(bundledSuiteRoot()))).toBe(true);
    expect(found.some((f) => f.file.includes('/fixtures/harness/'))).toBe(false);
    expect(discoverCases([join(bundledSuiteRoot(), 'harness')]).length).toBeGreaterThan(0);
  });
});
