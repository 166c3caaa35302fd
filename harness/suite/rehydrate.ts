// Structured clone (worker messages) keeps data but drops classes: give KnownBytes its methods back.
// (CaseSpec travels as is: its FieldPaths hold plain data and RegExps, which survive the clone.)

import { KnownBytes } from '../wire/known.js';
import type { CaseResult } from './result.js';
import type { Stage } from '../stage.js';

function reviveStage(s: Stage | undefined): void {
  if (s?.packet?.known && !(s.packet.known instanceof KnownBytes)) Object.setPrototypeOf(s.packet.known, KnownBytes.prototype);
}

export function rehydrateResult(r: CaseResult): CaseResult {
  for (const c of r.comparisons) for (const t of c.diff?.traces ?? []) for (const row of t.rows) {
    reviveStage(row.golden);
    reviveStage(row.model);
  }
  return r;
}
