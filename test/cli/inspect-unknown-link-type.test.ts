// `inspect` of a capture whose link type the dissector does not know (here 147, LINKTYPE_USER0) printed
// each frame as its number and time and nothing else, exit 0: it looked like empty frames. The line
// now says what the frame is: its link type, not dissected, and its length.

import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bytesOf, cat, pcapHeader, pcapRecord } from '../io/blocks.js';
import { dpconform } from './spawn-cli.js';

const LINKTYPE_USER0 = 147;

describe('inspect of a link type it cannot dissect', () => {
  it('each line names the link type and the frame length', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'dpconform-unknown-link-')), 'user0.pcap');
    writeFileSync(file, cat(pcapHeader({ linkWord: LINKTYPE_USER0 }), pcapRecord(bytesOf(60)), pcapRecord(bytesOf(42))));
    const r = dpconform(['inspect', file]);
    expect(r.status).toBe(0);
    expect(r.stdout.split('\n').filter(Boolean)).toEqual([
      '1 00:00:00.000000 link type 147 (not dissected), length 60',
      '2 00:00:00.000000 link type 147 (not dissected), length 42',
    ]);
  });
});
