// Streaming: the chunked reader gives exactly what the in-memory decoder gives, whatever the chunk
// and batch sizes (records split across chunks, records bigger than a chunk or than the carry
// headroom), and memory stays bounded when the consumer drops its batches.

import { describe, it, expect } from 'vitest';
import { mkdtempSync, writeFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { readCapture, readCaptureAll, readCaptureBytes } from '../../harness/io/capture.js';
import { encodePcap, writePcap } from '../../harness/io/pcap.js';
import { encodePcapng } from '../../harness/io/pcapng.js';
import type { Packet } from '../../harness/wire/packet.js';
import { InputError } from '../../harness/io/input-error.js';
import { block, bytesOf, cat, epb, idb, opt, shb } from './blocks.js';

const dir = mkdtempSync(join(tmpdir(), 'dpconform-capstream-'));

function sample(n: number): Packet[] {
  return Array.from({ length: n }, (_, i) => ({
    data: bytesOf((i * 37) % 300, i),
    meta: { linkType: i % 3 === 0 ? 1 : 101, interfaceId: i % 3 === 0 ? 0 : 1, timestampNs: 1_700_000_000_000_000_000n + BigInt(i) * 1_000_123n, comment: i % 5 === 0 ? `pkt ${i}` : undefined },
  }));
}

const shape = (ps: Packet[]) => ps.map((p) => ({ data: Array.from(p.data), meta: p.meta }));

describe('chunked reading equals in-memory decoding', () => {
  const packets = sample(400);
  const files = {
    'pcap': encodePcap(packets, { nanosecond: true }),
    'pcapng': encodePcapng(packets, { interfaces: [{ linkType: 1, name: 'eth0' }, { linkType: 101, name: 'tun0', tsresol: 9 }] }),
  };
  for (const [kind, bytes] of Object.entries(files)) {
    const path = join(dir, `eq.${kind}`);
    writeFileSync(path, bytes);
    const expected = shape(readCaptureBytes(bytes, path));
    for (const chunkSize of [64, 97, 1000, 4096]) {
      for (const batchSize of [1, 7, 1024]) {
        it(`${kind}, chunk ${chunkSize}, batch ${batchSize}`, async () => {
          const batches: number[] = [];
          const all: Packet[] = [];
          for await (const b of readCapture(path, { chunkSize, batchSize })) {
            batches.push(b.length);
            all.push(...b);
          }
          expect(shape(all)).toEqual(expected);
          expect(batches.slice(0, -1).every((n) => n === batchSize)).toBe(true);
        });
      }
    }
  }

  it('carries records larger than a chunk and than the carry headroom (256 KiB packets, 1 MiB blocks)', async () => {
    const big: Packet[] = [
      { data: bytesOf(262144, 1), meta: { linkType: 1, timestampNs: 1n } },
      { data: bytesOf(262144, 3), meta: { linkType: 1, timestampNs: 3n } },
    ];
    const comments = Array.from({ length: 6 }, (_, i) => opt(1, String(i).repeat(60000)));
    const ng = cat(shb(), idb(1, 0), epb(big[0].data), block(0xbad, bytesOf(1 << 20)), epb(bytesOf(10), { options: comments }), epb(big[1].data));
    for (const [kind, bytes] of [['pcap', encodePcap(big, { nanosecond: true })], ['pcapng', ng]] as const) {
      const path = join(dir, `big.${kind}`);
      writeFileSync(path, bytes);
      const expected = readCaptureBytes(bytes, path);
      expect(expected.length).toBe(kind === 'pcap' ? 2 : 3);
      for (const chunkSize of [64, 5000, 300000]) {
        const got = await readCaptureAll(path, { chunkSize });
        // Byte comparison via Buffer: a deep equal of 256 KiB arrays is slow enough to flirt with timeouts.
        expect(got.map((p) => p.meta)).toEqual(expected.map((p) => p.meta));
        got.forEach((p, i) => expect(Buffer.compare(p.data, expected[i].data), `packet ${i + 1}, chunk ${chunkSize}`).toBe(0));
      }
    }
  });

  it('packet data stays intact after later chunks are read (no buffer reuse)', async () => {
    const path = join(dir, 'eq.pcap');
    const kept: Packet[] = [];
    for await (const b of readCapture(path, { chunkSize: 64, batchSize: 3 })) kept.push(...b);
    expect(shape(kept)).toEqual(shape(readCaptureBytes(files.pcap, path)));
  });
});

describe('bounded memory', () => {
  it('reads a file much larger than the bound with small batches, holding none', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const path = join(dir, 'large.pcap');
    const payload = bytesOf(1000);
    const count = 80_000;
    async function* gen(): AsyncGenerator<Packet> {
      for (let i = 0; i < count; i++) yield { data: payload, meta: { linkType: 1, timestampNs: BigInt(i) } };
    }
    await writePcap(path, gen());
    const size = statSync(path).size;
    expect(size).toBeGreaterThan(80_000_000);

    const chunkSize = 1 << 20;
    const bound = 24 << 20; // a few chunks plus headroom, far below the 81 MB file
    gc();
    const before = process.memoryUsage().arrayBuffers;
    let peak = 0;
    let n = 0;
    let batches = 0;
    for await (const b of readCapture(path, { chunkSize, batchSize: 256 })) {
      n += b.length;
      if (++batches % 32 === 0) {
        gc();
        peak = Math.max(peak, process.memoryUsage().arrayBuffers - before);
      }
    }
    expect(n).toBe(count);
    expect(peak).toBeLessThan(bound);

    // The measurement can fail: holding every batch keeps every chunk alive. Counted on the packets'
    // own buffers, not process.memoryUsage() (test files run in threads of one process, so another
    // file freeing memory meanwhile made a process-wide figure flaky).
    const held: Packet[][] = [];
    for await (const b of readCapture(path, { chunkSize, batchSize: 256 })) held.push(b);
    const chunks = new Set(held.flatMap((b) => b.map((p) => p.data.buffer)));
    expect([...chunks].reduce((n, c) => n + c.byteLength, 0)).toBeGreaterThan(size * 0.9);
    expect(held.length).toBe(Math.ceil(count / 256));
  });
});

describe('non-file inputs', () => {
  it('reads a capture from a FIFO (sequential reads, no positions)', async () => {
    const { execFileSync } = await import('node:child_process');
    const { createWriteStream } = await import('node:fs');
    const fifo = join(dir, 'fifo.pcap');
    execFileSync('mkfifo', [fifo]);
    const packets = sample(3000);
    const bytes = encodePcap(packets, { nanosecond: true });
    const writer = createWriteStream(fifo);
    writer.end(bytes);
    const got = await readCaptureAll(fifo, { chunkSize: 4096 });
    expect(shape(got)).toEqual(shape(readCaptureBytes(bytes, fifo)));
  });

  it('a directory is bad input, not a crash', async () => {
    const err = await readCaptureAll(dir).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).message).toBe(`${dir}: is a directory, not a capture file`);
  });
});
