import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync, statSync, writeFileSync, mkdirSync, cpSync } from 'node:fs';
import { join } from 'node:path';
import { cli } from './cli.js';
import { editJson, fixtureCopy } from './helpers.js';

describe('dpconform run (CLI)', () => {
  it('exits 0 when every case passes, snapshot cases labelled as such', async () => {
    const root = fixtureCopy();
    await cli(['run', join(root, 'cases'), '--update']); // writes the snapshot golden
    const r = await cli(['run', join(root, 'cases')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/PASS toy\/syn/);
    expect(r.stdout).toMatch(/PASS toy\/snapshot \[snapshot: regression only, not conformance evidence\]/);
    expect(r.stdout).not.toMatch(/\x1b\[/); // no colour when stdout is not a TTY
  });

  it('a golden with one TTL changed exits 1 naming that stage and field', async () => {
    const root = fixtureCopy();
    editJson(join(root, 'cases/toy-syn/syn.golden.json'), (d) => {
      d.traces[0].stages[3].fields['ip4.ttl'] = 62; // tap8-output
    });
    const r = await cli(['run', join(root, 'cases/toy-syn')]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('FAIL toy/syn');
    expect(r.stdout).toContain('SYN 10.1.1.12:39820 -> 10.1.1.9:8080  diverges at tap8-output: ip4.ttl expected 62, got 63');
  });

  it('--update under CI is refused (exit 2) and leaves goldens untouched', async () => {
    const root = fixtureCopy();
    const golden = join(root, 'cases/toy-syn/syn.golden.json');
    editJson(golden, (d) => {
      d.traces[0].stages[3].fields['ip4.ttl'] = 62;
    });
    const before = readFileSync(golden);
    const mtime = statSync(golden).mtimeMs;
    for (const [args, env] of [[['--update'], { CI: 'true' }], [['--update', '--ci'], {}]] as const) {
      const r = await cli(['run', join(root, 'cases'), ...args], env);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/--update is refused under CI/);
    }
    expect(readFileSync(golden)).toEqual(before);
    expect(statSync(golden).mtimeMs).toBe(mtime);
    expect(existsSync(join(root, 'cases/toy-snapshot/snapshot.golden.json'))).toBe(false);
  });

  it('under CI a missing golden is a failure; outside CI it is skipped', async () => {
    const root = fixtureCopy();
    const local = await cli(['run', join(root, 'cases/toy-snapshot')]);
    expect(local.code).toBe(0);
    expect(local.stdout).toMatch(/SKIP toy\/snapshot .*run with --update/);
    const ci = await cli(['run', join(root, 'cases/toy-snapshot')], { CI: 'true' });
    expect(ci.code).toBe(1);
    expect(ci.stdout).toMatch(/FAIL toy\/snapshot/);
  });

  it('--update rewrites only snapshot goldens of cases that ran, atomically, and shows what changed', async () => {
    const root = fixtureCopy();
    const snap = join(root, 'cases/toy-snapshot/snapshot.golden.json');
    const w = await cli(['run', join(root, 'cases/toy-snapshot'), '--update']);
    expect(w.stdout).toMatch(/written .*snapshot\.golden\.json/);
    editJson(snap, (d) => (d.traces[0].stages[2].fields['ip4.ttl'] = 1));
    const conf = join(root, 'cases/toy-syn/syn.golden.json');
    editJson(conf, (d) => (d.traces[0].stages[2].fields['ip4.ttl'] = 1));
    const confBefore = readFileSync(conf, 'utf8');
    // Only toy-snapshot runs (--grep): toy-syn's conformance golden is not touched either way.
    const u = await cli(['run', join(root, 'cases'), '--update', '--grep', 'snapshot']);
    expect(u.stdout).toMatch(/updated .*snapshot\.golden\.json \(\+1 -1 lines\)/);
    expect(u.stdout).toMatch(/- +"ip4\.ttl": 1,/);
    expect(JSON.parse(readFileSync(snap, 'utf8')).traces[0].stages[2].fields['ip4.ttl']).toBe(63);
    // A conformance golden is evidence: --update never rewrites it, even when its case runs.
    const c = await cli(['run', join(root, 'cases'), '--update']);
    expect(c.code).toBe(1);
    expect(c.stdout).toMatch(/conformance golden left as is/);
    expect(readFileSync(conf, 'utf8')).toBe(confBefore);
    // No temp files left behind.
    const { readdirSync } = await import('node:fs');
    expect(readdirSync(join(root, 'cases/toy-snapshot')).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('a malformed case.yaml is reported with file, line and key; the other cases still report; exit 2', async () => {
    const root = fixtureCopy();
    const bad = join(root, 'cases/zz-broken');
    mkdirSync(bad);
    writeFileSync(join(bad, 'case.yaml'), [
      'name: broken',
      'model: toy',
      'scenario: ../../toy-model/scenario.yaml',
      'inputs:',
      '  - file: nowhere.json',
      'golden: { file: g.json, evidence: conformance }',
      "masks: ['*.time', 'inner.ipv5.ttl']",
      'colour: blue',
      'tags: 3',
      '',
    ].join('\n'));
    const r = await cli(['run', join(root, 'cases')]);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/PASS toy\/syn/);
    expect(r.stdout).toMatch(/ERROR zz-broken/);
    expect(r.stdout).toMatch(/case\.yaml \(line 5, key inputs\[0\]\.file\): no such file: nowhere\.json/);
    expect(r.stdout).toMatch(/case\.yaml \(line 7, key masks\[1\]\): bad field path 'inner\.ipv5\.ttl': 'inner' must be followed by a protocol/);
    expect(r.stdout).toMatch(/case\.yaml \(line 8, key colour\): unknown key 'colour'/);
    expect(r.stdout).toMatch(/case\.yaml \(line 9, key tags\): expected a list/);
  });

  it('--grep, --tag and --shard select deterministically; bad usage exits 2', async () => {
    const root = fixtureCopy();
    cpSync(join(root, 'cases/toy-syn'), join(root, 'cases/toy-syn-2'), { recursive: true });
    writeFileSync(join(root, 'cases/toy-syn-2/case.yaml'), readFileSync(join(root, 'cases/toy-syn-2/case.yaml'), 'utf8').replace('name: toy/syn', 'name: toy/syn-2').replace('tags: [toy, tcp]', 'tags: [toy, second]'));
    const names = (out: string) => [...out.matchAll(/^(?:PASS|FAIL|SKIP|ERROR) (\S+)/gm)].map((m) => m[1]);
    expect(names((await cli(['run', join(root, 'cases'), '--tag', 'second'])).stdout)).toEqual(['toy/syn-2']);
    expect(names((await cli(['run', join(root, 'cases'), '--grep', 'syn$'])).stdout)).toEqual(['toy/syn']);
    const s1 = names((await cli(['run', join(root, 'cases'), '--shard', '1/2'])).stdout);
    const s2 = names((await cli(['run', join(root, 'cases'), '--shard', '2/2'])).stdout);
    expect([...s1, ...s2].sort()).toEqual(['toy/snapshot', 'toy/syn', 'toy/syn-2']);
    expect(s1.filter((n) => s2.includes(n))).toEqual([]);
    expect(names((await cli(['run', join(root, 'cases'), '--shard', '1/2'])).stdout)).toEqual(s1);
    expect((await cli(['run', join(root, 'cases'), '--shard', '3/2'])).code).toBe(2);
    expect((await cli(['run', join(root, 'nope')])).code).toBe(2);
    expect((await cli(['run', join(root, 'cases'), '--reporter', 'xml'])).code).toBe(2);
  });

  it('--bail stops after the first failing case', async () => {
    const root = fixtureCopy();
    editJson(join(root, 'cases/toy-syn/syn.golden.json'), (d) => (d.traces[0].stages[3].fields['ip4.ttl'] = 62));
    cpSync(join(root, 'cases/toy-syn'), join(root, 'cases/toy-syn-2'), { recursive: true });
    const r = await cli(['run', join(root, 'cases'), '--bail']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/not run: --bail/);
  });
});
