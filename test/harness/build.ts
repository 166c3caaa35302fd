// A throwaway JavaScript build of the current sources, for what only runs as compiled JS (`run
// --jobs N` worker threads): every .ts under harness/, models/ and the toy model is transpiled
// (no type check, so another engineer's half-written file cannot stop it) into a temp folder laid
// out like dist/, with package.json and node_modules beside it so imports resolve as installed.

import ts from 'typescript';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';

export const REPO = resolve(import.meta.dirname, '../..');
const SOURCES = ['harness', 'models', 'fixtures/harness/toy-model'];

function* files(dir: string): Generator<string> {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) yield* files(p);
    else if (!e.name.endsWith('.js') && !e.name.endsWith('.d.ts')) yield p;
  }
}

let built: string | undefined;

/** Root of the JS build (cached per test file): `<root>/harness/cli/main.js` is the CLI. */
export function buildJs(): string {
  if (built) return built;
  const out = mkdtempSync(join(tmpdir(), 'dpconform-js-'));
  const options: ts.CompilerOptions = { module: ts.ModuleKind.ES2022, target: ts.ScriptTarget.ES2022, sourceMap: false };
  for (const src of SOURCES) {
    for (const file of files(join(REPO, src))) {
      const dest = join(out, relative(REPO, file));
      mkdirSync(dirname(dest), { recursive: true });
      // Data files (JSON name tables, ...) are imported at run time: copied as they are.
      if (!file.endsWith('.ts')) copyFileSync(file, dest);
      else writeFileSync(dest.replace(/\.ts$/, '.js'), ts.transpileModule(readFileSync(file, 'utf8'), { compilerOptions: options, fileName: file }).outputText);
    }
  }
  copyFileSync(join(REPO, 'package.json'), join(out, 'package.json'));
  symlinkSync(join(REPO, 'node_modules'), join(out, 'node_modules'), 'dir');
  return (built = out);
}

export interface BuiltRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** `dpconform ARGS` run as a process from a build (`buildJs()`), with the toy model registered. */
export function runJs(root: string, args: string[]): Promise<BuiltRun> {
  const env: NodeJS.ProcessEnv = { ...process.env, DPCONFORM_MODEL_MODULES: join(root, 'fixtures/harness/toy-model/index.js') };
  delete env.CI;
  return new Promise((done) => {
    execFile(process.execPath, [join(root, 'harness/cli/main.js'), ...args], { env }, (err, stdout, stderr) => {
      done({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}
