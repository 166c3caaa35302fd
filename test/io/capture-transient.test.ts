// readCapture's `transient` mode recycles its file buffers: every batch, looked at when it is pulled,
// is exactly what the default reader gives (records split across chunks, records larger than a
// chunk, several chunks per batch), and memory stays a few chunks even when a consumer (wrongly)
// holds every batch. Also the exact one-allocation timestamp composition the decoders use.

import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { readCapture, readCaptureAll } from '../../harness/io/capture.js';
import { nsFromParts } from '../../harness/io/capture-decoder.js';
import { encodePcap, writePcap } from '../../harness/io/pcap.js';
import { encodePcapng } from '../../harness/io/pcapng.js';
import type { Packet } from '../../harness/wire/packet.js';
import { bytesOf } from './blocks.js';

const dir = mkdtempSync(join(tmpdir(), 'dpconform-transient-'));

function sample(n: number): Packet[] {
  return Array.from({ length: n }, (_, i) => ({
    // Sizes up to 3000 bytes: with 4 KiB chunks many records straddle a chunk end.
    data: bytesOf((i * 577) % 3000, i),
    meta: { linkType: 1, interfaceId: i % 2, timestampNs: 1_700_000_000_000_000_000n + BigInt(i) * 999_937n },
  }));
}

/** Everything a consumer sees of a batch, copied at pull time. */
const snapshot = (ps: Packet[]) => ps.map((p) => ({ data: Buffer.from(p.data).toString('hex'), meta: { ...p.meta } }));

describe('transient reading (recycled buffers)', () => {
  const packets = sample(600);
  const files = {
    pcap: encodePcap(packets, { nanosecond: true }),
    pcapng: encodePcapng(packets, { interfaces: [{ linkType: 1, name: 'eth0', tsresol: 9 }, { linkType: 1, name: 'eth1' }] }),
  };
  for (const [kind, bytes] of Object.entries(files)) {
    const path = join(dir, `t.${kind}`);
    writeFileSync(path, bytes);
    for (const chunkSize of [4096, 10_000, 70_000]) {
      for (const batchSize of [1, 5, 64, 1024]) {
        it(`${kind}, chunk ${chunkSize}, batch ${batchSize}: every batch at pull time equals the default reader`, async () => {
          const expected = snapshot(await readCaptureAll(path, { chunkSize }));
          const seen: ReturnType<typeof snapshot> = [];
          for await (const b of readCapture(path, { chunkSize, batchSize, transient: true })) seen.push(...snapshot(b));
          expect(seen).toEqual(expected);
        });
      }
    }
  }

  it('carries records larger than a chunk and than the carry headroom', async () => {
    const big: Packet[] = [
      { data: bytesOf(262144, 1), meta: { linkType: 1, timestampNs: 1n } },
      { data: bytesOf(100, 2), meta: { linkType: 1, timestampNs: 2n } },
      { data: bytesOf(262144, 3), meta: { linkType: 1, timestampNs: 3n } },
      { data: bytesOf(5000, 4), meta: { linkType: 1, timestampNs: 4n } },
    ];
    const path = join(dir, 'big.pcap');
    writeFileSync(path, encodePcap(big, { nanosecond: true }));
    for (const chunkSize of [64, 5000, 300000]) {
      const seen: string[] = [];
      for await (const b of readCapture(path, { chunkSize, batchSize: 1, transient: true })) seen.push(...b.map((p) => Buffer.from(p.data).toString('hex')));
      expect(seen).toEqual(big.map((p) => Buffer.from(p.data).toString('hex')));
    }
  });

  it('reuses its buffers: a consumer holding every batch holds a few chunks, not the file; kept packets are detached, never overwritten', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const path = join(dir, 'large.pcap');
    const count = 30_000;
    async function* gen(): AsyncGenerator<Packet> {
      for (let i = 0; i < count; i++) {
        const data = bytesOf(1000, i);
        new DataView(data.buffer).setUint32(0, i); // every packet tells its number
        yield { data, meta: { linkType: 1, timestampNs: BigInt(i) } };
      }
    }
    await writePcap(path, gen());
    const chunkSize = 1 << 20;
    gc();
    const before = process.memoryUsage().arrayBuffers;
    const held: Packet[][] = [];
    const firstAtPull = [] as string[];
    for await (const b of readCapture(path, { chunkSize, batchSize: 256, transient: true })) {
      held.push(b);
      firstAtPull.push(Buffer.from(b[0].data.subarray(0, 8)).toString('hex'));
    }
    // 30 MB of packets read; a handful of 1.3 MiB chunks are all they view (without recycling: ~25).
    // A detached buffer (byteLength 0) holds no memory.
    const chunks = new Set(held.flatMap((b) => b.map((p) => p.data.buffer)).filter((ab) => ab.byteLength > 0));
    expect(chunks.size).toBeLessThanOrEqual(4);
    gc();
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(64 << 20); // coarse: process-wide (other test threads)
    expect(firstAtPull.map((h) => parseInt(h.slice(0, 8), 16))).toEqual(held.map((_, i) => i * 256));
    // Kept packets of recycled chunks are detached (empty), never showing another packet's bytes.
    const lengthsNow = held.map((b) => b[0].data.length);
    expect(lengthsNow.filter((n) => n === 0).length).toBeGreaterThan(held.length / 2);
    expect(lengthsNow.every((n) => n === 0 || n === 1000)).toBe(true);
    held.forEach((b, i) => {
      if (b[0].data.length) expect(Buffer.from(b[0].data.subarray(0, 8)).toString('hex')).toBe(firstAtPull[i]);
    });
    expect(held.length).toBe(Math.ceil(count / 256));
  });
});

describe('nsFromParts: seconds and nanoseconds to a bigint, exactly, with one allocation', () => {
  it('equals sec * 1e9 + frac for every 32-bit second and fractions up to 2^42 (µs words times 1000)', () => {
    const exact = (s: number, f: number) => BigInt(s) * 1_000_000_000n + BigInt(f);
    for (const [s, f] of [
      [0, 0],
      [1, 999_999_999],
      [65535, 999_999_999],
      [65536, 0],
      [0xffffffff, 999_999_999],
      [0xffffffff, 0xffffffff * 1000],
      [1_700_000_000, 123_456_789],
    ]) {
      expect(nsFromParts(s, f)).toBe(exact(s, f));
    }
    fc.assert(
      fc.property(fc.nat({ max: 0xffffffff }), fc.nat({ max: 0xffffffff }), fc.boolean(), (s, w, us) => {
        const f = us ? w * 1000 : w;
        return nsFromParts(s, f) === exact(s, f);
      }),
      { numRuns: 5000 },
    );
  });
});
