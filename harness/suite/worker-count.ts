// How many worker threads `run --jobs N` starts. A case keeps a CPU busy while it runs (the model is
// computation, not waiting), so workers beyond the CPUs Node may use only add memory (each loads the
// models) and start-up time: `--jobs 100000` started one thread per case.

import { availableParallelism } from 'node:os';

/** Worker threads for `--jobs requested` over `cases` cases: at most one per case and one per usable CPU. */
export function workerCount(requested: number, cases: number, cpus = availableParallelism()): number {
  return Math.max(1, Math.min(requested, cases, cpus));
}
