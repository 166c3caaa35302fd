// The DVR scenario tests' edit-and-load: a scenario text with one edit, and the InputError it raises.
import { expect } from 'vitest';
import { InputError } from '../../harness/io/input-error.js';
import { parseDvrScenario } from '../../models/neutron-dvr/scenario.js';

/** `text` with `from` replaced by `to`, loaded as bad.yaml; the error it raises (none: the test fails). */
export function scenarioErrorOf(text: string, from: string, to: string): { e: InputError; text: string } {
  expect(text).toContain(from);
  const edited = text.replace(from, to);
  try {
    parseDvrScenario(edited, 'bad.yaml');
  } catch (e) {
    if (e instanceof InputError) return { e, text: edited };
    throw e;
  }
  throw new Error('no error raised');
}
