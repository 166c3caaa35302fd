// The diff's result: what a report shows. Plain data (structured-clone safe: worker threads send it).

import type { FieldValue, Stage } from '../stage.js';

export type DiffKind = 'field' | 'bytes' | 'binding' | 'missing-stage' | 'extra-stage' | 'missing-trace' | 'extra-trace';

export interface FieldDiff {
  kind: DiffKind;
  /** 1-based packet trace number within the case. */
  trace: number;
  /** Node of the stage (golden's for missing stages, model's for extra ones). */
  stage: string;
  /** Index of the aligned stage row in TraceDiff.stages. */
  row: number;
  /** Field key (`ip4.ttl`, `inner.udp.src_port`, `time`, `line.2`, `bytes[34]`) or '' for stage/trace rows. */
  path: string;
  /** undefined = absent on that side. */
  expected?: FieldValue;
  got?: FieldValue;
  /** Checksum provenance, binding name, ... */
  note?: string;
}

export interface StageRow {
  node: string;
  status: 'match' | 'differ' | 'missing' | 'extra';
  golden?: Stage;
  model?: Stage;
  /** Field keys masked in this stage. */
  masked: string[];
  /** Which mask covered each masked key: an index into CaseDiff.masks (checksums masked because
   * their bytes are unknown have none). */
  maskedBy: Record<string, number>;
  /** Field keys bound by bindings in this stage. */
  bound: string[];
  /** Field keys whose model bytes are unknown (KnownBytes): neither matched nor diverged. */
  unknown: string[];
  /** Byte offsets (into the model packet, or the golden one for missing stages) that differ. */
  changedBytes: number[];
  /** Spans of the compared packet that belong to differing fields: [offset, length, key]. */
  changedFields: Array<[number, number, string]>;
}

export interface TraceDiff {
  trace: number;
  /** `SYN 10.1.1.3:51082 -> 10.104.221.85:80` */
  label: string;
  rows: StageRow[];
}

export interface Divergence {
  first: FieldDiff;
  /** One line a person reads first. */
  summary: string;
  /** Later differences explained by `first`. */
  followers: FieldDiff[];
}

export interface Counters {
  compared: number;
  matched: number;
  masked: number;
  bound: number;
  /** Fields whose model bytes are unknown (e.g. a NAT port chosen at random): not compared. */
  unknown: number;
}

export interface BindingValue {
  name: string;
  model?: FieldValue;
  golden?: FieldValue;
  /** Where it was captured: `#1:nat44-in2out.nat.out_port`. */
  at?: string;
}

/**
 * A value the model named but could not predict, bound from a golden and written into a model packet
 * at these bytes (suite/case-bindings.ts): the golden must carry it there.
 */
export interface BoundSpan {
  id: string;
  offset: number;
  length: number;
  /** Where the value was read: `file:frame`. */
  captured: string;
  /** Set on the packet the value was learned from when the model's rule for it refused it: why. */
  refused?: string;
}

/** A mask the comparison applied, with its reason and how many fields it covered. */
export interface MaskUse {
  path: string;
  /** null: a case mask written without a reason (plain-string form). */
  reason: string | null;
  /** runtime: harness/diff/runtime-masks.ts; case: case.yaml `masks:`; golden: that golden's `masks:`; cli: --mask. */
  origin: 'runtime' | 'case' | 'golden' | 'cli';
  fields: number;
}

export interface CaseDiff {
  traces: TraceDiff[];
  diffs: FieldDiff[];
  divergences: Divergence[];
  counters: Counters;
  bindings: BindingValue[];
  /** Every mask offered to the comparison, in the order they are tried (runtime masks first). */
  masks: MaskUse[];
  /** What masks did to checksums, masks that matched nothing, ... (deduplicated). */
  notes: string[];
}

export function emptyCounters(): Counters {
  return { compared: 0, matched: 0, masked: 0, bound: 0, unknown: 0 };
}

export function addCounters(a: Counters, b: Counters): Counters {
  return { compared: a.compared + b.compared, matched: a.matched + b.matched, masked: a.masked + b.masked, bound: a.bound + b.bound, unknown: (a.unknown ?? 0) + (b.unknown ?? 0) };
}
