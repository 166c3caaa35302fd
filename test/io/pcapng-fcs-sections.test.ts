// pcapng: the per-packet FCS length of epb_flags (bits 5-8, octets; 0 = not given) overrides the
// interface's if_fcslen; if_fcslen is read in bits or octets (the draft says bits, its example and
// some writers octets); the writer emits both and writes files of several sections, each with its
// own byte order and interfaces, that our reader reads back exactly.

import { describe, it, expect } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { encodePcapng, encodePcapngSections, fcsOctetsOfIfFcslen, PcapngWriter, writePcapngSections, type PcapngSection } from '../../harness/io/pcapng.js';
import { readCaptureAll, readCaptureBytes } from '../../harness/io/capture.js';
import type { CaptureMeta } from '../../harness/io/capture-decoder.js';
import type { Packet } from '../../harness/wire/packet.js';
import { Bytes, bytesOf, cat, endOpt, epb, idb, opb, opt, shb } from './blocks.js';

const dir = mkdtempSync(join(tmpdir(), 'dpconform-pcapng-sections-'));

/** epb_flags option with `fcs` octets in bits 5-8 and other bits set around them (direction, reception, errors). */
function flags(fcs: number, le = true): Uint8Array {
  const word = (0b01 | (0b011 << 2) | (fcs << 5) | (1 << 24)) >>> 0; // inbound, broadcast, FCS, CRC error
  return opt(2, new Bytes(le).u32(word).done(), le);
}

const fcsOf = (p: Packet) => (p.meta as CaptureMeta).fcsLength;

describe('FCS length per packet (epb_flags)', () => {
  it('epb_flags bits 5-8 give the packet FCS length, overriding if_fcslen; 0 or no flags keep the interface value', () => {
    const file = cat(
      shb(),
      idb(1, 0, [opt(13, Uint8Array.of(32)), endOpt()]), // 32 bits = 4 octets
      idb(1, 0),
      epb(bytesOf(64), { ifId: 0, options: [flags(2), endOpt()] }),
      epb(bytesOf(64), { ifId: 0, options: [flags(0), endOpt()] }),
      epb(bytesOf(64), { ifId: 0 }),
      epb(bytesOf(64), { ifId: 1, options: [flags(4), opt(1, 'with comment'), endOpt()] }),
      epb(bytesOf(64), { ifId: 1, options: [flags(0)] }),
      epb(bytesOf(64), { ifId: 1, options: [flags(15)] }),
    );
    const ps = readCaptureBytes(file, 'fcs.pcapng');
    expect(ps.map(fcsOf)).toEqual([2, 4, 4, 4, undefined, 15]);
    expect(ps[3].meta.comment).toBe('with comment');
    expect(ps.map((p) => p.data.length)).toEqual([64, 64, 64, 64, 64, 64]); // reported, the bytes stay as captured
    expect('fcsLength' in ps[4].meta).toBe(false);
  });

  it('reads the flags word in the section byte order, in EPBs and in OPBs (pack_flags)', () => {
    const be = cat(shb(false), idb(1, 0, [], false), epb(bytesOf(64), { options: [flags(4, false)] }, false), opb(bytesOf(64), { options: [flags(2, false)] }, false));
    expect(readCaptureBytes(be, 'be.pcapng').map(fcsOf)).toEqual([4, 2]);
  });

  it('a flags option shorter than 4 bytes, or one overrunning its block, is a bad-option error with the packet and offset', () => {
    // Not ignored: Wireshark refuses it too ("packet block flags option length 2 is not 4", pcapng.c).
    const short = cat(shb(), idb(1, 0), epb(bytesOf(64), { options: [opt(2, Uint8Array.of(0x80, 0)), endOpt()] }));
    expect(() => readCaptureBytes(short, 's.pcapng')).toThrow(/s\.pcapng \(packet 1, offset \d+\): epb_flags option of 2 bytes \(a flags word is 4\)/);
    const overrun = cat(shb(), idb(1, 0), epb(bytesOf(64), { options: [new Bytes().u16(2).u16(40).u32(4 << 5).done()] }));
    expect(() => readCaptureBytes(overrun, 'o.pcapng')).toThrow(/o\.pcapng \(packet 1, offset \d+\): option 2 of 40 bytes overruns its block/);
  });

  it('if_fcslen: multiples of 8 are bits (the draft), small values octets (its example and older writers)', () => {
    expect([0, 2, 4, 16, 32].map(fcsOctetsOfIfFcslen)).toEqual([0, 2, 4, 2, 4]);
    const read = (v: number) => fcsOf(readCaptureBytes(cat(shb(), idb(1, 0, [opt(13, Uint8Array.of(v))]), epb(bytesOf(64))), 'f')[0]);
    expect([read(4), read(32), read(16), read(2)]).toEqual([4, 4, 2, 2]);
  });

  it('the writer declares if_fcslen in bits and writes epb_flags only for packets whose FCS length differs from their interface', () => {
    const meta = (fcsLength: number | undefined, interfaceId = 0): CaptureMeta => ({ linkType: 1, interfaceId, timestampNs: 1n, ...(fcsLength === undefined ? {} : { fcsLength }) });
    const packets: Packet[] = [
      { data: bytesOf(64), meta: meta(4) },
      { data: bytesOf(64), meta: meta(2) },
      { data: bytesOf(64), meta: meta(undefined) },
      { data: bytesOf(64), meta: meta(4, 1) },
      { data: bytesOf(64), meta: meta(undefined, 1) },
    ];
    const bytes = encodePcapng(packets, { interfaces: [{ linkType: 1, fcsLength: 4 }, { linkType: 1 }] });
    const back = readCaptureBytes(bytes, 'w.pcapng');
    expect(back.map(fcsOf)).toEqual([4, 2, 4, 4, undefined]);
    // The IDB holds 32 (bits); only packets 2 and 4 carry an epb_flags option (4 + 4 bytes + end 4).
    const hex = Buffer.from(bytes).toString('hex');
    expect(hex).toContain('0d00010020000000');
    const plain = encodePcapng(packets.map((p) => ({ ...p, meta: { ...p.meta, fcsLength: undefined } })), { interfaces: [{ linkType: 1, fcsLength: 4 }, { linkType: 1 }] });
    expect(bytes.length - plain.length).toBe(2 * 12);
    expect(() => encodePcapng([{ data: bytesOf(64), meta: meta(16) }])).toThrow(/does not fit epb_flags/);
    // FCS 0 in epb_flags means "not given": it cannot override an interface's if_fcslen.
    expect(() => encodePcapng([{ data: bytesOf(64), meta: meta(0) }], { interfaces: [{ linkType: 1, fcsLength: 4 }] })).toThrow(/FCS length 0 cannot be stated per packet/);
    expect(readCaptureBytes(encodePcapng([{ data: bytesOf(64), meta: meta(0) }]), 'z')[0].meta).not.toHaveProperty('fcsLength');
  });
});

function section(tag: number, n: number, ifaces: number): Packet[] {
  return Array.from({ length: n }, (_, i) => ({
    data: bytesOf(20 + ((i * 13 + tag) % 90), tag * 10 + i),
    meta: {
      linkType: i % ifaces === 0 ? 1 : 101,
      interfaceId: i % ifaces,
      timestampNs: 1_700_000_000_000_000_000n + BigInt(tag) * 1_000_000_000n + BigInt(i) * 1_001n,
      origLength: 200 + i,
      ...(i === 1 ? { comment: `section ${tag} packet ${i}` } : {}),
    },
  }));
}

const sections: PcapngSection[] = [
  { options: { interfaces: [{ linkType: 1, name: 'le-eth0' }, { linkType: 101, name: 'le-tun0' }], nanosecond: true }, packets: section(1, 5, 2) },
  { options: { interfaces: [{ linkType: 1, name: 'be-eth9', tsresol: 9 }], bigEndian: true, application: 'second' }, packets: section(2, 3, 1).map((p) => ({ ...p, meta: { ...p.meta, linkType: 1 } })) },
  { options: { interfaces: [{ linkType: 101, name: 'r0', tsresol: 9 }, { linkType: 1, name: 'e1', tsresol: 9, fcsLength: 4 }, { linkType: 1, name: 'e2', tsresol: 9 }] }, packets: section(3, 7, 3).map((p) => ({ ...p, meta: { ...p.meta, linkType: [101, 1, 1][p.meta.interfaceId!] } })) },
];

/** What the reader must give back for `sections`: frames numbered across sections, names from each section. */
function expected(ss: PcapngSection[]): unknown[] {
  let frame = 0;
  return ss.flatMap((s) =>
    [...s.packets].map((p) => {
      const iface = s.options!.interfaces![p.meta.interfaceId!];
      return {
        data: Buffer.from(p.data).toString('hex'),
        meta: { ...p.meta, frame: ++frame, interfaceName: iface.name, ...(iface.fcsLength ? { fcsLength: iface.fcsLength } : {}) },
      };
    }),
  );
}
const shape = (ps: Packet[]) => ps.map((p) => ({ data: Buffer.from(p.data).toString('hex'), meta: p.meta }));

describe('pcapng writer: several sections', () => {
  it('in memory: three sections (LE, BE, LE) with their own interfaces read back exactly', () => {
    const bytes = encodePcapngSections(sections);
    expect(shape(readCaptureBytes(bytes, 'sections.pcapng'))).toEqual(expected(sections));
    // Three Section Header Blocks; byte-order magics: LE, BE, LE.
    const hex = Buffer.from(bytes).toString('hex');
    expect(hex.match(/0a0d0d0a/g)?.length).toBe(3);
    expect([...hex.matchAll(/0a0d0d0a.{8}(1a2b3c4d|4d3c2b1a)/g)].map((m) => m[1])).toEqual(['4d3c2b1a', '1a2b3c4d', '4d3c2b1a']);
  });

  it('streaming: writePcapngSections and PcapngWriter.newSection give the same bytes as the in-memory encoder', async () => {
    const path = join(dir, 'sections.pcapng');
    await writePcapngSections(path, sections);
    expect(Buffer.compare(readFileSync(path), encodePcapngSections(sections))).toBe(0);
    expect(shape(await readCaptureAll(path, { chunkSize: 64, batchSize: 2 }))).toEqual(expected(sections));

    const sink = new PassThrough();
    const chunks: Buffer[] = [];
    sink.on('data', (c: Buffer) => chunks.push(c));
    const w = new PcapngWriter(sink, sections[0].options);
    await w.writeAll(sections[0].packets);
    for (const s of sections.slice(1)) {
      await w.newSection(s.options);
      await w.writeAll(s.packets);
    }
    await w.close();
    expect(Buffer.compare(Buffer.concat(chunks), encodePcapngSections(sections))).toBe(0);
  });

  it('a packet naming an interface of an earlier section only is refused, before anything is written for it', async () => {
    const w = new PcapngWriter(new PassThrough().resume(), { interfaces: [{ linkType: 1 }, { linkType: 1 }] });
    await w.write({ data: bytesOf(10), meta: { linkType: 1, interfaceId: 1 } });
    await w.newSection({ interfaces: [{ linkType: 1 }] });
    await expect(w.write({ data: bytesOf(10), meta: { linkType: 1, interfaceId: 1 } })).rejects.toThrow(/interface 1, but the section has 1/);
    await w.close();
  });

  it('no sections at all still makes a valid (empty) pcapng file', async () => {
    const path = join(dir, 'none.pcapng');
    await writePcapngSections(path, []);
    expect(await readCaptureAll(path)).toEqual([]);
  });
});
