// readCaptureFrames against readCapture, frame for frame: the same frames (number, bytes, interface
// link type / name / FCS length, timestamp, original length, comment), the same error (code and message: file, packet, offset), over every
// capture in the repository and over damaged copies of hand-built pcap and pcapng files, at chunk
// sizes that split records and batch sizes that split chunks. Both paths share one record walk
// (record-batch.ts); these tests hold the driver and batch plumbing around it to that.

import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readCapture, readCaptureAll } from '../../harness/io/capture.js';
import { readCaptureFrames } from '../../harness/io/frames.js';
import { InputError } from '../../harness/io/input-error.js';
import { encodePcap } from '../../harness/io/pcap.js';
import { encodePcapngSections } from '../../harness/io/pcapng.js';
import type { CaptureMeta } from '../../harness/io/capture-decoder.js';
import { cat, epb, idb, opb, opt, shb, spb, bytesOf } from './blocks.js';

const dir = mkdtempSync(join(tmpdir(), 'dpconform-frames-'));

/** What both paths must agree on for one frame. */
interface Seen {
  frame: number;
  bytes: number[];
  linkType: number;
  name: string | undefined;
  fcsLength: number | undefined;
  timestampNs: bigint | undefined;
  origLength: number | undefined;
  comment: string | undefined;
}

interface Outcome {
  frames: Seen[];
  /** Batch boundaries (frame numbers each batch starts at). */
  batches: number[];
  error?: { code: string; message: string };
}

function errorOf(e: unknown): { code: string; message: string } {
  if (!(e instanceof InputError)) throw e;
  return { code: e.code, message: e.message };
}

interface Opts {
  chunkSize?: number;
  batchSize?: number;
  keepGoing?: boolean;
}

async function viaPackets(path: string, o: Opts): Promise<Outcome> {
  const out: Outcome = { frames: [], batches: [] };
  try {
    for await (const batch of readCapture(path, { ...o, transient: true })) {
      out.batches.push(batch[0].meta.frame!);
      for (const p of batch) {
        const m = p.meta as CaptureMeta;
        out.frames.push({
          frame: m.frame!,
          bytes: Array.from(p.data),
          linkType: m.linkType,
          name: m.interfaceName,
          fcsLength: m.fcsLength,
          timestampNs: m.timestampNs,
          origLength: m.origLength,
          comment: m.comment,
        });
      }
    }
  } catch (e) {
    out.error = errorOf(e);
  }
  return out;
}

async function viaFrames(path: string, o: Opts): Promise<Outcome> {
  const out: Outcome = { frames: [], batches: [] };
  let next = 1;
  try {
    for await (const b of readCaptureFrames(path, o)) {
      // Batches are consecutive, never empty, never over batchSize.
      expect(b.firstFrame).toBe(next);
      expect(b.count).toBeGreaterThan(0);
      expect(b.count).toBeLessThanOrEqual(o.batchSize ?? 1024);
      next += b.count;
      out.batches.push(b.firstFrame);
      for (let i = 0; i < b.count; i++) {
        const itf = b.interfaces[b.interfaceId[i]];
        out.frames.push({
          frame: b.firstFrame + i,
          bytes: Array.from(b.bytes.subarray(b.start[i], b.start[i] + b.length[i])),
          linkType: itf.linkType,
          name: itf.name,
          fcsLength: b.fcsLength(i),
          timestampNs: b.timestampNs(i),
          origLength: b.origLength[i],
          comment: b.comment(i),
        });
      }
    }
  } catch (e) {
    out.error = errorOf(e);
  }
  return out;
}

/**
 * Both paths on `path`. With keepGoing they deliver the same frames; without, the same error and
 * each a prefix of those frames (which prefix is a batching matter; see frames.ts).
 */
async function expectSame(path: string, o: Opts): Promise<Outcome> {
  const [p, f] = await Promise.all([viaPackets(path, { ...o, keepGoing: true }), viaFrames(path, { ...o, keepGoing: true })]);
  expect(f.error, `${path} ${JSON.stringify(o)}`).toEqual(p.error);
  expect(f.frames.length).toBe(p.frames.length);
  expect(f.frames).toEqual(p.frames);
  const [p2, f2] = await Promise.all([viaPackets(path, { ...o, keepGoing: false }), viaFrames(path, { ...o, keepGoing: false })]);
  expect(f2.error).toEqual(p.error);
  expect(p2.error).toEqual(p.error);
  for (const x of [p2, f2]) expect(x.frames.map((s) => s.frame)).toEqual(p.frames.slice(0, x.frames.length).map((s) => s.frame));
  return p;
}

function capturesUnder(root: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(root)) {
    const path = join(root, name);
    if (statSync(path).isDirectory()) out.push(...capturesUnder(path));
    else if (/\.pcap(ng)?$/.test(name)) out.push(path);
  }
  return out;
}

const fixtures = ['fixtures/captures', 'fixtures/oracle/corpus', 'golden/neutron-dvr/captures'].flatMap(capturesUnder);

describe('readCaptureFrames agrees with readCapture', () => {
  it('finds the fixture captures', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(30);
  });

  for (const path of fixtures) {
    it(path, async () => {
      for (const chunkSize of [64, 257, 4096, undefined]) {
        for (const batchSize of [1, 5, undefined]) await expectSame(path, { chunkSize, batchSize });
      }
    });
  }

  it('pcapng: several sections, SPB/OPB/EPB, comments and per-packet FCS; capture-wide interface index', async () => {
    const bytes = cat(
      shb(true),
      idb(1, 70, [opt(2, 'eth0'), opt(13, Uint8Array.of(32)), opt(9, Uint8Array.of(3))]),
      idb(113, 0, [opt(2, 'any')]),
      epb(bytesOf(60, 1), { ifId: 1, units: 1_700_000_000_123_456n, origLength: 1514 }),
      epb(bytesOf(64, 2), { units: 1_700_000_000_123n, options: [opt(1, 'hello'), opt(1, 'again'), opt(2, Uint8Array.of(0x40, 0, 0, 0))] }),
      spb(bytesOf(70, 3), 9000), // cut to eth0's snaplen 70
      opb(bytesOf(61, 4), { ifId: 1, units: 5n }),
      shb(false),
      idb(101, 0, [opt(2, 'tun0', false), opt(9, Uint8Array.of(9), false)], false),
      epb(bytesOf(40, 5), { units: 1_700_000_000_987_654_321n }, false),
    );
    const path = join(dir, 'mixed.pcapng');
    writeFileSync(path, bytes);
    const seen = await viaFrames(path, {});
    expect(seen.frames.map((s) => [s.name, s.linkType, s.fcsLength])).toEqual([
      ['any', 113, undefined],
      ['eth0', 1, 2],
      ['eth0', 1, 4],
      ['any', 113, undefined],
      ['tun0', 101, undefined],
    ]);
    // Each interface's own resolution (µs, ms, none for SPB, ns), by the capture-wide index.
    expect(seen.frames.map((s) => [s.timestampNs, s.origLength, s.comment])).toEqual([
      [1_700_000_000_123_456_000n, 1514, undefined],
      [1_700_000_000_123_000_000n, 64, 'hello\nagain'],
      [undefined, 9000, undefined],
      [5000n, 61, undefined],
      [1_700_000_000_987_654_321n, 40, undefined],
    ]);
    for (const chunkSize of [64, 100, undefined]) await expectSame(path, { chunkSize });
    const interfaces: unknown[] = [];
    for await (const b of readCaptureFrames(path)) interfaces.push(...b.interfaces.slice(interfaces.length));
    expect(interfaces).toEqual([{ linkType: 1, name: 'eth0', fcsLength: 4 }, { linkType: 113, name: 'any' }, { linkType: 101, name: 'tun0' }]);
  });
});

/** A valid file to damage: pcap (either order, µs/ns) or pcapng of several sections. */
function victim(kind: number, seed: number): Uint8Array {
  const packets = Array.from({ length: 12 }, (_, i) => ({
    data: bytesOf(20 + ((seed * 7 + i * 13) % 70), seed + i),
    meta: { linkType: 1, timestampNs: BigInt(seed) * 1_000_000_000n + BigInt(i) * 1000n, interfaceId: i % 2 },
  }));
  switch (kind) {
    case 0:
      return encodePcap(packets);
    case 1:
      return encodePcap(packets, { bigEndian: true, nanosecond: true, snaplen: 100 });
    default:
      return encodePcapngSections([
        { options: { interfaces: [{ linkType: 1, name: 'a' }, { linkType: 113, name: 'b', fcsLength: 4 }] }, packets: packets.slice(0, 6) },
        { options: { bigEndian: true, interfaces: [{ linkType: 101, name: 'c', snaplen: 90 }, { linkType: 1 }] }, packets: packets.slice(6) },
      ]);
  }
}

describe('readCaptureFrames agrees with readCapture on damaged files (property)', () => {
  it('truncated, overwritten and length-forged files: same frames, same error code, packet and offset', async () => {
    let n = 0;
    const codes = new Set<string>();
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 2 }),
        fc.nat(1000),
        fc.array(fc.tuple(fc.nat(), fc.nat(255)), { maxLength: 4 }),
        fc.option(fc.nat()),
        fc.constantFrom(64, 96, 333, 4096),
        fc.constantFrom(1, 3, 1024),
        async (kind, seed, pokes, cut, chunkSize, batchSize) => {
          const bytes = victim(kind, seed).slice();
          for (const [at, v] of pokes) bytes[at % bytes.length] = v;
          const file = cut === null ? bytes : bytes.subarray(0, cut % (bytes.length + 1));
          const path = join(dir, `damaged-${n++}`);
          writeFileSync(path, file);
          codes.add((await expectSame(path, { chunkSize, batchSize })).error?.code ?? 'none');
        },
      ),
      { numRuns: 150 },
    );
    // The damage reaches several faults, and leaves some files readable.
    expect(codes.size, [...codes].join(' ')).toBeGreaterThanOrEqual(5);
    expect(codes.has('none')).toBe(true);
  });
});

describe('batch sizes beyond the walk batch', () => {
  it('readCapture keeps batchSize above 1024 (the walk batch only passes through); frames clamp a huge one', async () => {
    const packets = Array.from({ length: 3000 }, (_, i) => ({ data: bytesOf(14 + (i % 50), i), meta: { linkType: 1 } }));
    const path = join(dir, 'many.pcap');
    writeFileSync(path, encodePcap(packets));
    const sizes: number[] = [];
    for await (const b of readCapture(path, { batchSize: 2500, transient: true })) sizes.push(b.length);
    expect(sizes).toEqual([2500, 500]);
    let n = 0;
    for await (const b of readCaptureFrames(path, { batchSize: Number.MAX_SAFE_INTEGER })) n += b.count;
    expect(n).toBe(3000);
    await expectSame(path, { batchSize: 2500 });
  });
});

describe('batchSize and chunkSize are checked up front', () => {
  it('NaN, 0, negative, fractional or infinite sizes are a RangeError naming the option, for both readers', async () => {
    const path = join(dir, 'sizes.pcap');
    writeFileSync(path, encodePcap([{ data: bytesOf(60, 1), meta: { linkType: 1 } }]));
    for (const bad of [NaN, 0, -16, 1.5, Infinity]) {
      for (const name of ['batchSize', 'chunkSize'] as const) {
        const want = new RangeError(`readCapture: ${name} must be a positive integer, got ${bad}`);
        await expect(readCaptureAll(path, { [name]: bad })).rejects.toThrow(want);
        const frames = async () => {
          for await (const _ of readCaptureFrames(path, { [name]: bad }));
        };
        await expect(frames()).rejects.toThrow(`readCaptureFrames: ${name} must be a positive integer, got ${bad}`);
        await expect(frames()).rejects.toBeInstanceOf(RangeError);
      }
    }
    // Small positive sizes still read (a chunk below 64 bytes reads 64).
    expect(await readCaptureAll(path, { batchSize: 1, chunkSize: 1 })).toHaveLength(1);
  });
});

describe('frames batches are valid until the next pull', () => {
  it('chunks are recycled (memory bounded) and a batch kept against the contract is detached, never shows other bytes', async () => {
    const packets = Array.from({ length: 4000 }, (_, i) => ({ data: bytesOf(30 + (i % 40), i), meta: { linkType: 1 } }));
    const path = join(dir, 'recycle.pcap');
    writeFileSync(path, encodePcap(packets));
    const kept: Array<{ bytes: Uint8Array; start: number; length: number; frame: number }> = [];
    for await (const b of readCaptureFrames(path, { chunkSize: 4096, batchSize: 64 })) {
      for (let i = 0; i < b.count; i++) kept.push({ bytes: b.bytes, start: b.start[i], length: b.length[i], frame: b.firstFrame + i });
    }
    expect(kept.length).toBe(4000);
    let detached = 0;
    for (const k of kept) {
      if (k.bytes.byteLength === 0) detached++;
      else expect(Array.from(k.bytes.subarray(k.start, k.start + k.length))).toEqual(Array.from(packets[k.frame - 1].data));
    }
    // Most chunks were handed back for reuse (each detached on release), so memory stays a few chunks.
    expect(detached).toBeGreaterThan(3000);
  });
});
