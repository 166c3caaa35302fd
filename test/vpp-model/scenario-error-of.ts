// Test helper: load a VPP scenario given as text (written to a temp file); its InputError, or
// undefined when it loads. Any other error is thrown.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../../harness/io/input-error.js';
import { loadScenario } from '../../models/vpp/configure.js';

export function scenarioErrorOf(text: string): InputError | undefined {
  const f = join(mkdtempSync(join(tmpdir(), 'vpp-scn-')), 's.yaml');
  writeFileSync(f, text);
  try {
    loadScenario(f);
    return undefined;
  } catch (e) {
    if (e instanceof InputError) return e;
    throw e;
  }
}
