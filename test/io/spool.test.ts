// The spool holds output that must wait for the end (replay's per-instance sections, pcapng packets
// behind their interface blocks): in memory up to a limit, then in a temporary file removed when
// opened. What comes out is what went in, in order, whichever side of the limit.
import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { Spool } from '../../harness/io/spool.js';

const text = (pieces: Iterable<string | Uint8Array>) => Buffer.concat([...pieces].map((p) => (typeof p === 'string' ? Buffer.from(p) : p))).toString();
const spoolDirs = () => readdirSync(tmpdir()).filter((n) => n.startsWith('dpconform-spool-')).length;

describe('Spool', () => {
  it('gives back text and bytes in order, below the limit (memory) and past it (file)', () => {
    for (const limit of [1 << 20, 7]) {
      const s = new Spool(limit);
      expect(s.empty).toBe(true);
      const pieces: Array<string | Uint8Array> = [];
      for (let i = 0; i < 500; i++) pieces.push(i % 3 ? `piece ${i}\n` : Buffer.from(`bytes ${i}\n`));
      for (const p of pieces) s.add(p);
      expect(s.empty).toBe(false);
      expect(text(s.drain())).toBe(text(pieces));
      s.dispose();
    }
  });

  it('leaves no file behind: it is removed as soon as it is open', () => {
    const before = spoolDirs();
    const s = new Spool(4);
    s.add('more than four bytes');
    expect(spoolDirs()).toBe(before);
    expect(text(s.drain())).toBe('more than four bytes');
  });
});
