// `dpconform diff` of two captures in bounded memory (suite/diff-captures.ts: identities, then the
// pairs compared while both files are read again) gives the same result as holding every packet's
// fields (diffPacketSets over all traces, `inMemory`).

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { diffFiles } from '../../harness/suite/diff-files.js';
import { toJsonSafe } from '../../harness/report/serialize.js';
import { pcap } from './pcap-bytes.js';

/** Ethernet/IPv4 + TCP, UDP or ICMP echo; few flows and ids, so identities collide and levels matter. */
function frame(kind: number, flow: number, id: number, seq: number, payload: number): Uint8Array {
  const l4 = kind === 0 ? 20 : 8;
  const f = new Uint8Array(14 + 20 + l4 + payload);
  const v = new DataView(f.buffer);
  f.set([2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2, 0x08, 0x00]);
  f[14] = 0x45;
  v.setUint16(16, 20 + l4 + payload);
  v.setUint16(18, id);
  f[22] = 64;
  f[23] = [6, 17, 1][kind];
  f.set([10, 0, 0, flow], 26);
  f.set([10, 0, 1, 1], 30);
  const t = 34;
  if (kind === 2) {
    f[t] = 8;
    v.setUint16(t + 4, flow);
    v.setUint16(t + 6, seq);
  } else {
    v.setUint16(t, 1000 + flow);
    v.setUint16(t + 2, 53);
    if (kind === 0) {
      v.setUint32(t + 4, seq * 1000);
      f[t + 12] = 0x50;
      f[t + 13] = 0x18;
    } else v.setUint16(t + 4, 8 + payload);
  }
  for (let i = t + l4; i < f.length; i++) f[i] = (i * 7 + seq) & 0xff;
  return f;
}

const frameArb = fc.tuple(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 40 })).map(([k, fl, id, s, p]) => frame(k, fl, id, s, p));
/** B from A: each packet dropped, kept, or kept with one byte changed; then moved; plus extras. */
const editArb = fc.record({ action: fc.integer({ min: 0, max: 5 }), at: fc.nat(), xor: fc.integer({ min: 1, max: 255 }), move: fc.integer({ min: -3, max: 3 }) });

describe('dpconform diff of captures: bounded path = in-memory path', () => {
  // Small read batches and file reads, so pairs straddle batches and packets are held across reads of
  // recycled buffers.
  it('random small captures (drops, extras, moves, changed bytes anywhere), with and without a mask', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dpconform-diffcap-'));
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(frameArb, { maxLength: 14 }), fc.array(editArb, { maxLength: 14 }), fc.array(frameArb, { maxLength: 3 }), fc.boolean(), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 64, max: 400 }), async (as, edits, extras, masked, batchSize, chunkSize) => {
        const bs: Array<[number, Uint8Array]> = [];
        as.forEach((f, i) => {
          const e = edits[i] ?? { action: 1, at: 0, xor: 1, move: 0 };
          if (e.action === 0) return;
          const g = f.slice();
          if (e.action === 5) g[e.at % g.length] ^= e.xor;
          bs.push([i + e.move + (e.action === 4 ? 0.5 : 0), g]);
        });
        extras.forEach((f, k) => bs.push([k * 4 - 0.25, f]));
        bs.sort((x, y) => x[0] - y[0]);
        const a = join(dir, `a${run}.pcap`);
        const b = join(dir, `b${run++}.pcap`);
        writeFileSync(a, pcap(as));
        writeFileSync(b, pcap(bs.map(([, g]) => g)));
        const masks = masked ? ['ip4.ttl'] : [];
        const bounded = toJsonSafe(await diffFiles(a, b, { masks, read: { batchSize, chunkSize } }));
        const reference = toJsonSafe(await diffFiles(a, b, { masks, inMemory: true }));
        expect(bounded).toEqual(reference);
      }),
      { numRuns: 60 },
    );
  });

  it('finds what the reference finds on a fixed pair (the comparison is not vacuous)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dpconform-diffcap-'));
    const a = join(dir, 'a.pcap');
    const b = join(dir, 'b.pcap');
    const f = [frame(0, 1, 1, 1, 10), frame(1, 2, 2, 0, 5), frame(2, 3, 3, 3, 0), frame(0, 1, 4, 2, 10)];
    const ttl = f[3].slice();
    ttl[22] = 63;
    writeFileSync(a, pcap(f));
    writeFileSync(b, pcap([f[2], f[0], ttl, frame(1, 3, 9, 0, 1)]));
    const d = await diffFiles(a, b);
    expect(d.missing).toEqual([2]);
    expect(d.extra).toEqual([4]);
    expect(d.reordered).toBe(1);
    expect(d.changed).toBe(1);
    const changed = d.pairs.find((p) => p.diff.diffs.length)!;
    expect([changed.a, changed.b]).toEqual([4, 3]);
    expect(changed.diff.diffs.map((x) => x.path)).toContain('ip4.ttl');
    // The changed pair keeps its packets (copies: the reader's buffers were recycled since).
    expect(changed.diff.traces[0].rows[0].golden!.packet!.data).toEqual(f[3]);
    expect(changed.diff.traces[0].rows[0].model!.packet!.data).toEqual(ttl);
  });
});
