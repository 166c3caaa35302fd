// A negative pcapng if_tsoffset is legal (the clock's base lies before the epoch) and makes packet
// times negative. `inspect` printed their time of day as "-1:-2:-40.000000" (BigInt % truncates
// toward zero); it is the time of day gmtime gives for that instant: -100 s is 23:58:20.

import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Bytes, bytesOf, cat, epb, idb, opt, shb } from '../io/blocks.js';
import { timeOfDay } from '../../harness/dissect/render.js';
import { dpconform } from './spawn-cli.js';

const IF_TSOFFSET = 14;
const dir = mkdtempSync(join(tmpdir(), 'dpconform-tsoffset-'));

describe('times before the epoch', () => {
  it.each([
    [-100_000_000_000n, '23:58:20.000000'],
    [-1n, '23:59:59.999999'],
    [-86_400_000_000_000n, '00:00:00.000000'],
    [90_061_000_001_000n, '01:01:01.000001'],
  ])('%s ns is %s', (ns, text) => {
    expect(timeOfDay(ns)).toBe(text);
  });

  it('inspect prints the time of day of a packet whose interface has a negative if_tsoffset', () => {
    const file = join(dir, 'negative.pcapng');
    const offset = new Bytes().u64(-100n & 0xffff_ffff_ffff_ffffn).done(); // int64, two's complement
    writeFileSync(file, cat(shb(), idb(1, 0, [opt(IF_TSOFFSET, offset)]), epb(bytesOf(60))));
    const r = dpconform(['inspect', file]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^1 23:58:20\.000000 /);
    expect(JSON.parse(dpconform(['inspect', '--json', file]).stdout).timestamp).toBe('-100.000000000');
  });
});
