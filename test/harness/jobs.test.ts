import { describe, expect, it } from 'vitest';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { buildJs, runJs, type BuiltRun } from './build.js';
import { editJson, fixtureCopy, FIXTURES, models } from './helpers.js';
import { runSuite } from '../../harness/suite/run-suite.js';

/** The JSON report without what legitimately differs between two runs (wall time). */
function stable(json: string): unknown {
  return JSON.parse(json, (k, v) => (k === 'durationMs' ? 0 : v));
}

/** A suite where slow cases come first, so workers finish out of case order. */
function mixedSuite(): string {
  const root = fixtureCopy();
  const sc = join(root, 'toy-model/scenario.yaml');
  writeFileSync(join(root, 'toy-model/slow.yaml'), readFileSync(sc, 'utf8') + 'delay_ms: 1000\n');
  for (const n of ['a-slow-1', 'a-slow-2', 'a-slow-3', 'a-slow-4']) {
    cpSync(join(root, 'cases/toy-syn'), join(root, `cases/${n}`), { recursive: true });
    const f = join(root, `cases/${n}/case.yaml`);
    writeFileSync(f, readFileSync(f, 'utf8').replace('name: toy/syn', `name: toy/${n}`).replace('scenario.yaml', 'slow.yaml'));
  }
  // A failing case (one TTL changed) and a broken case.yaml: both must come back identically.
  cpSync(join(root, 'cases/toy-syn'), join(root, 'cases/b-ttl'), { recursive: true });
  const f = join(root, 'cases/b-ttl/case.yaml');
  writeFileSync(f, readFileSync(f, 'utf8').replace('name: toy/syn', 'name: toy/b-ttl'));
  editJson(join(root, 'cases/b-ttl/syn.golden.json'), (d) => (d.traces[0].stages[3].fields['ip4.ttl'] = 62));
  cpSync(join(root, 'cases/toy-syn'), join(root, 'cases/c-broken'), { recursive: true });
  writeFileSync(join(root, 'cases/c-broken/case.yaml'), 'model: toy\ninputs: []\ncolour: blue\n');
  return root;
}

describe('run --jobs N (worker threads, compiled build)', () => {
  it('gives the same results, in the same order, as a serial run - and runs the cases in parallel', async () => {
    const js = buildJs();
    const suite = join(mixedSuite(), 'cases');
    const serial = await runJs(js, ['run', suite, '--reporter', 'json', '--jobs', '1']);
    // Two workers: what every CI machine here has (--jobs is capped at the usable CPUs).
    const parallel = await runJs(js, ['run', suite, '--reporter', 'json', '--jobs', '2']);
    expect(serial.code).toBe(2); // the broken case.yaml
    expect(parallel.code).toBe(serial.code);
    const s = stable(serial.stdout) as { cases: Array<{ name: string; status: string }>; notes?: string[] };
    const p = stable(parallel.stdout) as typeof s & { durationMs: number };
    expect(s.cases.map((c) => `${c.name}:${c.status}`)).toEqual([
      'toy/a-slow-1:passed', 'toy/a-slow-2:passed', 'toy/a-slow-3:passed', 'toy/a-slow-4:passed', 'toy/b-ttl:failed', 'c-broken:error', 'toy/snapshot:skipped', 'toy/syn:passed',
    ]);
    expect(p).toEqual(s);
    expect(p.notes).toBeUndefined(); // no fallback to one thread
    // The text report (stderr here) is the same too, apart from the time.
    const time = (t: string) => t.replace(/in \d+\.\d+ s/, 'in T s');
    expect(time(parallel.stderr)).toBe(time(serial.stderr));
    expect(serial.stderr).toContain('diverges at tap8-output: ip4.ttl expected 62, got 63');
    // Four cases that each block their thread for 1 s: one thread needs >= 4 s, two need ~2 s (a loose
    // bound: it tells parallel from serial, with room for worker start-up on a loaded machine).
    const wall = (r: BuiltRun) => Number(/in (\d+\.\d+) s/.exec(r.stderr)![1]);
    expect(wall(serial)).toBeGreaterThanOrEqual(4);
    if (availableParallelism() >= 2) expect(wall(parallel)).toBeLessThan(3.3);
  }, 60_000);

  it('more jobs than CPUs: capped, and the report says so (was silent)', async () => {
    const js = buildJs();
    const suite = join(mixedSuite(), 'cases');
    const r = await runJs(js, ['run', suite, '--reporter', 'json', '--jobs', '1000']);
    const notes = (JSON.parse(r.stdout) as { notes?: string[] }).notes;
    const cpus = availableParallelism();
    // Eight cases: capped by the CPUs wherever they are fewer (every machine here has 2).
    if (cpus < 8) expect(notes).toEqual([`--jobs 1000 ran ${cpus === 1 ? 'in one thread' : `${cpus} worker threads`}: one per CPU this machine lets Node use`]);
    else expect(notes).toBeUndefined();
  }, 60_000);

  it('from TypeScript sources, or with in-memory models, says it ran in one thread instead of failing silently', async () => {
    const root = fixtureCopy();
    const r = await runSuite({ paths: [join(root, 'cases')], models, jobs: 2 });
    expect(r.cases.map((c) => c.status)).toEqual(['skipped', 'passed']);
    expect(r.notes).toEqual(['--jobs 2 ran in one thread: models passed in memory cannot be sent to worker threads']);
    const fromSources = await runSuite({ paths: [join(root, 'cases')], modelModules: [join(FIXTURES, 'toy-model/index.ts')], jobs: 2 });
    expect(fromSources.cases.map((c) => c.status)).toEqual(['skipped', 'passed']);
    expect(fromSources.notes).toEqual(['--jobs 2 ran in one thread: worker threads need the compiled build (dist/); this run is from TypeScript sources']);
  });
});
