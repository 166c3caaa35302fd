// The checked-in case inputs (fixtures/contiv/<flow>/<dir>/input.json) are exactly what the entry-
// frame reconstruction makes of the golden today; UPDATE_CONTIV_INPUTS=1 rewrites them.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DIRECTIONS, FLOWS, inputJson } from './contiv-flows.js';

describe('contiv case inputs are rebuilt from the goldens', () => {
  for (const flow of FLOWS)
    for (const dir of DIRECTIONS)
      it(`${flow.name}/${dir}`, () => {
        const file = `fixtures/contiv/${flow.name}/${dir}/input.json`;
        const want = inputJson(flow, dir);
        if (process.env.UPDATE_CONTIV_INPUTS) writeFileSync(file, want);
        expect(existsSync(file) ? readFileSync(file, 'utf8') : '(missing)').toBe(want);
      });
});
