// FrameBatch.timestampMs(i) - a frame's time in whole ms as a plain number, for the replay's capture
// clock (a bigint per read cost ~0.6 us) - is timestampNs(i) / 10^6 rounded down, for every
// resolution the readers take: pcap in us and ns, pcapng decimal (fast path, and finer than ns
// through the bigint), binary, and with if_tsoffset; and NaN for a record without a timestamp.

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readCaptureFrames } from '../../harness/io/frames.js';
import { encodePcap } from '../../harness/io/pcap.js';
import { encodePcapng } from '../../harness/io/pcapng.js';
import { LinkType, type Packet } from '../../harness/wire/packet.js';

const dir = mkdtempSync(join(tmpdir(), 'dpconform-ts-ms-'));
const frame = new Uint8Array(60);

async function pairs(file: string, bytes: Uint8Array): Promise<Array<[number, number]>> {
  writeFileSync(file, bytes);
  const out: Array<[number, number]> = [];
  for await (const b of readCaptureFrames(file)) for (let i = 0; i < b.count; i++) out.push([b.timestampMs(i), Number(b.timestampNs(i)! / 1_000_000n)]);
  return out;
}

const packets = (ns: bigint[]): Packet[] => ns.map((t) => ({ data: frame, meta: { linkType: LinkType.ETHERNET, timestampNs: t } }));

describe('timestampMs', () => {
  // pcap seconds are 32 bits; pcapng counts 64 bits of units.
  const pcapNs = fc.bigInt(0n, (1n << 32n) * 1_000_000_000n - 1n);
  const pcapngNs = fc.bigInt(0n, (1n << 62n) - 1n);

  it.each([false, true])('pcap (nanosecond %s) agrees with timestampNs', async (nanosecond) => {
    await fc.assert(
      fc.asyncProperty(fc.array(pcapNs, { minLength: 1, maxLength: 20 }), async (ns) => {
        for (const [ms, fromNs] of await pairs(join(dir, 'a.pcap'), encodePcap(packets(ns), { nanosecond }))) expect(ms).toBe(fromNs);
      }),
      { numRuns: 40 },
    );
  });

  it.each([6, 9, 3, 0, 12, 0x80 | 20, 0x80 | 30])('pcapng if_tsresol %i agrees with timestampNs', async (tsresol) => {
    await fc.assert(
      fc.asyncProperty(fc.array(pcapngNs, { minLength: 1, maxLength: 20 }), async (ns) => {
        const bytes = encodePcapng(packets(ns), { interfaces: [{ linkType: LinkType.ETHERNET, tsresol }] });
        for (const [ms, fromNs] of await pairs(join(dir, 'a.pcapng'), bytes)) expect(ms).toBe(fromNs);
      }),
      { numRuns: 40 },
    );
  });

  it('exact at millisecond edges (ns resolution: the split of 2^32 into 4294 * 10^6 + 967296)', async () => {
    const edges = [0n, 999_999n, 1_000_000n, 1_700_000_000_999_999_999n, 1_700_000_001_000_000_000n, (1n << 62n) - 1n, 4_294_967_296n * 1_000_000n - 1n];
    const got = await pairs(join(dir, 'e.pcapng'), encodePcapng(packets(edges), { interfaces: [{ linkType: LinkType.ETHERNET, tsresol: 9 }] }));
    expect(got.map(([ms]) => ms)).toEqual(edges.map((t) => Number(t / 1_000_000n)));
  });
});
