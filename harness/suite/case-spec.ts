// What a loaded case.yaml means, after validation: absolute paths, parsed field paths, known kinds.
// The YAML format is documented in docs at the top of load-case.ts.

import type { InjectionPoint } from '../model.js';
import type { FieldPath } from '../diff/mask-path.js';
import type { InputError } from '../io/input-error.js';

/** How a file's content is read: VPP `show trace` text, a pcap/pcapng capture, or JSON stage records. */
export type SourceKind = 'trace' | 'capture' | 'stages';

export type Evidence = 'conformance' | 'snapshot';

/** Where case.yaml states something about another file (its `packets:`), for errors about it. */
export interface StatedAt {
  file: string;
  line?: number;
  key: string;
}

export interface InputSpec {
  file: string;
  kind: SourceKind;
  at?: InjectionPoint;
  /** 1-based packet numbers to inject from the file, in this order; undefined = all. */
  packets?: number[];
  /** Where `packets:` is in case.yaml: a number the file lacks is reported there. */
  packetsAt?: StatedAt;
  /** Where this input's entry is in case.yaml (`inputs[i]`): an injection point the model refuses is reported at its `at`. */
  entryAt?: StatedAt;
  line?: number;
}

export interface GoldenSpec {
  file: string;
  kind: SourceKind;
  evidence: Evidence;
  /** Where the evidence comes from, for people (`seed 004 block 2`). */
  source?: string;
  /** For capture goldens: the model output interface (meta.interfaceName) this capture was taken on. */
  interface?: string;
  /** Where `interface:` is in case.yaml. */
  interfaceAt?: StatedAt;
  /** Where this golden's entry is in case.yaml (`golden` or `golden[i]`). */
  entryAt?: StatedAt;
  /** Capture goldens: 1-based frames of the file to compare, in this order; undefined = all. */
  packets?: number[];
  /** Where `packets:` is in case.yaml. */
  packetsAt?: StatedAt;
  /** Masks for this golden only (`#N:` counts this golden's compared packets). */
  masks?: MaskSpec[];
  line?: number;
}

export interface MaskSpec {
  path: FieldPath;
  /** Why the field cannot be compared; null only for the old plain-string form (no reason given). */
  reason: string | null;
  line?: number;
}

export interface BindingSpec {
  /** `$port` */
  name: string;
  /** Where the dataplane chooses the value (first match, in packet order). */
  capture: FieldPath;
  /** Where the same value must appear later; empty = wherever the golden repeats its captured value. */
  require: FieldPath[];
  line?: number;
}

export interface CaseSpec {
  /** Absolute path of case.yaml. */
  file: string;
  dir: string;
  name: string;
  /** The line of `name:`; undefined when the name is the default (the folder). */
  nameLine?: number;
  model: string;
  scenario?: string;
  inputs: InputSpec[];
  goldens: GoldenSpec[];
  masks: MaskSpec[];
  bindings: BindingSpec[];
  tags: string[];
  description?: string;
}

/** A case.yaml that could not be loaded: its errors replace its result, the others still run. */
export interface BrokenCase {
  file: string;
  name: string;
  errors: InputError[];
}
