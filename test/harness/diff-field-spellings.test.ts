// One header field, one difference. The dissector names a capture's ARP fields `arp.opcode`,
// `arp.target_hw`, `arp.target_proto` (dissect/fields.ts); the byte map that names differing bytes
// (diff/field-offsets.ts) knew them only as VPP traces and the DVR model spell them (`arp.op`,
// `arp.target_mac`, `arp.target_ip`). So every changed ARP field of a capture was reported twice, once
// typed (`arp.target_hw expected fa:16:3e:eb:e6:79`) and once as hex bytes under the other name
// (`arp.target_mac expected fa163eebe679`); IPv4's total length the same way (`ip4.total_length` and
// `ip4.length`). A mask in one spelling hid one of the two only.

import { describe, expect, it } from 'vitest';
import { compareTraces } from '../../harness/diff/compare.js';
import { packetsAsTraces } from '../../harness/diff/packet-stages.js';
import { parseFieldPath } from '../../harness/diff/mask-path.js';
import { dissector } from '../../harness/suite/peers.js';
import { packetFromBytes } from '../../harness/wire/packet.js';

const MAC_A = [0x02, 0, 0xac, 0x1e, 0, 0x0b];
const MAC_B = [0xfa, 0x16, 0x3e, 0xeb, 0xe6, 0x79];

/** Ethernet + ARP (RFC 826 layout): opcode, sender MAC/IPv4, target MAC/IPv4. */
function arp(op: number, targetMac: number[], targetIp: number[]): Uint8Array {
  return Uint8Array.from([...MAC_B, ...MAC_A, 0x08, 0x06, 0, 1, 0x08, 0, 6, 4, 0, op, ...MAC_A, 172, 30, 0, 11, ...targetMac, ...targetIp]);
}

/** Ethernet + IPv4 with this total length (frame as long; checksum left 0 on both sides). */
function ip4(totalLength: number): Uint8Array {
  const f = new Uint8Array(14 + totalLength);
  f.set([...MAC_B, ...MAC_A, 0x08, 0x00, 0x45, 0, totalLength >> 8, totalLength & 0xff, 0, 1, 0, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2]);
  return f;
}

async function diffOne(a: Uint8Array, b: Uint8Array, masks: string[] = []) {
  const dissect = await dissector();
  const [ta] = packetsAsTraces([packetFromBytes(a)], dissect);
  const [tb] = packetsAsTraces([packetFromBytes(b)], dissect);
  return compareTraces([tb], [ta], { peers: true, dissect, masks: masks.map((m) => ({ path: parseFieldPath(m), reason: null, origin: 'cli' as const })) });
}

describe('diff: a field the dissector and the byte map name differently is one difference', () => {
  it('ARP: each changed field once, by the name the capture states (typed, human-readable)', async () => {
    const d = await diffOne(arp(2, MAC_B, [172, 30, 89, 126]), arp(1, [0, 0, 0, 0, 0, 0], [172, 30, 89, 129]));
    expect(d.diffs.map((x) => [x.path, x.expected, x.got])).toEqual([
      ['arp.opcode', 2, 1],
      ['arp.target_hw', 'fa:16:3e:eb:e6:79', '00:00:00:00:00:00'],
      ['arp.target_proto', '172.30.89.126', '172.30.89.129'],
    ]);
    // The report marks the changed bytes under the same names.
    expect(d.traces[0].rows[0].changedFields.map(([, , k]) => k)).toEqual(['arp.opcode', 'arp.target_hw', 'arp.target_proto']);
  });

  it('ARP hardware type: the typed field only, not also its bytes as `arp`', async () => {
    const b = arp(2, MAC_B, [172, 30, 89, 126]);
    b[15] = 6;
    expect((await diffOne(arp(2, MAC_B, [172, 30, 89, 126]), b)).diffs.map((x) => x.path)).toEqual(['arp.hardware_type']);
  });

  it('IPv4 total length: `ip4.total_length` once, not also its bytes as `ip4.length`', async () => {
    const paths = (await diffOne(ip4(28), ip4(30))).diffs.map((x) => x.path);
    expect(paths.filter((p) => p.startsWith('ip4.'))).toEqual(['ip4.total_length']);
    expect(paths).toContain('packet.length');
  });

  it.each(['arp.target_mac', 'arp.target_hw', 'arp.op', 'arp.opcode'])('a mask in either spelling (%s) hides the field, typed and bytes', async (mask) => {
    const d = await diffOne(arp(2, MAC_B, [172, 30, 89, 126]), arp(2, [0, 0, 0, 0, 0, 1], [172, 30, 89, 126]).map((v, i) => (i === 21 ? 1 : v)), [mask]);
    const hidden = mask.endsWith('op') || mask.endsWith('opcode') ? 'arp.opcode' : 'arp.target_hw';
    expect(d.diffs.map((x) => x.path)).toEqual(['arp.opcode', 'arp.target_hw'].filter((p) => p !== hidden));
    expect(d.masks[0].fields).toBe(1);
  });
});
