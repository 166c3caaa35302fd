// Finding cases: every `case.yaml` under the given paths, in a stable (sorted) order so names, shards
// and reports are the same on every machine.
//
// The bundled suite (what `dpconform run` runs without paths) is every case under the installed
// package's `fixtures/` folder, except folders holding a `NOT-BUNDLED` marker file: test-only cases
// (fixtures/harness/ has one) live there too but are not conformance evidence about any dataplane.

import { existsSync, readdirSync, readFileSync, realpathSync, statSync, type Dirent } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InputError } from '../io/input-error.js';

export const CASE_FILE = 'case.yaml';
export const NOT_BUNDLED_MARKER = 'NOT-BUNDLED';
const SKIP_DIRS = new Set(['node_modules', '.git', 'dist']);

export interface FoundCase {
  file: string;
  /** Default case name: the case folder relative to the path it was found under. */
  defaultName: string;
}

/** The dpconform package root (works from the TS sources and from dist/). */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pj = join(dir, 'package.json');
    if (existsSync(pj)) {
      try {
        if (JSON.parse(readFileSync(pj, 'utf8')).name === 'dpconform') return dir;
      } catch {
        /* not ours, keep looking */
      }
    }
    const up = dirname(dir);
    if (up === dir) throw new Error('cannot find the dpconform package root');
    dir = up;
  }
}

export function bundledSuiteRoot(): string {
  return join(packageRoot(), 'fixtures');
}

/**
 * Every case under `paths` (files or folders); with no paths, the bundled suite. A folder given that
 * holds no case at any depth is refused: without it `dpconform run /tmp/typo` reported "0 cases" and
 * exited 0, so a CI job pointed at the wrong folder passed. A case also found under an earlier path
 * still counts for this one.
 */
export function discoverCases(paths: readonly string[]): FoundCase[] {
  const bundled = paths.length === 0;
  const roots = bundled ? [bundledSuiteRoot()] : paths.map((p) => resolve(p));
  const found: FoundCase[] = [];
  const seen = new Set<string>();
  for (const root of roots) {
    if (!existsSync(root)) throw new InputError('no such file or folder', { file: root }, 'run.no-path');
    const st = statSync(root);
    if (st.isFile()) {
      if (basename(root) !== CASE_FILE) throw new InputError(`expected a folder or a ${CASE_FILE}`, { file: root }, 'run.not-a-case');
      add(root, basename(dirname(root)));
      continue;
    }
    let cases = 0;
    walk(
      root,
      (file) => {
        cases++;
        add(file, toName(relative(root, dirname(file))) || basename(root));
      },
      bundled,
    );
    if (cases === 0 && !bundled) throw new InputError(`no ${CASE_FILE} in this folder or below it`, { file: root }, 'run.no-cases');
  }
  function add(file: string, defaultName: string) {
    if (seen.has(file)) return;
    seen.add(file);
    found.push({ file, defaultName });
  }
  return found;
}

function toName(rel: string): string {
  return rel.split(sep).join('/');
}

/**
 * Symbolic links are followed: a linked case folder or case.yaml was skipped without a word (a Dirent
 * of a link is neither a file nor a folder), so a suite of linked cases ran only its other ones and
 * passed. A folder reached again (a link loop, or a link to a folder already walked) is walked once.
 */
function walk(dir: string, onCase: (file: string) => void, skipMarked: boolean, walked = new Set<string>()): void {
  const real = realpathSync(dir);
  if (walked.has(real)) return;
  walked.add(real);
  const entries = readdirSync(dir, { withFileTypes: true });
  const target = (e: Dirent) => (e.isSymbolicLink() ? statSync(join(dir, e.name), { throwIfNoEntry: false }) : e);
  if (skipMarked && entries.some((e) => e.isFile() && e.name === NOT_BUNDLED_MARKER)) return;
  // A linked case.yaml whose target is missing is still a case: loading it names the broken link.
  if (entries.some((e) => e.name === CASE_FILE && (e.isSymbolicLink() || e.isFile()))) onCase(join(dir, CASE_FILE));
  const subdirs = entries.filter((e) => !SKIP_DIRS.has(e.name) && target(e)?.isDirectory()).map((e) => e.name).sort();
  for (const d of subdirs) walk(join(dir, d), onCase, skipMarked, walked);
}
