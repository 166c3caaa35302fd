// `dpconform inspect -` with a regular file as stdin read it by file offset from 0: bytes the shell or
// an earlier command had already taken from stdin were read again (a capture behind a header another
// tool consumed: 'not a pcap or pcapng file'), and `inspect - -` printed the same file twice, where a
// pipe gives its bytes once. Stdin is now read from where it stands, as a pipe is.

import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cat, pcapHeader, pcapRecord, bytesOf } from '../io/blocks.js';

const dir = mkdtempSync(join(tmpdir(), 'dpconform-stdin-position-'));

/** Run inspect with `file` as stdin, `skip` bytes of it already read. */
function inspectFromOffset(file: string, skip: number, args: string[]) {
  const fd = openSync(file, 'r');
  try {
    if (skip) readSync(fd, Buffer.alloc(skip), 0, skip, null);
    const r = spawnSync(process.execPath, ['dist/harness/cli/main.js', 'inspect', ...args], { stdio: [fd, 'pipe', 'pipe'], encoding: 'utf8', env: { ...process.env, CI: 'true' } });
    return { status: r.status, stdout: r.stdout, errLines: r.stderr.split('\n').filter(Boolean) };
  } finally {
    closeSync(fd);
  }
}

const capture = cat(pcapHeader(), pcapRecord(bytesOf(60, 1)), pcapRecord(bytesOf(64, 2)));

describe('inspect -: a file as stdin is read from where stdin stands', () => {
  it('bytes already taken from stdin are not read again', () => {
    const file = join(dir, 'behind-header.bin');
    writeFileSync(file, cat(new TextEncoder().encode('16-byte header!\n'), capture));
    const r = inspectFromOffset(file, 16, ['--count', '-']);
    expect(r.errLines).toEqual([]);
    expect(r.stdout).toBe('2\n');
    expect(r.status).toBe(0);
  });

  it('- given twice: the second finds stdin at its end, as with a pipe (one line, exit 2)', () => {
    const file = join(dir, 'once.pcap');
    writeFileSync(file, capture);
    const r = inspectFromOffset(file, 0, ['--count', '-', '-']);
    expect(r.errLines).toEqual(['dpconform: <stdin> (packet 1, offset 0): file too short for a capture header: 0 bytes']);
    expect(r.status).toBe(2);
  });
});
