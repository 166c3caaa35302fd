// What running a case produced: plain data for reporters (and for worker threads to send back).

import type { CaseDiff, Counters } from '../diff/types.js';
import type { Evidence, SourceKind } from './case-spec.js';
import type { GoldenUpdate } from './golden-write.js';
import type { BoundRecord } from './case-bindings.js';

export type CaseStatus = 'passed' | 'failed' | 'error' | 'skipped';

export interface ErrorRecord {
  message: string;
  code: string;
  file?: string;
  line?: number;
  key?: string;
  packet?: number;
}

/** One file of a golden sequence and the packet traces it holds (numbered within the sequence). */
export interface GoldenPart {
  file: string;
  source?: string;
  /** 1-based number of its first trace in the sequence; its traces are firstTrace..firstTrace+traces-1. */
  firstTrace: number;
  traces: number;
}

export interface GoldenComparison {
  /** The golden file (the first one of a sequence). */
  file: string;
  kind: SourceKind;
  evidence: Evidence;
  source?: string;
  interface?: string;
  /** Several trace/stage goldens compared as one sequence: every file, in order. */
  parts?: GoldenPart[];
  /** compared | missing (not on disk) | written (by --update) */
  state: 'compared' | 'missing' | 'written';
  diff?: CaseDiff;
  /** What --update wrote (one per file of a sequence). */
  updates?: GoldenUpdate[];
  note?: string;
}

export interface CaseResult {
  name: string;
  file: string;
  model?: string;
  tags: string[];
  status: CaseStatus;
  /** 'snapshot' when every golden of the case is a model-made snapshot: never conformance evidence. */
  evidence: Evidence;
  comparisons: GoldenComparison[];
  errors: ErrorRecord[];
  counters: Counters;
  /**
   * Values the model named but could not predict (a NAT port the kernel chose), bound from the first
   * capture golden frame showing each and then required (suite/case-bindings.ts).
   */
  bound?: BoundRecord[];
  /** The trace reader's warnings about the case's trace files (`file:line: warning: ...`). */
  warnings?: string[];
  /** The first divergence's one-line summary (failed cases). */
  summary?: string;
  skipReason?: string;
  durationMs: number;
}

export interface SuiteResult {
  cases: CaseResult[];
  /** Conformance evidence only; snapshots are counted apart. */
  conformance: Counters;
  snapshot: Counters;
  totals: Record<CaseStatus, number>;
  durationMs: number;
  exitCode: 0 | 1 | 2;
  /** Which shard ran, `2/4`. */
  shard?: string;
  /** Things a person should know about how the suite ran (e.g. --jobs fell back to one thread). */
  notes?: string[];
}
