// Runs `dpconform check` in-process through the real command definition, capturing output and exit code.

import { Command } from 'commander';
import { registerCheck } from '../../harness/cli/check.js';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export async function checkCli(args: string[]): Promise<CliResult> {
  const program = new Command('dpconform').exitOverride();
  registerCheck(program);
  let stdout = '';
  let stderr = '';
  const ow = process.stdout.write.bind(process.stdout);
  const ew = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((s: string | Uint8Array) => ((stdout += String(s)), true)) as typeof process.stdout.write;
  process.stderr.write = ((s: string | Uint8Array) => ((stderr += String(s)), true)) as typeof process.stderr.write;
  process.exitCode = 0;
  try {
    await program.parseAsync(['node', 'dpconform', 'check', ...args]);
  } finally {
    process.stdout.write = ow;
    process.stderr.write = ew;
  }
  const code = Number(process.exitCode ?? 0);
  process.exitCode = 0;
  return { code, stdout, stderr };
}
