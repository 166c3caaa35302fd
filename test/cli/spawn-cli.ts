// The built CLI (`npm run build` first) run as a process, the way a person or a CI script runs it.

import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const main = join(process.cwd(), 'dist/harness/cli/main.js');

export interface CliRun {
  status: number | null;
  stdout: string;
  /** stderr split into its non-empty lines. */
  errLines: string[];
}

export function dpconform(args: string[]): CliRun {
  const r = spawnSync(process.execPath, [main, ...args], { encoding: 'utf8', env: { ...process.env, CI: 'true' }, timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, errLines: r.stderr.split('\n').filter(Boolean) };
}
