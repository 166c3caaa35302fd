// `dpconform run` as a library function: discover, select, run (in worker threads when asked), and
// return everything reporters need. Tests call this directly, with their own models injected.

import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { DataplaneModel } from '../model.js';
import { InputError } from '../io/input-error.js';
import { addCounters, emptyCounters } from '../diff/types.js';
import { discoverCases } from './discover.js';
import { loadCase } from './load-case.js';
import { inShard, parseGrep, parseShard, type Shard } from './select.js';
import { runCase, type CaseRunOptions } from './run-case.js';
import { rehydrateResult } from './rehydrate.js';
import type { CaseSpec } from './case-spec.js';
import type { CaseResult, SuiteResult } from './result.js';
import type { WorkerFlags } from './worker-flags.js';
import { workerCount } from './worker-count.js';

export interface RunSuiteOptions {
  /** Files or folders; empty/undefined = the bundled suite. */
  paths?: readonly string[];
  /** Models by registry name, consulted before models/index.ts (tests inject toy models here). */
  models?: Readonly<Record<string, DataplaneModel>>;
  /** Modules whose exported DataplaneModels are added by name (CLI: DPCONFORM_MODEL_MODULES). */
  modelModules?: readonly string[];
  grep?: string | RegExp;
  /** Run cases carrying any of these tags. */
  tags?: readonly string[];
  bail?: boolean;
  shard?: Shard | string;
  /** Worker threads (at most the CPUs Node can use, worker-count.ts); 1 = in this thread. Injected models always run in this thread. */
  jobs?: number;
  update?: boolean;
  /** CI mode: a missing golden fails, --update is refused. */
  ci?: boolean;
  /** Called after each case (progress bars, streaming reporters). */
  onCase?: (result: CaseResult, done: number, total: number) => void;
}

/** A case to run: loaded, or broken (its load errors are its result). */
export type Planned = { spec: CaseSpec } | { broken: CaseResult };

export async function resolveRegistryModel(name: string): Promise<DataplaneModel> {
  const registry = '../../models/index.js';
  const m = (await import(/* @vite-ignore */ registry)) as { getModel(n: string): Promise<DataplaneModel> };
  return m.getModel(name);
}

/** Every export of the modules that looks like a DataplaneModel, by its name. */
export async function loadModelModules(modules: readonly string[]): Promise<Record<string, DataplaneModel>> {
  const out: Record<string, DataplaneModel> = {};
  for (const m of modules) {
    let mod: Record<string, unknown>;
    try {
      mod = (await import(/* @vite-ignore */ pathToFileURL(resolve(m)).href)) as Record<string, unknown>;
    } catch (e) {
      throw new InputError(`cannot load model module: ${(e as Error).message.split('\n')[0]}`, { file: m }, 'run.model-module');
    }
    for (const v of Object.values(mod)) {
      const dm = v as DataplaneModel;
      if (dm && typeof dm === 'object' && typeof dm.name === 'string' && typeof dm.instantiate === 'function') out[dm.name] = dm;
    }
  }
  return out;
}

export function planSuite(opts: RunSuiteOptions): Planned[] {
  const grep = opts.grep === undefined ? undefined : typeof opts.grep === 'string' ? parseGrep(opts.grep) : opts.grep;
  const shard = typeof opts.shard === 'string' ? parseShard(opts.shard) : opts.shard;
  const planned: Planned[] = [];
  const discovered = discoverCases(opts.paths ?? []);
  const tagsThere = new Set<string>();
  for (const found of discovered) {
    const { spec, errors } = loadCase(found.file, found.defaultName);
    const name = spec?.name ?? found.defaultName;
    for (const t of spec?.tags ?? []) tagsThere.add(t);
    if (grep && !grep.test(name)) continue;
    // A broken case's tags are unknown: it is kept, so a filter never hides a broken file.
    if (spec && opts.tags?.length && !spec.tags.some((t) => opts.tags!.includes(t))) continue;
    if (spec) planned.push({ spec });
    else {
      planned.push({ broken: brokenCase(name, found.file, [], errors) });
    }
  }
  // A filter that selects nothing ran nothing and passed (exit 0): a misspelt --tag in CI stayed green.
  if (!planned.length && discovered.length && (grep || opts.tags?.length)) {
    const filter = [grep && `--grep ${grep.source}`, opts.tags?.length && `--tag ${opts.tags.join(', --tag ')}`].filter(Boolean).join(' and ');
    const tags = opts.tags?.length ? ` (their tags: ${[...tagsThere].sort().join(', ') || 'none'})` : '';
    throw new InputError(`${filter} selects none of the ${discovered.length} cases found${tags}`, { key: opts.tags?.length ? '--tag' : '--grep' }, 'run.nothing-selected');
  }
  return refuseSharedNames(planned).filter((_, i) => inShard(i, shard));
}

/**
 * A case name is the case's identity in every report (--grep, JUnit testcase, JSON, HTML): a second
 * case with a name already taken is an error naming the first, so a pass and a failure never show
 * under one name (JUnit consumers merge them) and a --grep never silently selects two cases.
 * Checked before sharding, so every shard says the same.
 */
function refuseSharedNames(planned: Planned[]): Planned[] {
  const first = new Map<string, CaseSpec>();
  return planned.map((p) => {
    if ('broken' in p) return p;
    const taken = first.get(p.spec.name);
    if (!taken) {
      first.set(p.spec.name, p.spec);
      return p;
    }
    const how = p.spec.nameLine === undefined ? ' (the default name: its folder; give it a name: of its own)' : '';
    const e = new InputError(`case name '${p.spec.name}' is already the name of ${taken.file}${how}`, { file: p.spec.file, line: p.spec.nameLine, key: 'name' }, 'case.duplicate-name');
    return { broken: brokenCase(p.spec.name, p.spec.file, p.spec.tags, [e]) };
  });
}

/** The result of a case that cannot run: its errors. */
function brokenCase(name: string, file: string, tags: string[], errors: readonly InputError[]): CaseResult {
  return {
    name, file, tags, status: 'error', evidence: 'conformance', comparisons: [],
    errors: errors.map((e) => ({ message: e.message, code: e.code, ...e.where })),
    counters: emptyCounters(), durationMs: 0,
  };
}

export async function runSuite(opts: RunSuiteOptions = {}): Promise<SuiteResult> {
  const t0 = performance.now();
  if (opts.update && opts.ci) {
    throw new InputError('--update is refused under CI (CI=true or --ci): goldens change only by a person, locally', { key: '--update' }, 'usage.update-in-ci');
  }
  const shard = typeof opts.shard === 'string' ? parseShard(opts.shard) : opts.shard;
  const planned = planSuite({ ...opts, shard });
  const extra = { ...(await loadModelModules(opts.modelModules ?? [])), ...opts.models };
  const caseOpts: CaseRunOptions = {
    update: opts.update,
    ci: opts.ci,
    resolveModel: async (name) => extra[name] ?? resolveRegistryModel(name),
  };
  const results: Array<CaseResult | undefined> = new Array(planned.length);
  let done = 0;
  let stop = false;
  const record = (i: number, r: CaseResult) => {
    results[i] = r;
    done++;
    if (opts.bail && (r.status === 'failed' || r.status === 'error')) stop = true;
    opts.onCase?.(r, done, planned.length);
  };

  const jobs = workerCount(opts.jobs ?? 1, planned.length);
  const notes: string[] = [];
  const serialReason = jobs > 1 ? whyNotWorkers(opts) : undefined;
  if (serialReason) notes.push(`--jobs ${opts.jobs} ran in one thread: ${serialReason}`);
  // Fewer than asked and than cases: the CPUs were the limit (workerCount), said rather than silent.
  else if (jobs < (opts.jobs ?? 1) && jobs < planned.length) notes.push(`--jobs ${opts.jobs} ran ${jobs === 1 ? 'in one thread' : `${jobs} worker threads`}: one per CPU this machine lets Node use`);
  if (jobs > 1 && !serialReason) {
    const flags: WorkerFlags = { update: opts.update, ci: opts.ci, modelModules: [...(opts.modelModules ?? [])] };
    await runInWorkers(planned, jobs, WORKER_FILE, flags, record, () => stop);
  } else {
    for (let i = 0; i < planned.length && !stop; i++) {
      const p = planned[i];
      record(i, 'broken' in p ? p.broken : await runCase(p.spec, caseOpts));
    }
  }

  const cases = Array.from(results, (r, i) => r ?? notRun(planned[i]));
  const suite = summarize(cases, performance.now() - t0, shard);
  if (notes.length) suite.notes = notes;
  return suite;
}

/** The worker entry: compiled next to this file (dist/); from TypeScript sources there is none. */
const WORKER_FILE = fileURLToPath(new URL('./worker.js', import.meta.url));

/** Why --jobs cannot use worker threads here (said in the report, never silently serial). */
function whyNotWorkers(opts: RunSuiteOptions): string | undefined {
  // Models given as objects live in this thread's memory; a worker can only load models by module path.
  if (opts.models && Object.keys(opts.models).length) return 'models passed in memory cannot be sent to worker threads';
  if (!existsSync(WORKER_FILE)) return 'worker threads need the compiled build (dist/); this run is from TypeScript sources';
  return undefined;
}

function notRun(p: Planned): CaseResult {
  const base = 'broken' in p ? p.broken : { name: p.spec.name, file: p.spec.file, tags: p.spec.tags };
  return { name: base.name, file: base.file, tags: base.tags, status: 'skipped', evidence: 'conformance', comparisons: [], errors: [], counters: emptyCounters(), durationMs: 0, skipReason: 'not run: --bail stopped after a failure' };
}

export function summarize(cases: CaseResult[], durationMs: number, shard?: Shard): SuiteResult {
  let conformance = emptyCounters();
  let snapshot = emptyCounters();
  const totals = { passed: 0, failed: 0, error: 0, skipped: 0 };
  for (const c of cases) {
    totals[c.status]++;
    if (c.evidence === 'snapshot') snapshot = addCounters(snapshot, c.counters);
    else conformance = addCounters(conformance, c.counters);
  }
  const exitCode = totals.error ? 2 : totals.failed ? 1 : 0;
  return { cases, conformance, snapshot, totals, durationMs, exitCode, shard: shard ? `${shard.index}/${shard.total}` : undefined };
}

/** A pool of workers pulling cases from one queue; results come back in case order. */
async function runInWorkers(
  planned: Planned[],
  jobs: number,
  workerFile: string,
  flags: WorkerFlags,
  record: (i: number, r: CaseResult) => void,
  stopped: () => boolean,
): Promise<void> {
  let next = 0;
  const take = (): number | undefined => {
    while (next < planned.length && !stopped()) {
      const i = next++;
      const p = planned[i];
      if ('broken' in p) record(i, p.broken);
      else return i;
    }
    return undefined;
  };
  const workers: Worker[] = [];
  try {
    await Promise.all(
      Array.from({ length: jobs }, () => new Promise<void>((resolve, reject) => {
        const w = new Worker(workerFile, { workerData: flags });
        workers.push(w);
        let current: number | undefined;
        let finished = false;
        const feed = () => {
          current = take();
          if (current === undefined) {
            finished = true;
            void w.terminate().then(() => resolve());
          } else w.postMessage((planned[current] as { spec: CaseSpec }).spec);
        };
        w.on('message', (r: CaseResult) => {
          record(current!, rehydrateResult(r));
          feed();
        });
        w.on('error', reject);
        // A worker that dies without an error event (process.exit in a model) must not hang the run.
        w.on('exit', (code) => {
          if (!finished) reject(new Error(`worker thread exited (code ${code}) while running case ${current === undefined ? '?' : (planned[current] as { spec: CaseSpec }).spec.name}`));
        });
        feed();
      })),
    );
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
