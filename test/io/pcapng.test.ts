import { describe, it, expect } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodePcapng, writePcapng } from '../../harness/io/pcapng.js';
import { readCaptureAll, readCaptureBytes } from '../../harness/io/capture.js';
import type { Packet } from '../../harness/wire/packet.js';
import { LinkType } from '../../harness/wire/packet.js';
import { Bytes, block, bytesOf, cat, endOpt, epb, idb, opb, opt, shb, spb } from './blocks.js';

const dir = mkdtempSync(join(tmpdir(), 'dpconform-pcapng-'));

describe('pcapng reader on hand-built bytes', () => {
  it('reads EPBs of several interfaces with their own link types, names and comments', () => {
    const file = cat(
      shb(),
      idb(LinkType.ETHERNET, 262144, [opt(2, 'eth0'), endOpt()]),
      idb(LinkType.RAW, 0, [opt(2, 'tun0'), opt(9, Uint8Array.of(9)), endOpt()]),
      epb(bytesOf(60), { ifId: 0, units: 1700000000_123456n, origLength: 1514, options: [opt(1, 'first'), endOpt()] }),
      epb(bytesOf(41, 2), { ifId: 1, units: 1700000000_123456789n }),
      epb(bytesOf(5, 3), { ifId: 0, units: 1n, options: [opt(1, 'two'), opt(1, 'comments'), endOpt()] }),
    );
    const [a, b, c] = readCaptureBytes(file, 'multi.pcapng');
    expect(a.meta).toEqual({ linkType: 1, frame: 1, timestampNs: 1700000000_123456000n, origLength: 1514, interfaceId: 0, interfaceName: 'eth0', comment: 'first' });
    expect(a.data).toEqual(bytesOf(60));
    expect(b.meta).toEqual({ linkType: 101, frame: 2, timestampNs: 1700000000_123456789n, origLength: 41, interfaceId: 1, interfaceName: 'tun0' });
    expect(b.data).toEqual(bytesOf(41, 2));
    expect(c.meta.comment).toBe('two\ncomments');
    expect(c.meta.timestampNs).toBe(1000n);
  });

  it('reads a big-endian section', () => {
    const le = false;
    const file = cat(shb(le), idb(LinkType.ETHERNET, 65535, [opt(2, 'be0', le), endOpt(le)], le), epb(bytesOf(33), { units: 42_000_001n, options: [opt(1, 'big', le), endOpt(le)] }, le));
    const [p] = readCaptureBytes(file, 'be.pcapng');
    expect(p.meta).toEqual({ linkType: 1, frame: 1, timestampNs: 42_000_001_000n, origLength: 33, interfaceId: 0, interfaceName: 'be0', comment: 'big' });
    expect(p.data).toEqual(bytesOf(33));
  });

  it('reads two sections of different byte order, each with its own interfaces', () => {
    const file = cat(
      shb(true),
      idb(LinkType.ETHERNET, 0, [opt(2, 'le-a')]),
      epb(bytesOf(10), { units: 1n }),
      shb(false),
      idb(LinkType.LINUX_SLL, 0, [opt(2, 'be-a', false)], false),
      idb(LinkType.IPV6, 0, [opt(2, 'be-b', false)], false),
      epb(bytesOf(11), { ifId: 1, units: 2n }, false),
      epb(bytesOf(12), { ifId: 0, units: 3n }, false),
    );
    const ps = readCaptureBytes(file, 'two.pcapng');
    expect(ps.map((p) => [p.meta.frame, p.meta.linkType, p.meta.interfaceId, p.meta.interfaceName, p.data.length])).toEqual([
      [1, 1, 0, 'le-a', 10],
      [2, LinkType.IPV6, 1, 'be-b', 11],
      [3, LinkType.LINUX_SLL, 0, 'be-a', 12],
    ]);
  });

  it('skips NRB, ISB, DSB, custom, systemd journal and unknown blocks', () => {
    const nrb = block(4, cat(new Bytes().u16(1).u16(4).bytes([10, 0, 0, 1]).done(), new Bytes().u16(0).u16(0).done()));
    const isb = block(5, new Bytes().u32(0).u32(0).u32(0).u64(99n).done());
    const dsb = block(0x0a, new Bytes().u32(0x544c534b).u32(3).bytes([1, 2, 3]).pad4().done());
    const custom = block(0xbad, new Bytes().u32(32473).bytes(bytesOf(7)).done());
    const customNoCopy = block(0x40000bad, new Bytes().u32(32473).done());
    const journal = block(9, bytesOf(20));
    const unknown = block(0x12345678, bytesOf(9));
    const file = cat(shb(), nrb, idb(1, 0), isb, epb(bytesOf(8)), dsb, custom, customNoCopy, journal, unknown, epb(bytesOf(9)), isb);
    expect(readCaptureBytes(file, 'skip.pcapng').map((p) => [p.meta.frame, p.data.length])).toEqual([
      [1, 8],
      [2, 9],
    ]);
  });

  it('reads a Simple Packet Block: caplen = min(origlen, snaplen of interface 0), no timestamp', () => {
    const file = cat(shb(), idb(LinkType.ETHERNET, 64, [opt(2, 'cut')]), idb(LinkType.RAW, 0), spb(bytesOf(64), 1500), spb(bytesOf(20), 20));
    const [a, b] = readCaptureBytes(file, 'spb.pcapng');
    expect(a.meta).toEqual({ linkType: 1, frame: 1, origLength: 1500, interfaceId: 0, interfaceName: 'cut' });
    expect(a.data).toEqual(bytesOf(64));
    expect(b.data).toEqual(bytesOf(20));
    expect(b.meta.origLength).toBe(20);
  });

  it('reads an SPB whose interface has no snaplen from the block size', () => {
    const [p] = readCaptureBytes(cat(shb(), idb(1, 0), spb(bytesOf(30), 30)), 'spb0.pcapng');
    expect(p.data).toEqual(bytesOf(30));
  });

  it('reads the obsolete Packet Block (16-bit interface id, drops count)', () => {
    const file = cat(shb(), idb(1, 0), idb(LinkType.RAW, 0, [opt(2, 'r')]), opb(bytesOf(25), { ifId: 1, drops: 3, units: 7_000_002n, origLength: 100, options: [opt(1, 'old'), endOpt()] }));
    const [p] = readCaptureBytes(file, 'opb.pcapng');
    expect(p.meta).toEqual({ linkType: LinkType.RAW, frame: 1, timestampNs: 7_000_002_000n, origLength: 100, interfaceId: 1, interfaceName: 'r', comment: 'old' });
    expect(p.data).toEqual(bytesOf(25));
  });

  it('applies if_tsresol as a power of 10 or of 2, and if_tsoffset in seconds', () => {
    const file = cat(
      shb(),
      idb(1, 0, [opt(9, Uint8Array.of(3))]), // milliseconds
      idb(1, 0, [opt(9, Uint8Array.of(0x80 | 10))]), // 1/1024 s
      idb(1, 0, [opt(9, Uint8Array.of(12))]), // picoseconds
      idb(1, 0, [opt(14, new Bytes().u64(1_000_000_000n).done())]), // µs, offset 1e9 s
      idb(1, 0, [opt(9, Uint8Array.of(0x80 | 30))]), // 2^-30 s, large counts
      epb(bytesOf(1), { ifId: 0, units: 1_700_000_000_123n }),
      epb(bytesOf(1), { ifId: 1, units: 3n * 1024n + 512n }),
      epb(bytesOf(1), { ifId: 2, units: 1_700_000_123_456_789_123n }), // 64 bits of ps reach only ~213 days
      epb(bytesOf(1), { ifId: 3, units: 5_000_001n }),
      epb(bytesOf(1), { ifId: 4, units: 1_700_000_000n << 30n }),
    );
    expect(readCaptureBytes(file, 'res.pcapng').map((p) => p.meta.timestampNs)).toEqual([
      1_700_000_000_123_000_000n,
      3_500_000_000n,
      1_700_000_123_456_789n,
      1_000_000_005_000_001_000n,
      1_700_000_000_000_000_000n,
    ]);
  });

  it('keeps if_fcslen in meta.fcsLength', () => {
    const [p] = readCaptureBytes(cat(shb(), idb(1, 0, [opt(13, Uint8Array.of(4))]), epb(bytesOf(64))), 'fcs.pcapng');
    expect(p.meta).toMatchObject({ linkType: 1, fcsLength: 4 });
  });

  it('reads options without an opt_endofopt and strings with a trailing NUL', () => {
    const [p] = readCaptureBytes(cat(shb(), idb(1, 0, [opt(2, 'eth1\0')]), epb(bytesOf(4), { options: [opt(1, 'no end')] })), 'f');
    expect(p.meta.interfaceName).toBe('eth1');
    expect(p.meta.comment).toBe('no end');
  });
});

describe('pcapng writer round trips', () => {
  const packets: Packet[] = [
    { data: bytesOf(60), meta: { linkType: 1, interfaceId: 0, timestampNs: 1700000000_123456000n, origLength: 1514, comment: 'hello, wörld' } },
    { data: bytesOf(40, 2), meta: { linkType: 101, interfaceId: 1, timestampNs: 1700000000_123456789n } },
    { data: bytesOf(3, 3), meta: { linkType: 276, interfaceId: 2, timestampNs: 1n, comment: 'x'.repeat(5) } },
    { data: new Uint8Array(0), meta: { linkType: 1, interfaceId: 0, timestampNs: 0n } },
  ];
  const interfaces = [
    { linkType: 1, name: 'eth0' },
    { linkType: 101, name: 'tun0', tsresol: 9 },
    { linkType: 276, name: 'any', tsresol: 9 },
  ];

  for (const bigEndian of [false, true]) {
    it(`round-trips several interfaces, mixed link types and comments (${bigEndian ? 'big' : 'little'}-endian)`, async () => {
      const path = join(dir, `multi-${bigEndian}.pcapng`);
      await writePcapng(path, packets, { interfaces, bigEndian });
      const back = await readCaptureAll(path);
      expect(back.map((p) => p.data)).toEqual(packets.map((p) => p.data));
      expect(back.map((p) => p.meta)).toEqual(
        packets.map((p, i) => ({
          ...p.meta,
          frame: i + 1,
          origLength: p.meta.origLength ?? p.data.length,
          interfaceName: interfaces[p.meta.interfaceId!].name,
        })),
      );
    });
  }

  it('writes nanoseconds for every interface with `nanosecond`', () => {
    const p: Packet = { data: bytesOf(4), meta: { linkType: 1, timestampNs: 1_700_000_000_999_999_999n } };
    expect(readCaptureBytes(encodePcapng([p], { nanosecond: true }), 'f')[0].meta.timestampNs).toBe(1_700_000_000_999_999_999n);
    expect(readCaptureBytes(encodePcapng([p]), 'f')[0].meta.timestampNs).toBe(1_700_000_000_999_999_000n);
  });

  it('writes if_fcslen and reads it back', () => {
    const p: Packet = { data: bytesOf(64), meta: { linkType: 1 } };
    expect(readCaptureBytes(encodePcapng([p], { interfaces: [{ linkType: 1, fcsLength: 4 }] }), 'f')[0].meta).toMatchObject({ fcsLength: 4 });
  });

  it('refuses a comment longer than a pcapng option can hold', () => {
    expect(() => encodePcapng([{ data: bytesOf(4), meta: { linkType: 1, comment: 'x'.repeat(65536) } }])).toThrow(/65535-byte option limit/);
  });

  it('refuses a packet naming an interface the writer does not have', () => {
    expect(() => encodePcapng([{ data: bytesOf(4), meta: { linkType: 1, interfaceId: 3 } }])).toThrow(/interface 3/);
  });
});
