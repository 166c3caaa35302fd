// Options in blocks the reader does not otherwise use (a Section Header Block's shb_hardware/shb_os,
// an Interface Statistics Block's counters) were never walked, so one whose length runs past its
// block went unnoticed and the capture read as if sound. They are walked now: one line naming the
// file, the packet number and the option's byte offset, exit 2 (as for IDB and EPB options).

import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { block, Bytes, bytesOf, cat, epb, idb, opt, shb } from './blocks.js';
import { dpconform } from '../cli/spawn-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'dpconform-block-options-'));
const SHB_LEN = 28;
const IDB_LEN = 20;
const ETH = bytesOf(60);
const EPB_LEN = 32 + ETH.length;
const ISB_TYPE = 5;
/** Option 2 claiming 200 bytes where 4 are. */
const overrun = new Bytes().u16(2).u16(200).bytes(bytesOf(4)).done();

function isb(options: Uint8Array[]): Uint8Array {
  const b = new Bytes().u32(0).u32(0).u32(0);
  for (const o of options) b.bytes(o);
  return block(ISB_TYPE, b.done());
}

describe('an option overrunning a block the reader otherwise skips', () => {
  it.each([
    ['section header', cat(shb(true, [opt(3, 'Linux'), overrun]), idb(1, 0), epb(ETH)), 1, 24 + 12],
    ['interface statistics', cat(shb(), idb(1, 0), epb(ETH), isb([overrun]), epb(ETH)), 2, SHB_LEN + IDB_LEN + EPB_LEN + 20],
  ])('%s block: file, packet, offset, exit 2', (name, bytes, packet, offset) => {
    const file = join(dir, `${name.replace(' ', '-')}.pcapng`);
    writeFileSync(file, bytes);
    const r = dpconform(['inspect', file]);
    expect(r.errLines).toEqual([`dpconform: ${file} (packet ${packet}, offset ${offset}): option 2 of 200 bytes overruns its block`]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
  });

  it('well-formed options in those blocks read as before', () => {
    const file = join(dir, 'good.pcapng');
    writeFileSync(file, cat(shb(true, [opt(3, 'Linux')]), idb(1, 0), epb(ETH), isb([opt(1, 'stats')]), epb(ETH)));
    const r = dpconform(['inspect', '--count', file]);
    expect([r.status, r.stdout]).toEqual([0, '2\n']);
  });
});
