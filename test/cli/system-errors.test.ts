// Errors from system calls (ENOENT, EACCES, EISDIR from any file the CLI opens) are the user's input
// or environment: one line naming the path with what the OS said, exit 2. One without a path (a read
// on an open handle) was reported as "internal error", exit 3, and one with a path repeated it
// ("/x: EISDIR: illegal operation on a directory, open '/x'").

import { afterEach, describe, expect, it, vi } from 'vitest';
import { chmodSync, closeSync, mkdtempSync, openSync, readFileSync, readSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exitCodeFor } from '../../harness/cli/guard.js';
import { dpconform } from './spawn-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'dpconform-system-errors-'));
const trace = 'golden/contiv/seed/004_c3bde7ba11825164.txt';

function thrownBy(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  throw new Error('nothing thrown');
}

function reported(e: unknown): { code: number; lines: string[] } {
  let err = '';
  const spy = vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((err += String(s)), true));
  const code = exitCodeFor(e);
  spy.mockRestore();
  return { code, lines: err.split('\n').filter(Boolean) };
}

afterEach(() => vi.restoreAllMocks());

describe('system call errors through the CLI guard', () => {
  it('a missing file: its path and the OS reason, exit 2', () => {
    const missing = join(dir, 'missing.pcap');
    expect(reported(thrownBy(() => readFileSync(missing)))).toEqual({ code: 2, lines: [`dpconform: ${missing}: no such file or directory (ENOENT, open)`] });
  });

  it('a read on an open folder (no path in the error) is not an internal error', () => {
    const fd = openSync(dir, 'r');
    const e = thrownBy(() => readSync(fd, Buffer.alloc(4)));
    closeSync(fd);
    expect(reported(e)).toEqual({ code: 2, lines: ['dpconform: illegal operation on a directory (EISDIR, read)'] });
  });

  it('an output file that is a folder: one line naming it, exit 2', () => {
    const r = dpconform(['trace', 'to-pcap', trace, '-o', dir]);
    // Refused before the write now (harness/io/output-not-a-folder.ts), not Node's raw EISDIR.
    expect(r.errLines).toEqual([`dpconform: ${dir}: the output (-o) names a folder, not a file: give a file name`]);
    expect(r.status).toBe(2);
  });

  // root reads a mode-000 file anyway: there is nothing to refuse when the tests run as root.
  it.skipIf(process.getuid?.() === 0)('an unreadable capture: one line naming it, exit 2', () => {
    const file = join(dir, 'unreadable.pcap');
    writeFileSync(file, readFileSync('fixtures/captures/eth-ipv4-be.pcapng'));
    chmodSync(file, 0);
    const r = dpconform(['inspect', file]);
    expect(r.errLines).toEqual([`dpconform: ${file}: permission denied (EACCES, open)`]);
    expect(r.status).toBe(2);
  });
});
