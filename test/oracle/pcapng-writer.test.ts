// Our pcapng writer's multi-section files and per-packet FCS lengths, read by tshark and capinfos
// (libwiretap): every packet's section, interface, link type, timestamp, lengths, bytes and comment;
// capinfos' interface list (encapsulation, FCS length as written in if_fcslen); and the FCS length
// of each packet's epb_flags word as tshark decodes it, against our reader's meta.fcsLength.

import { describe, it, expect, beforeAll } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writePcapngSections, type PcapngWriteOptions } from '../../harness/io/pcapng.js';
import { readCaptureAll } from '../../harness/io/capture.js';
import type { CaptureMeta } from '../../harness/io/capture-decoder.js';
import type { Packet } from '../../harness/wire/packet.js';
import { compareCaptureMeta } from './capture-compare.js';
import { tsharkFrames, type TsharkFrame } from './tshark.js';
import { requireTshark, runTool } from './tools.js';
import { Bytes, cat, endOpt, epb, idb, opt, shb } from '../io/blocks.js';

const dir = mkdtempSync(join(tmpdir(), 'dpconform-oracle-pcapng-writer-'));

/** An Ethernet/IPv4/UDP frame of `n` bytes (n >= 42), distinct per `seed`. */
function frame(n: number, seed: number): Uint8Array {
  const b = new Uint8Array(n);
  b.set([0x02, 0, 0, 0, 0, seed & 0xff, 0x02, 0, 0, 0, 1, 0, 0x08, 0x00], 0);
  b.set([0x45, 0, (n - 14) >> 8, (n - 14) & 0xff, 0, seed & 0xff, 0, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2], 14);
  b.set([0x30, 0x39, 0x00, 0x35, (n - 34) >> 8, (n - 34) & 0xff, 0, 0], 34);
  for (let i = 42; i < n; i++) b[i] = (i * 7 + seed) & 0xff;
  return b;
}

interface Section {
  options: PcapngWriteOptions;
  packets: Packet[];
}

const T0 = 1_700_000_000_123_456_789n;

const sections: Section[] = [
  {
    options: { interfaces: [{ linkType: 1, name: 'eth0', tsresol: 9 }, { linkType: 1, name: 'eth1', tsresol: 6, fcsLength: 4 }] },
    packets: [
      { data: frame(60, 1), meta: { linkType: 1, interfaceId: 0, timestampNs: T0, comment: 'first section' } },
      { data: frame(64, 2), meta: { linkType: 1, interfaceId: 1, timestampNs: T0 + 1_000_000n, origLength: 1000 } as CaptureMeta },
      { data: frame(70, 3), meta: { linkType: 1, interfaceId: 0, timestampNs: T0 + 2n, fcsLength: 4 } as CaptureMeta },
    ],
  },
  {
    options: { bigEndian: true, interfaces: [{ linkType: 1, name: 'be0', tsresol: 9 }] },
    packets: [
      { data: frame(80, 4), meta: { linkType: 1, interfaceId: 0, timestampNs: T0 + 3n } },
      { data: frame(90, 5), meta: { linkType: 1, interfaceId: 0, timestampNs: T0 + 4n, comment: 'big-endian section', fcsLength: 2 } as CaptureMeta },
    ],
  },
  {
    options: { interfaces: [{ linkType: 1, name: 'x0', tsresol: 9 }, { linkType: 1, name: 'x1', tsresol: 9 }, { linkType: 1, name: 'x2', tsresol: 9 }] },
    packets: [
      { data: frame(100, 6), meta: { linkType: 1, interfaceId: 2, timestampNs: T0 + 5n } },
      { data: frame(110, 7), meta: { linkType: 1, interfaceId: 1, timestampNs: T0 + 6n } },
    ],
  },
];

/** Differences between our fcsLength and tshark's epb_flags FCS length; `flagged[i]`: packet i's block has a flags word. */
export function compareFlagsFcs(ours: Packet[], theirs: TsharkFrame[], flagged: boolean[]): string[] {
  return ours.flatMap((p, i) => {
    const mine = (p.meta as CaptureMeta).fcsLength;
    const t = theirs[i].flagsFcsLength;
    if (!flagged[i]) return t === undefined ? [] : [`frame ${i + 1}: tshark sees a flags word (FCS ${t}) we did not expect`];
    if (t === undefined) return [`frame ${i + 1}: tshark sees no flags word`];
    // FCS 0 in the flags word means "not given": ours then comes from the interface (checked apart).
    if (t === 0) return [];
    return mine === t ? [] : [`frame ${i + 1}: FCS length ours ${mine} != tshark ${t}`];
  });
}

describe('pcapng writer vs tshark and capinfos', () => {
  let path = '';
  let ours: Packet[] = [];
  let theirs: TsharkFrame[] = [];
  beforeAll(async () => {
    requireTshark();
    path = join(dir, 'sections.pcapng');
    await writePcapngSections(path, sections);
    ours = await readCaptureAll(path);
    theirs = tsharkFrames(path).filter((f) => f.isPacket);
  });

  it('several sections: tshark sees every packet with its section, interface, timestamp, lengths, bytes and comment', () => {
    const expectedSections = sections.flatMap((s, i) => s.packets.map(() => i + 1));
    expect(theirs.length).toBe(expectedSections.length);
    expect(ours.length).toBe(expectedSections.length);
    expect(theirs.map((t) => t.sectionNumber)).toEqual(expectedSections);
    const written = sections.flatMap((s) => s.packets);
    const problems = ours.flatMap((p, i) => {
      // tshark 4.0 names a later section's interfaces from the first section's list (see capture.test.ts):
      // names are checked there against the writer's input instead.
      const name = expectedSections[i] === 1 ? theirs[i].interfaceName : p.meta.interfaceName;
      return compareCaptureMeta(p, theirs[i], name).map((m) => `frame ${i + 1}: ${m}`);
    });
    expect(problems).toEqual([]);
    expect(ours.map((p) => p.meta.interfaceName)).toEqual(written.map((p, i) => sections[expectedSections[i] - 1].options.interfaces![p.meta.interfaceId!].name));
  });

  it("capinfos: packet count and every section's interfaces in order, with if_fcslen as written (bits)", () => {
    const text = runTool('capinfos', [path]).toString('utf8');
    expect(text).toMatch(/Number of packets:\s+7\b/);
    const ifaces = sections.flatMap((s) => s.options.interfaces!);
    expect(text).toMatch(new RegExp(`Number of interfaces in file: ${ifaces.length}\\b`));
    // capinfos 4.0 lists the file's interfaces (every section's, in order) once under each section.
    expect(text.match(/^Section \d+:/gm)?.length).toBe(sections.length);
    const first = text.slice(text.indexOf('Section 0:'), text.indexOf('Section 1:'));
    const blocks = first.split(/Interface #\d+ info:/).slice(1);
    expect(blocks.map((b) => /Encapsulation = .*\((\d+) - /.exec(b)?.[1])).toEqual(ifaces.map(() => '1'));
    expect(blocks.map((b) => /FCS length = (\d+)/.exec(b)?.[1])).toEqual(ifaces.map((i) => (i.fcsLength === undefined ? undefined : String(i.fcsLength * 8))));
    expect(blocks.map((b) => /Time precision = .*\((\d+)\)/.exec(b)?.[1])).toEqual(ifaces.map((i) => String(i.tsresol)));
  });

  it("per-packet FCS length: tshark decodes our writer's epb_flags as our reader does", () => {
    // Packets 3 and 5 differ from their interface's FCS length, so only they carry flags.
    const flagged = [false, false, true, false, true, false, false];
    expect(compareFlagsFcs(ours, theirs, flagged)).toEqual([]);
    expect(ours.map((p) => (p.meta as CaptureMeta).fcsLength)).toEqual([undefined, 4, 4, undefined, 2, undefined, undefined]);
  });

  it('per-packet FCS length: hand-built flags words with direction, reception and error bits around the FCS field, both byte orders', async () => {
    const word = (fcs: number) => (0b10 | (0b100 << 2) | (fcs << 5) | (1 << 24) | (1 << 31)) >>> 0;
    const flags = (fcs: number, le: boolean) => opt(2, new Bytes(le).u32(word(fcs)).done(), le);
    const file = cat(
      shb(),
      idb(1, 0, [opt(13, Uint8Array.of(32)), endOpt()]),
      epb(frame(64, 1), { units: 1n, options: [flags(4, true), endOpt()] }),
      epb(frame(64, 2), { units: 2n, options: [flags(0, true), endOpt()] }),
      epb(frame(64, 3), { units: 3n, options: [flags(15, true), endOpt()] }),
      shb(false),
      idb(1, 0, [], false),
      epb(frame(64, 4), { units: 4n, options: [flags(2, false), endOpt(false)] }, false),
      epb(frame(64, 5), { units: 5n, options: [flags(9, false), endOpt(false)] }, false),
    );
    const p = join(dir, 'flags.pcapng');
    writeFileSync(p, file);
    const mine = await readCaptureAll(p);
    const t = tsharkFrames(p).filter((f) => f.isPacket);
    expect(t.map((f) => f.flagsFcsLength)).toEqual([4, 0, 15, 2, 9]);
    // Flags FCS 0 means "not given": the interface's if_fcslen (32 bits = 4 octets) stands.
    expect(mine.map((q) => (q.meta as CaptureMeta).fcsLength)).toEqual([4, 4, 15, 2, 9]);
    expect(compareFlagsFcs(mine, t, [true, true, true, true, true])).toEqual([]);
  });

  it('the comparison reports an injected fault (a wrong FCS length, flags where none were written)', () => {
    const flagged = [false, false, true, false, true, false, false];
    const bad = ours.map((p, i) => (i === 2 ? { ...p, meta: { ...p.meta, fcsLength: 2 } as CaptureMeta } : p));
    expect(compareFlagsFcs(bad, theirs, flagged)).toEqual(['frame 3: FCS length ours 2 != tshark 4']);
    expect(compareFlagsFcs(ours, theirs, flagged.map(() => true)).length).toBeGreaterThan(0);
    expect(compareFlagsFcs(ours, theirs, flagged.map(() => false))).toEqual([
      'frame 3: tshark sees a flags word (FCS 4) we did not expect',
      'frame 5: tshark sees a flags word (FCS 2) we did not expect',
    ]);
  });
});
