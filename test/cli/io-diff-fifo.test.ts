// `dpconform diff a.pcap b.pcap` reads each capture twice (match, then compare). Given a FIFO, the
// second open waited for a writer forever: a hang with no word. Refused up front, one line, exit 2.

import { describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bytesOf, cat, pcapHeader, pcapRecord } from '../io/blocks.js';

describe('diff of a capture that cannot be read twice', () => {
  it('a FIFO is refused naming it, exit 2 (it hung)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dpconform-diff-fifo-'));
    const fifo = join(dir, 'live.pcap');
    const file = join(dir, 'file.pcap');
    execFileSync('mkfifo', [fifo]);
    writeFileSync(file, cat(pcapHeader(), pcapRecord(bytesOf(60))));
    for (const args of [[fifo, file], [file, fifo]]) {
      const r = spawnSync(process.execPath, ['dist/harness/cli/main.js', 'diff', ...args], { encoding: 'utf8', env: { ...process.env, CI: 'true' }, timeout: 10_000 });
      expect(r.stderr.split('\n').filter(Boolean)).toEqual([`dpconform: ${fifo}: is a pipe (FIFO), not a file: diff reads each capture twice; save it to a file first`]);
      expect(r.status).toBe(2);
    }
  });
});
