// A capture that keeps each frame's FCS (pcap link-type FCS bits, pcapng if_fcslen / epb_flags) says
// so in meta.fcsLength. Those octets were dissected as the frame's own: a payload 4 bytes longer, and
// `dpconform diff` of one capture with FCS against the same frames without reported every frame
// 'changed' (packet.length 60 vs 64). tshark shows them as eth.fcs, apart from the frame's contents.

import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dissect } from '../../harness/dissect/dissect.js';
import { encodePcap } from '../../harness/io/pcap.js';
import { encodePcapng } from '../../harness/io/pcapng.js';
import type { CaptureMeta } from '../../harness/io/capture-decoder.js';
import { LinkType, type Packet } from '../../harness/wire/packet.js';
import { bytesOf, cat } from '../io/blocks.js';
import { dpconform } from '../cli/spawn-cli.js';

const FCS = Uint8Array.of(0xde, 0xad, 0xbe, 0xef);
/** A frame no header explains past the Ethernet header (unknown EtherType 0x88b5): all payload. */
const frame = cat(Uint8Array.of(2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x88, 0xb5), bytesOf(46));
const packet = (data: Uint8Array, meta: Partial<CaptureMeta> = {}): Packet => ({ data, meta: { linkType: LinkType.ETHERNET, ...meta } as CaptureMeta });

describe('a declared FCS is not the frame', () => {
  it('dissects as the frame without it', () => {
    expect(dissect(packet(cat(frame, FCS), { fcsLength: 4 }))).toEqual(dissect(packet(frame)));
    // Undeclared, the same bytes are the frame's (payload 4 longer).
    expect(dissect(packet(cat(frame, FCS))).at(-1)!.fields.length).toBe(50);
  });

  it('diff: the same frames with and without FCS are identical (exit 0)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dpconform-fcs-'));
    const plain = join(dir, 'plain.pcap');
    const withFcs = join(dir, 'fcs.pcapng');
    writeFileSync(plain, encodePcap([packet(frame)]));
    writeFileSync(withFcs, encodePcapng([packet(cat(frame, FCS), { fcsLength: 4 })], { interfaces: [{ linkType: LinkType.ETHERNET, fcsLength: 4 }] }));
    const r = dpconform(['diff', plain, withFcs]);
    expect(r.errLines).toEqual([]);
    expect(r.stdout).toContain('1 identical, 0 changed');
    expect(r.status).toBe(0);
  });
});
