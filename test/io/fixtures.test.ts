// The committed fixtures in fixtures/captures/ are exactly what fixtures/captures/build.ts builds
// (provenance), and each reads as documented. UPDATE_FIXTURES=1 rewrites them.

import { describe, it, expect } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { captureFixtures } from '../../fixtures/captures/build.js';
import { readCaptureAll } from '../../harness/io/capture.js';
import type { CaptureMeta } from '../../harness/io/capture-decoder.js';
import { InputError } from '../../harness/io/input-error.js';

const dir = fileURLToPath(new URL('../../fixtures/captures/', import.meta.url));
const built = captureFixtures();

if (process.env.UPDATE_FIXTURES) for (const [name, bytes] of Object.entries(built)) writeFileSync(join(dir, name), bytes);

describe('capture fixtures', () => {
  for (const [name, bytes] of Object.entries(built)) {
    it(`${name} is committed as built`, () => {
      expect(existsSync(join(dir, name)), `${name} missing: run with UPDATE_FIXTURES=1`).toBe(true);
      expect(new Uint8Array(readFileSync(join(dir, name)))).toEqual(bytes);
    });
  }

  it('the valid ones read with the documented packets', async () => {
    for (const name of ['eth-ipv4-us-le.pcap', 'eth-ipv4-ns-be.pcap', 'eth-ipv4-be.pcapng']) {
      const ps = await readCaptureAll(join(dir, name));
      expect(ps.map((p) => p.data.length), name).toEqual([46, 54, 50]);
      expect(ps[0].meta.timestampNs, name).toBe(name.includes('us') ? 1_700_000_000_123_456_000n : 1_700_000_000_123_456_789n);
    }
    const multi = await readCaptureAll(join(dir, 'multi-interface.pcapng'));
    expect(multi.map((p) => [p.meta.linkType, p.meta.interfaceName, p.meta.comment])).toEqual([
      [1, 'eth0', 'udp to 10.0.0.2:9999'],
      [101, 'tun0', 'tcp syn on tun0'],
      [1, 'eth0', undefined],
    ]);
    const sections = await readCaptureAll(join(dir, 'sections-fcs.pcapng'));
    expect(sections.map((p) => [p.meta.frame, p.meta.linkType, p.meta.interfaceId, p.meta.interfaceName, (p.meta as CaptureMeta).fcsLength, p.data.length])).toEqual([
      [1, 1, 0, 'eth0', 4, 50],
      [2, 1, 1, 'eth1', undefined, 54],
      [3, 1, 1, 'eth1', 4, 54],
      [4, 101, 0, 'tun0', undefined, 40],
    ]);
  });

  const bad: Record<string, [string, string]> = {
    'bad-magic.pcap': ['capture.bad-magic', '(packet 1, offset 0): not a pcap or pcapng file (magic 0x504b0304)'],
    'truncated-record.pcap': ['capture.truncated-record', '(packet 3, offset 156): truncated pcap record, packet data: 40 of 50 bytes'],
    'caplen-over-snaplen.pcap': ['capture.caplen-exceeds-snaplen', "(packet 2, offset 86): captured length 101 exceeds the file's snaplen 100"],
    'unknown-interface.pcapng': ['capture.unknown-interface', '(packet 2, offset 236): packet block names interface 7, but the section declares 2 (0..1)'],
    'block-length-mismatch.pcapng': ['capture.block-length-mismatch', '(packet 1, offset 128): block length 108 does not match its trailing length 112'],
  };
  for (const [name, [code, message]] of Object.entries(bad)) {
    it(`${name} fails with ${code}`, async () => {
      const path = join(dir, name);
      const err = await readCaptureAll(path).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(InputError);
      expect((err as InputError).code).toBe(code);
      expect((err as InputError).message).toBe(`${path} ${message}`);
    });
  }
});
