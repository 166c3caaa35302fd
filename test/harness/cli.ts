// Runs `dpconform run|diff` in-process through the real command definitions, capturing output.

import { Command } from 'commander';
import { registerRun } from '../../harness/cli/run.js';
import { registerDiff } from '../../harness/cli/diff.js';
import { resolve } from 'node:path';
import { FIXTURES } from './helpers.js';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export async function cli(args: string[], env: Record<string, string | undefined> = {}): Promise<CliResult> {
  const program = new Command('dpconform').exitOverride();
  registerRun(program);
  registerDiff(program);
  let stdout = '';
  let stderr = '';
  const ow = process.stdout.write.bind(process.stdout);
  const ew = process.stderr.write.bind(process.stderr);
  const saved: Record<string, string | undefined> = {};
  const fullEnv = { DPCONFORM_MODEL_MODULES: resolve(FIXTURES, 'toy-model/index.ts'), CI: undefined, ...env };
  for (const [k, v] of Object.entries(fullEnv)) {
    saved[k] = process.env[k];
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  process.stdout.write = ((s: string | Uint8Array) => ((stdout += String(s)), true)) as typeof process.stdout.write;
  process.stderr.write = ((s: string | Uint8Array) => ((stderr += String(s)), true)) as typeof process.stderr.write;
  process.exitCode = 0;
  try {
    await program.parseAsync(['node', 'dpconform', ...args]);
  } finally {
    process.stdout.write = ow;
    process.stderr.write = ew;
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
  const code = Number(process.exitCode ?? 0);
  process.exitCode = 0;
  return { code, stdout, stderr };
}
