// `dpconform trace ...` run in process: the command registered on a fresh program, stdout (each
// write) and stderr captured, the exit code read back and reset.

import { vi } from 'vitest';
import { Command } from 'commander';
import { registerTrace } from '../../harness/cli/trace.js';

export async function runTrace(...args: string[]): Promise<{ out: string; writes: string[]; err: string; code: number }> {
  const writes: string[] = [];
  let err = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => (writes.push(String(s)), true));
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => ((err += String(s)), true));
  process.exitCode = 0;
  try {
    const program = new Command('dpconform').exitOverride();
    registerTrace(program);
    await program.parseAsync(['node', 'dpconform', 'trace', ...args]);
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
  const code = Number(process.exitCode ?? 0);
  process.exitCode = 0;
  return { out: writes.join(''), writes, err, code };
}
