// `dpconform diff A B` compares like with like. A capture holds frames (one stage each); a trace or
// stage-records file holds each packet's path through the nodes. Matched across the two, no packet
// ever pairs up: every packet came out "missing" or "extra", a conformance failure (exit 1) made up
// from a mix-up of files. Traces and stage records are both stage traces and do compare (a model's
// `replay --format json` against a golden trace).

import { InputError } from '../io/input-error.js';
import { kindFromExtension } from '../suite/load-case.js';
import type { SourceKind } from '../suite/case-spec.js';

const KIND_NAME: Record<SourceKind, string> = { capture: 'a capture', trace: 'a VPP trace', stages: 'stage records' };

/** Refuse a capture diffed against a trace or stage records; unknown extensions are left to the reader. */
export function requireComparableKinds(a: string, b: string): void {
  const ka = kindFromExtension(a);
  const kb = kindFromExtension(b);
  if (ka === undefined || kb === undefined || (ka === 'capture') === (kb === 'capture')) return;
  const [capture, other, otherKind] = ka === 'capture' ? [a, b, kb] : [b, a, ka];
  throw new InputError(
    `a capture cannot be diffed against ${other} (${KIND_NAME[otherKind]}): diff compares two captures, or two traces / stage records`,
    { file: capture },
    'diff.mixed-kinds',
  );
}
