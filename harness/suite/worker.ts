// Worker thread for `run --jobs N`: receives CaseSpecs, runs them with registry models, posts results.

import { parentPort, workerData } from 'node:worker_threads';
import { runCase } from './run-case.js';
import { resolveRegistryModel } from './run-suite.js';
import type { CaseSpec } from './case-spec.js';

const flags = workerData as { update?: boolean; ci?: boolean };
parentPort!.on('message', async (spec: CaseSpec) => {
  const r = await runCase(spec, { ...flags, resolveModel: resolveRegistryModel });
  parentPort!.postMessage(r);
});
