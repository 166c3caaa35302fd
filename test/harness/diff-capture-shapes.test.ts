// `dpconform diff` of two captures compares a pair of byte-identical packets once per shape
// (diff/packet-shape.ts) and shares the result: a large capture diff is mostly such pairs. What a
// shape leaves out must not change a result: checksum validity is in it (a mask over a covered field
// has the checksum checked for validity), so two identical pairs of one layout differ there.

import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { diffCaptures } from '../../harness/suite/diff-captures.js';
import { diffFiles } from '../../harness/suite/diff-files.js';
import { dissect } from '../../harness/dissect/dissect.js';
import { parseFieldPath } from '../../harness/diff/mask-path.js';
import { toJsonSafe } from '../../harness/report/serialize.js';
import { internetChecksum } from '../../harness/wire/checksum.js';
import type { Packet } from '../../harness/wire/packet.js';
import { pcap } from './pcap-bytes.js';

/** Ethernet/IPv4/UDP, 8 payload bytes; its IPv4 checksum right or left 0 (invalid). */
function udp(id: number, validChecksum: boolean): Uint8Array {
  const f = new Uint8Array(14 + 20 + 8 + 8);
  const v = new DataView(f.buffer);
  f.set([2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2, 0x08, 0x00]);
  f[14] = 0x45;
  v.setUint16(16, 36);
  v.setUint16(18, id);
  f[22] = 64;
  f[23] = 17;
  f.set([10, 0, 0, 1, 10, 0, 1, 1], 26);
  v.setUint16(34, 1000);
  v.setUint16(36, 53);
  v.setUint16(38, 16);
  f.fill(id & 0xff, 42);
  if (validChecksum) v.setUint16(24, internetChecksum(f, 14, 20));
  return f;
}

function files(as: Uint8Array[], bs: Uint8Array[]): [string, string] {
  const dir = mkdtempSync(join(tmpdir(), 'dpconform-shapes-'));
  writeFileSync(join(dir, 'a.pcap'), pcap(as));
  writeFileSync(join(dir, 'b.pcap'), pcap(bs));
  return [join(dir, 'a.pcap'), join(dir, 'b.pcap')];
}

describe('diff of captures: identical pairs compared once per shape', () => {
  it('dissects each packet once to index it and a pair of identical packets once per shape', async () => {
    const packets = Array.from({ length: 200 }, (_, i) => udp(i, true));
    const [a, b] = files(packets, packets);
    let calls = 0;
    const counting = (p: Packet) => (calls++, dissect(p));
    const d = await diffCaptures(a, b, { peers: true, dissect: counting });
    expect(d.pairs.length).toBe(200);
    expect(d.changed).toBe(0);
    // 400 to index both captures; one shape (same layout, valid checksums): one comparison of a pair.
    expect(calls).toBeLessThan(400 + 10);
  });

  it('same layout, one checksum valid and one not, ip4.ttl masked: only the invalid pair changed', async () => {
    const packets = [udp(1, true), udp(2, false), udp(3, true), udp(4, false)];
    const [a, b] = files(packets, packets);
    const d = await diffCaptures(a, b, { peers: true, dissect, masks: [{ path: parseFieldPath('ip4.ttl'), reason: null, origin: 'cli' }] });
    expect(d.pairs.map((p) => p.diff.diffs.map((x) => x.path))).toEqual([[], ['ip4.checksum'], [], ['ip4.checksum']]);
    const reference = await diffFiles(a, b, { masks: ['ip4.ttl'], inMemory: true });
    expect(toJsonSafe(await diffFiles(a, b, { masks: ['ip4.ttl'] }))).toEqual(toJsonSafe(reference));
  });
});
