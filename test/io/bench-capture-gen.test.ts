// The benchmark input generator (bench/gen-capture.ts) writes what it says: Ethernet/IPv4 TCP and
// UDP frames of 60..1514 bytes over many flows, valid IPv4 and L4 checksums, rising timestamps.
// (Speed is judged by `npm run bench`, never here.)

import { describe, it, expect } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateBenchCapture } from '../../bench/gen-capture.js';
import { readCaptureAll } from '../../harness/io/capture.js';
import { u16 } from '../../harness/wire/bytes.js';
import { pseudoHeaderSum4, transportChecksumValid, verifiesTo0xffff } from '../../harness/wire/checksum.js';

describe('bench capture generator', () => {
  it('writes valid Ethernet/IPv4 TCP+UDP frames over many flows', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'dpconform-gen-')), 'g.pcap');
    await generateBenchCapture(path, 3000);
    const ps = await readCaptureAll(path);
    expect(ps.length).toBe(3000);
    const flows = new Set<string>();
    let udp = 0;
    let last = 0n;
    for (const p of ps) {
      const b = p.data;
      expect(b.length).toBeGreaterThanOrEqual(60);
      expect(b.length).toBeLessThanOrEqual(1514);
      expect(u16(b, 12)).toBe(0x0800);
      expect(u16(b, 16)).toBe(b.length - 14);
      expect(verifiesTo0xffff(b, 14, 20)).toBe(true);
      const proto = b[23];
      expect([6, 17]).toContain(proto);
      if (proto === 17) udp++;
      const l4Len = b.length - 34;
      expect(transportChecksumValid(b, 34, l4Len, pseudoHeaderSum4(b, 26, 30, proto, l4Len))).toBe(true);
      flows.add(`${u16(b, 26)}.${u16(b, 28)}>${u16(b, 30)}.${u16(b, 32)}:${u16(b, 34)}-${u16(b, 36)}`);
      expect(p.meta.timestampNs! > last).toBe(true);
      last = p.meta.timestampNs!;
    }
    expect(flows.size).toBeGreaterThan(1000);
    expect(udp).toBeGreaterThan(300);
    expect(udp).toBeLessThan(2700);
  });
});
