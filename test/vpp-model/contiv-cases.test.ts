// Every Contiv case (fixtures/contiv/*/*/case.yaml) through the harness's own case runner, against
// the seed 004 goldens: counts fields compared / matched / masked per case and shows the first
// divergence of each failing case.
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadCase } from '../../harness/suite/load-case.js';
import { runCase } from '../../harness/suite/run-case.js';
import { vppModel } from '../../models/vpp/index.js';
import { DIRECTIONS, FLOWS } from './contiv-flows.js';

export async function runContivCase(dir: string) {
  const { spec, errors } = loadCase(`${dir}/case.yaml`, dir);
  if (!spec) throw errors[0];
  return runCase(spec, { resolveModel: async () => vppModel });
}

describe('contiv cases against seed 004', () => {
  it('every flow folder has a request and a response case', () => {
    for (const f of FLOWS) expect(readdirSync(`fixtures/contiv/${f.name}`).sort()).toEqual(['request', 'response', 'scenario.yaml']);
  });
  for (const flow of FLOWS)
    for (const dir of DIRECTIONS)
      it(`${flow.name}/${dir}`, async () => {
        const r = await runContivCase(`fixtures/contiv/${flow.name}/${dir}`);
        const c = r.counters;
        const first = r.comparisons.flatMap((x) => x.diff?.divergences ?? []).slice(0, 4).map((d) => JSON.stringify(d).slice(0, 400));
        console.log(`${flow.name}/${dir}: ${r.status} compared ${c.compared} matched ${c.matched} masked ${c.masked}`, r.errors.map((e) => e.message), first.join('\n  '));
        expect(r.errors).toEqual([]);
      });
});
