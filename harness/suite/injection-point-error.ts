// An injection point the model refuses (no such instance, interface or graph node) is case.yaml's to
// fix: its input's `at:` says where packets enter, or leaves it to the input (a capture's interface
// name, a VPP trace's first node). The model knows only its scenario and named that file, so `run`
// said `scenario.yaml: instance k8s-master has no interface 'tap99'` with no line; the scenario was
// right and case.yaml was not named. Reported at the input's entry in case.yaml instead.

import { dirname, relative } from 'node:path';
import { InputError } from '../io/input-error.js';
import type { InputSpec } from './case-spec.js';

/** The error codes the VPP model raises about an injection point (models/vpp/index.ts resolve / vm). */
const INJECTION_POINT_CODES = new Set(['replay.instance', 'replay.interface', 'replay.node']);

/**
 * `e` moved to the input's `at` in case.yaml, naming the input; undefined when it is not about where
 * packets enter, or when it names the input file itself (a VPP trace record's hw_if_index that no
 * interface has is that trace's line to fix, not the case's).
 */
export function injectionPointError(e: InputError, input: InputSpec): InputError | undefined {
  if (!INJECTION_POINT_CODES.has(e.code) || !input.entryAt || e.where.file === input.file) return undefined;
  const { file, line, key } = input.entryAt;
  return new InputError(`${e.reason} (the packets of ${relative(dirname(file), input.file) || input.file})`, { file, line, key: `${key}.at` }, e.code);
}

/** fn's result; an injection point it had the model refuse is reported at the input's `at` (injectionPointError). */
export async function atCaseInput<T>(input: InputSpec, fn: () => T | Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw (e instanceof InputError && injectionPointError(e, input)) || e;
  }
}
