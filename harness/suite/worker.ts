// Worker thread for `run --jobs N`: receives CaseSpecs, runs them with the same models the main
// thread would use (model modules first, then the registry), posts results back.

import { parentPort, workerData } from 'node:worker_threads';
import { runCase } from './run-case.js';
import { loadModelModules, resolveRegistryModel } from './run-suite.js';
import type { CaseSpec } from './case-spec.js';
import type { WorkerFlags } from './worker-flags.js';

const flags = workerData as WorkerFlags;
const extra = loadModelModules(flags.modelModules);
parentPort!.on('message', async (spec: CaseSpec) => {
  const models = await extra;
  const r = await runCase(spec, { update: flags.update, ci: flags.ci, resolveModel: async (name) => models[name] ?? resolveRegistryModel(name) });
  parentPort!.postMessage(r);
});
