import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { CASE_FILE, discoverCases } from '../suite/discover.js';
import { InputError } from '../io/input-error.js';

/**
 * Refuse a folder given to `run` that holds no case at any depth. Discovery walks every path it is
 * given and a folder without a case.yaml simply adds nothing, so `dpconform run /tmp/typo` reported
 * "0 cases" and exited 0: a CI job pointed at the wrong folder passed. A missing path or a file that
 * is not a case.yaml is left to discovery, which already names it.
 */
export function requireCasesUnder(paths: readonly string[]): void {
  for (const path of paths) {
    if (!statSync(path, { throwIfNoEntry: false })?.isDirectory()) continue;
    if (discoverCases([path]).length === 0) throw new InputError(`no ${CASE_FILE} in this folder or below it`, { file: resolve(path) }, 'run.no-cases');
  }
}
