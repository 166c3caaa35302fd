import { describe, it, expect } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { encodePcap, PcapWriter, writePcap, PcapDecoder } from '../../harness/io/pcap.js';
import { RecordBatch } from '../../harness/io/record-batch.js';
import { readCaptureAll, readCaptureBytes } from '../../harness/io/capture.js';
import type { Packet } from '../../harness/wire/packet.js';
import { LinkType } from '../../harness/wire/packet.js';
import { bytesOf, cat, pcapHeader, pcapRecord } from './blocks.js';

const dir = mkdtempSync(join(tmpdir(), 'dpconform-pcap-'));

function pkt(n: number, ts: bigint, extra: Partial<Packet['meta']> = {}): Packet {
  return { data: bytesOf(n, Number(ts % 97n)), meta: { linkType: LinkType.ETHERNET, timestampNs: ts, ...extra } };
}

describe('pcap reader on hand-built bytes', () => {
  for (const le of [true, false]) {
    for (const ns of [false, true]) {
      it(`reads ${ns ? 'ns' : 'µs'} ${le ? 'little' : 'big'}-endian files with exact timestamps`, () => {
        const frac = ns ? 123456789 : 123456;
        const file = cat(
          pcapHeader({ le, ns, snaplen: 1000, linkWord: LinkType.RAW }),
          pcapRecord(bytesOf(60), { le, sec: 1700000000, frac, origLength: 1514 }),
          pcapRecord(bytesOf(3, 2), { le, sec: 4294967295, frac: 0 }),
        );
        const [a, b] = readCaptureBytes(file, 'x.pcap');
        expect(a.meta).toEqual({ linkType: LinkType.RAW, frame: 1, timestampNs: 1700000000123456789n - (ns ? 0n : 789n), origLength: 1514 });
        expect(a.data).toEqual(bytesOf(60));
        expect(b.meta.frame).toBe(2);
        expect(b.meta.timestampNs).toBe(4294967295n * 1_000_000_000n);
        expect(b.data).toEqual(bytesOf(3, 2));
      });
    }
  }

  it('masks the FCS bits off the link type and keeps the FCS length in bytes', () => {
    // FCS length 2 words (4 bytes), present flag 0x04000000, link type 1; reserved bits set too.
    const word = (2 << 28) | 0x04000000 | 0x00ff0000 | 1;
    const dec = new PcapDecoder('f.pcap');
    const out: Packet[] = [];
    const file = cat(pcapHeader({ linkWord: word >>> 0 }), pcapRecord(bytesOf(64)));
    const batch = new RecordBatch(10);
    dec.decode(file, 0, 24 + 16 + 64, 0, batch, 10, out);
    expect(dec.header).toMatchObject({ linkType: 1, snaplen: 65535, fcsLength: 4, versionMajor: 2, versionMinor: 4 });
    expect(out[0].meta).toMatchObject({ linkType: 1, fcsLength: 4 });
  });

  it('ignores the FCS length when the present flag is clear', () => {
    const p = readCaptureBytes(cat(pcapHeader({ linkWord: ((3 << 28) | 113) >>> 0 }), pcapRecord(bytesOf(20))), 'f')[0];
    expect(p.meta.linkType).toBe(113);
    expect('fcsLength' in p.meta).toBe(false);
  });

  it('accepts snaplen 0 as "no limit declared"', () => {
    const p = readCaptureBytes(cat(pcapHeader({ snaplen: 0 }), pcapRecord(bytesOf(2000))), 'f');
    expect(p[0].data.length).toBe(2000);
  });
});

describe('pcap writer round trips', () => {
  const packets = [pkt(60, 1700000000_123456000n, { origLength: 1514 }), pkt(1, 5n * 1_000_000_000n), pkt(1514, 1700000001_000001000n)];

  for (const bigEndian of [false, true]) {
    for (const nanosecond of [false, true]) {
      it(`round-trips ${nanosecond ? 'ns' : 'µs'} ${bigEndian ? 'big' : 'little'}-endian through a file`, async () => {
        const path = join(dir, `rt-${bigEndian}-${nanosecond}.pcap`);
        await writePcap(path, packets, { linkType: LinkType.ETHERNET, bigEndian, nanosecond });
        const raw = readFileSync(path);
        // Magic as written: byte order and resolution visible in the first four bytes.
        const magic = nanosecond ? [0xa1, 0xb2, 0x3c, 0x4d] : [0xa1, 0xb2, 0xc3, 0xd4];
        expect([...raw.subarray(0, 4)]).toEqual(bigEndian ? magic : magic.reverse());
        const back = await readCaptureAll(path);
        expect(back.map((p) => p.data)).toEqual(packets.map((p) => p.data));
        expect(back.map((p) => p.meta)).toEqual(
          packets.map((p, i) => ({ linkType: 1, frame: i + 1, timestampNs: p.meta.timestampNs, origLength: p.meta.origLength ?? p.data.length })),
        );
      });
    }
  }

  it('truncates to whole microseconds in a µs file and keeps every nanosecond in an ns file', () => {
    const p = [pkt(10, 1_999_999_999n)];
    expect(readCaptureBytes(encodePcap(p), 'f')[0].meta.timestampNs).toBe(1_999_999_000n);
    expect(readCaptureBytes(encodePcap(p, { nanosecond: true }), 'f')[0].meta.timestampNs).toBe(1_999_999_999n);
  });

  it('writes the FCS length into the link-type word', () => {
    const back = readCaptureBytes(encodePcap([pkt(64, 0n)], { linkType: 1, fcsLength: 4 }), 'f');
    expect(back[0].meta).toMatchObject({ linkType: 1, fcsLength: 4 });
  });

  it('refuses a packet longer than its snaplen instead of cutting it', () => {
    expect(() => encodePcap([pkt(100, 0n)], { snaplen: 64 })).toThrow(/exceeds snaplen 64/);
  });

  it('a path that cannot be opened rejects writePcap with the fs error', async () => {
    await expect(writePcap(join(dir, 'no/such/dir/x.pcap'), [pkt(10, 0n)])).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('streams to a Writable and honours backpressure', async () => {
    const stream = new PassThrough({ highWaterMark: 16 });
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    const w = new PcapWriter(stream, { nanosecond: true });
    const many = Array.from({ length: 3000 }, (_, i) => pkt(500 + (i % 800), BigInt(i) * 1000n + 7n));
    await w.writeAll(many);
    await w.close();
    const back = readCaptureBytes(new Uint8Array(Buffer.concat(chunks)), 'stream');
    expect(back.length).toBe(3000);
    expect(back[2999].meta.timestampNs).toBe(2999n * 1000n + 7n);
    expect(back[1234].data).toEqual(many[1234].data);
  });
});
