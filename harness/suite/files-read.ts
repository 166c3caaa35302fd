// The files a planned suite reads: each case.yaml, its scenario with the files that scenario extends,
// its inputs and its goldens. `run -o` refuses to write its report over one of them: the report
// replaced a case.yaml or a golden it had just read (exit 0), and the next run found JSON there.

import { scenarioFiles } from '../scenario/extends-chain.js';
import type { Planned } from './run-suite.js';

export function filesRead(planned: readonly Planned[]): string[] {
  const files: string[] = [];
  for (const p of planned) {
    if ('broken' in p) {
      files.push(p.broken.file);
      continue;
    }
    const { spec } = p;
    files.push(spec.file, ...scenarioFiles(spec.scenario), ...spec.inputs.map((i) => i.file), ...spec.goldens.map((g) => g.file));
  }
  return files;
}
