// `inspect --count --keep-going` on a damaged capture: --keep-going shows what came before the fault,
// but with --count nothing was printed at all (the count is written after the last file), only the
// error. Now the count of packets before the fault, then the error, exit 2.

import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodePcap } from '../../harness/io/pcap.js';
import { LinkType } from '../../harness/wire/packet.js';
import { inspectFiles } from '../../harness/cli/inspect.js';
import { dpconform } from './spawn-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'dpconform-inspect-count-'));
const whole = encodePcap(Array.from({ length: 5 }, (_, i) => ({ data: new Uint8Array(60).fill(i), meta: { linkType: LinkType.ETHERNET } })));
const cut = join(dir, 'cut.pcap');
// Cut inside the 4th record's data: 3 whole packets before the fault.
writeFileSync(cut, whole.subarray(0, 24 + 3 * 76 + 16 + 10));

describe('inspect --count --keep-going on a damaged capture', () => {
  it('the count before the fault, then the error (library)', async () => {
    let out = '';
    await expect(inspectFiles([cut], { count: true, keepGoing: true }, (s) => (out += s))).rejects.toThrow(/cut\.pcap \(packet 4, offset 252\)/);
    expect(out).toBe('3\n');
  });

  it('the built CLI: "3", one error line, exit 2; without --keep-going no count', () => {
    const r = dpconform(['inspect', '--count', '--keep-going', cut]);
    expect(r.stdout).toBe('3\n');
    expect(r.errLines).toEqual([`dpconform: ${cut} (packet 4, offset 252): truncated pcap record, packet data: 10 of 60 bytes`]);
    expect(r.status).toBe(2);
    const plain = dpconform(['inspect', '--count', cut]);
    expect(plain.stdout).toBe('');
    expect(plain.status).toBe(2);
  });
});
