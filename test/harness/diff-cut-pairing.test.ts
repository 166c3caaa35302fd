// A frame its capture cut (tcpdump -s) has a payload hash of its captured bytes only, so it never
// paired with its whole twin by its full identity, only by one identity field at a time - the IP id
// first. A Linux TCP sender with DF set may send IP id 0 on every segment: the IP id level then paired
// the packets of a flow in file order, and a reordered or dropped segment showed as segments whose
// `tcp.seq` changed. A cut frame pairs by its whole identity but the payload hash (IP id, seq, ack).

import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { diffFiles } from '../../harness/suite/diff-files.js';
import { emitEthernet } from '../../harness/wire/ethernet.js';
import { emitIpv4 } from '../../harness/wire/ipv4.js';
import { emitTcp } from '../../harness/wire/tcp.js';
import { buildPacket } from '../wire/build.js';
import { pcap } from './pcap-bytes.js';

const dir = mkdtempSync(join(tmpdir(), 'dpconform-diff-cut-pairing-'));

/** A data segment of one connection: IP id 0 (DF), its sequence number and 100 bytes of data. */
function segment(seq: number): Uint8Array {
  const eth = emitEthernet({ dst: '02:00:00:00:00:02', src: '02:00:00:00:00:01', tags: [], etherType: 0x0800 });
  const ip = emitIpv4({ version: 4, headerLength: 20, tos: 0, totalLength: 0, id: 0, flags: 0x4000, fragmentOffset: 0, ttl: 64, protocol: 6, checksum: 0, src: '10.0.0.1', dst: '10.0.0.2', options: new Uint8Array(0) });
  const tcp = emitTcp({ srcPort: 40000, dstPort: 80, seq, ack: 7, headerLength: 20, reserved: 0, flags: 0x18, window: 502, checksum: 0, urgent: 0, options: [] });
  return buildPacket([eth, ip, tcp, new Uint8Array(100).fill(seq & 0xff)]).data;
}

function file(name: string, frames: Uint8Array[], snaplen?: number): string {
  const f = join(dir, name);
  writeFileSync(f, pcap(frames, snaplen));
  return f;
}

const [s1, s2, s3] = [1000, 1100, 1200].map(segment);
const pairsOf = (d: Awaited<ReturnType<typeof diffFiles>>) => d.pairs.map((p) => [p.a, p.b]);

describe('diff: a cut capture pairs with its whole twin when the IP ids cannot tell its packets apart', () => {
  it.each([['bounded', false], ['in memory', true]])('%s: segments reordered in the cut capture pair by sequence number, either way round', async (_how, inMemory) => {
    const whole = file('whole.pcap', [s1, s2, s3]);
    // -s 60: 6 of each segment's 100 data bytes.
    const cut = file('cut-reordered.pcap', [s2, s1, s3], 60);
    const ab = await diffFiles(whole, cut, { inMemory });
    expect(pairsOf(ab)).toEqual([[1, 2], [2, 1], [3, 3]]);
    expect([ab.changed, ab.reordered, ab.missing, ab.extra]).toEqual([0, 1, [], []]);
    const ba = await diffFiles(cut, whole, { inMemory });
    expect(pairsOf(ba)).toEqual([[1, 2], [2, 1], [3, 3]]);
    expect([ba.changed, ba.reordered]).toEqual([0, 1]);
  });

  it.each([['bounded', false], ['in memory', true]])('%s: a segment the cut capture lacks is missing, not its neighbour', async (_how, inMemory) => {
    const d = await diffFiles(file('whole3.pcap', [s1, s2, s3]), file('cut-dropped.pcap', [s2, s3], 60), { inMemory });
    expect(pairsOf(d)).toEqual([[2, 1], [3, 2]]);
    expect([d.changed, d.missing, d.extra]).toEqual([0, [1], []]);
  });

  it('two whole captures still pair a changed payload by one field at a time (the level is a cut frame\'s only)', async () => {
    const other = (f: Uint8Array) => {
      const g = f.slice();
      g[g.length - 1] ^= 0xff;
      return g;
    };
    // Payloads changed (checksums left): no full identity matches, the IP id level pairs in file order.
    const d = await diffFiles(file('whole-a.pcap', [s1, s2]), file('whole-b.pcap', [other(s2), other(s1)]), { inMemory: true });
    expect(pairsOf(d)).toEqual([[1, 1], [2, 2]]);
  });
});
