// Every bad-input kind: an InputError with code capture.<kind> and a one-line message naming the
// file, the 1-based packet number and the byte offset. The same fault must come out of the
// in-memory decoder and the streaming reader (with chunks small enough to split records).

import { describe, it, expect } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeCaptureBytes, readCapture, readCaptureBytes } from '../../harness/io/capture.js';
import { InputError } from '../../harness/io/input-error.js';
import { Bytes, block, bytesOf, cat, endOpt, epb, idb, opt, pcapHeader, pcapRecord, shb, spb } from './blocks.js';

const dir = mkdtempSync(join(tmpdir(), 'dpconform-caperr-'));

async function streamFault(path: string, chunkSize: number, keepGoing = false, batchSize = 1024): Promise<{ frames: number[][]; error: unknown }> {
  const frames: number[][] = [];
  try {
    for await (const batch of readCapture(path, { chunkSize, keepGoing, batchSize })) frames.push(batch.map((p) => p.meta.frame!));
  } catch (e) {
    return { frames, error: e };
  }
  return { frames, error: undefined };
}

/** `bytes` must fail with `code` and exactly `message` (after the file name), in memory and streamed. */
async function expectFault(name: string, bytes: Uint8Array, code: string, where: string, reason: string): Promise<void> {
  const inMemory = (() => {
    try {
      readCaptureBytes(bytes, name);
    } catch (e) {
      return e;
    }
    return undefined;
  })();
  expect(inMemory).toBeInstanceOf(InputError);
  expect((inMemory as InputError).code).toBe(code);
  expect((inMemory as InputError).message).toBe(`${name} (${where}): ${reason}`);
  const path = join(dir, name);
  writeFileSync(path, bytes);
  for (const chunkSize of [64, 100, 4 << 20]) {
    const { error } = await streamFault(path, chunkSize);
    expect(error, `chunk ${chunkSize}`).toBeInstanceOf(InputError);
    expect((error as InputError).code).toBe(code);
    expect((error as InputError).message).toBe(`${path} (${where}): ${reason}`);
  }
}

const rec = (n: number, seed = 1) => pcapRecord(bytesOf(n, seed));

describe('pcap faults', () => {
  it('unknown magic', async () => {
    await expectFault('magic.pcap', new TextEncoder().encode('hello, not a capture'), 'capture.bad-magic', 'packet 1, offset 0', 'not a pcap or pcapng file (magic 0x68656c6c)');
  });

  it('file shorter than any magic (and an empty file)', async () => {
    await expectFault('tiny.pcap', Uint8Array.of(0xd4, 0xc3), 'capture.truncated-header', 'packet 1, offset 0', 'file too short for a capture header: 2 bytes');
    await expectFault('empty.pcap', new Uint8Array(0), 'capture.truncated-header', 'packet 1, offset 0', 'file too short for a capture header: 0 bytes');
  });

  it('truncated global header', async () => {
    await expectFault('hdr.pcap', pcapHeader().subarray(0, 10), 'capture.truncated-header', 'packet 1, offset 0', 'truncated pcap file header: 10 of 24 bytes');
  });

  it('unsupported version', async () => {
    await expectFault('ver.pcap', cat(pcapHeader({ major: 3 }), rec(10)), 'capture.bad-version', 'packet 1, offset 4', 'unsupported pcap version 3.4 (expected 2.x)');
  });

  it('truncated record header', async () => {
    const f = cat(pcapHeader(), rec(60), rec(70, 2).subarray(0, 9));
    await expectFault('rechdr.pcap', f, 'capture.truncated-record', 'packet 2, offset 100', 'truncated pcap record, record header: 9 of 16 bytes');
  });

  it('truncated record data', async () => {
    const f = cat(pcapHeader(), rec(60), rec(70, 2), rec(80, 3).subarray(0, 16 + 50));
    await expectFault('recdata.pcap', f, 'capture.truncated-record', 'packet 3, offset 186', 'truncated pcap record, packet data: 50 of 80 bytes');
  });

  it('caplen larger than snaplen', async () => {
    const f = cat(pcapHeader({ snaplen: 128 }), rec(128), pcapRecord(bytesOf(129), { origLength: 1500 }));
    await expectFault('snap.pcap', f, 'capture.caplen-exceeds-snaplen', 'packet 2, offset 168', "captured length 129 exceeds the file's snaplen 128");
  });

  it('caplen larger than the 256 KiB hard cap, whatever snaplen says (and before reading the data)', async () => {
    // Only the record header: the reader must refuse before trying to buffer 4 GiB.
    const f = cat(pcapHeader({ snaplen: 0xffffffff }), rec(10), new Bytes().u32(0).u32(0).u32(0xfffffff0).u32(0xfffffff0).done());
    await expectFault('cap.pcap', f, 'capture.caplen-too-large', 'packet 2, offset 50', 'captured length 4294967280 exceeds the 262144-byte limit');
    const g = cat(pcapHeader({ snaplen: 0 }), pcapRecord(new Uint8Array(262145)));
    await expectFault('cap0.pcap', g, 'capture.caplen-too-large', 'packet 1, offset 24', 'captured length 262145 exceeds the 262144-byte limit');
  });
});

describe('pcapng faults', () => {
  const head = cat(shb(), idb(1, 0)); // 28 + 20 = 48 bytes
  it('block length not a multiple of 4', async () => {
    const f = cat(head, epb(bytesOf(8)), block(6, bytesOf(24), true, { length: 42 }));
    await expectFault('align.pcapng', f, 'capture.block-length-unaligned', 'packet 2, offset 88', 'block length 42 is not a multiple of 4');
  });

  it('block length not matching its trailing length', async () => {
    const f = cat(head, block(0x99, bytesOf(8), true, { trailer: 24 }));
    await expectFault('trail.pcapng', f, 'capture.block-length-mismatch', 'packet 1, offset 48', 'block length 20 does not match its trailing length 24');
  });

  it('block length too small (generic, and for the type)', async () => {
    await expectFault('small.pcapng', cat(head, block(0x99, new Uint8Array(0), true, { length: 8 })), 'capture.block-too-small', 'packet 1, offset 48', 'block length 8 is below the 12 bytes a block of type 0x99 needs');
    await expectFault('small-epb.pcapng', cat(head, block(6, bytesOf(16))), 'capture.block-too-small', 'packet 1, offset 48', 'block length 28 is below the 32 bytes a EPB needs');
  });

  it('block length beyond the 16 MiB cap is refused before buffering it', async () => {
    const f = cat(head, new Bytes().u32(4).u32(0x7ffffff0).u32(0).done());
    await expectFault('huge.pcapng', f, 'capture.block-too-large', 'packet 1, offset 48', 'block length 2147483632 exceeds the 16777216-byte limit');
  });

  it('truncated block (and truncated section header)', async () => {
    const whole = epb(bytesOf(100));
    await expectFault('trunc.pcapng', cat(head, epb(bytesOf(4)), whole.subarray(0, 70)), 'capture.truncated-block', 'packet 2, offset 84', 'truncated pcapng block: 70 of 132 bytes');
    await expectFault('trunc-hdr.pcapng', cat(head, whole.subarray(0, 6)), 'capture.truncated-block', 'packet 1, offset 48', 'truncated pcapng block: 6 bytes, not even a block header');
    await expectFault('trunc-shb.pcapng', shb().subarray(0, 20), 'capture.truncated-block', 'packet 1, offset 0', 'truncated pcapng section header block: 20 of 28 bytes');
  });

  it('an interface id the section does not declare', async () => {
    const f = cat(head, epb(bytesOf(4)), epb(bytesOf(4), { ifId: 3 }));
    await expectFault('ifid.pcapng', f, 'capture.unknown-interface', 'packet 2, offset 84', 'packet block names interface 3, but the section declares 1 (0..0)');
  });

  it('a packet block before any IDB (also after a new section header)', async () => {
    await expectFault('noidb.pcapng', cat(shb(), epb(bytesOf(4))), 'capture.packet-before-idb', 'packet 1, offset 28', 'packet block before any interface description block in its section');
    await expectFault('noidb-spb.pcapng', cat(head, epb(bytesOf(4)), shb(false), spb(bytesOf(4), 4, false)), 'capture.packet-before-idb', 'packet 2, offset 112', 'packet block before any interface description block in its section');
  });

  it('unknown byte-order magic and unsupported version', async () => {
    const bad = shb();
    bad.set([1, 2, 3, 4], 8);
    await expectFault('bom.pcapng', bad, 'capture.bad-magic', 'packet 1, offset 8', 'pcapng section header with unknown byte-order magic 0x01020304');
    await expectFault('ver.pcapng', shb(true, [], 2), 'capture.bad-version', 'packet 1, offset 12', 'unsupported pcapng version 2.0 (expected 1.0 or 1.2)');
  });

  it('an SHB minor version other than 0 or 2 (was read as 1.0, exit 0; tshark: "unknown SHB version 1.5")', async () => {
    const withMinor = (minor: number, le = true): Uint8Array => {
      const b = shb(le);
      b.set(new Bytes(le).u16(minor).done(), 14);
      return cat(b, idb(1, 0, [], le), epb(bytesOf(20), {}, le));
    };
    await expectFault('minor5.pcapng', withMinor(5), 'capture.bad-version', 'packet 1, offset 12', 'unsupported pcapng version 1.5 (expected 1.0 or 1.2)');
    await expectFault('minor1.pcapng', cat(withMinor(0), withMinor(1, false)), 'capture.bad-version', 'packet 2, offset 112', 'unsupported pcapng version 1.1 (expected 1.0 or 1.2)');
    // 1.2 is 1.0 under another number (Wireshark reads it so).
    expect(readCaptureBytes(withMinor(2), 'minor2.pcapng').map((p) => p.data)).toEqual([bytesOf(20)]);
  });

  it('caplen beyond its block, the interface snaplen, or the hard cap', async () => {
    await expectFault('capblk.pcapng', cat(head, epb(bytesOf(8), { caplen: 9 })), 'capture.caplen-exceeds-block', 'packet 1, offset 48', 'captured length 9 does not fit in its block (8 bytes of room)');
    await expectFault('capsnap.pcapng', cat(shb(), idb(1, 64), epb(bytesOf(65))), 'capture.caplen-exceeds-snaplen', 'packet 1, offset 48', "captured length 65 exceeds the interface's snaplen 64");
    await expectFault('capmax.pcapng', cat(head, epb(new Uint8Array(4), { caplen: 300000 })), 'capture.caplen-too-large', 'packet 1, offset 48', 'captured length 300000 exceeds the 262144-byte limit');
  });

  it('an SPB whose interface has no snaplen and whose block holds less than its original length (was cut to the block, exit 0)', async () => {
    // Draft: an SPB's data is min(snaplen, origlen) bytes, snaplen 0 meaning none; tshark: 'total block length 76 of an SPB is too small for 1500 bytes'.
    await expectFault('spbcut.pcapng', cat(shb(), idb(1, 0), spb(bytesOf(60), 1500)), 'capture.caplen-exceeds-block', 'packet 1, offset 48', 'captured length 1500 does not fit in its block (60 bytes of room)');
    await expectFault('spbbig.pcapng', cat(shb(), idb(1, 0), spb(bytesOf(60), 300000)), 'capture.caplen-too-large', 'packet 1, offset 48', 'captured length 300000 exceeds the 262144-byte limit');
  });

  it('an if_tsresol finer than 64-bit timestamps can count (every timestamp read as 0, exit 0)', async () => {
    // Wireshark: "IDB power-of-10 time stamp resolution 20 > 19" / "power-of-2 ... 64 > 63".
    const withTsresol = (v: number): Uint8Array => cat(shb(), idb(1, 0, [opt(9, Uint8Array.of(v))]), epb(bytesOf(20), { units: 5n }));
    await expectFault('res20.pcapng', withTsresol(20), 'capture.bad-option', 'packet 1, offset 48', 'if_tsresol 10^-20 s is finer than a 64-bit timestamp can count (at most 10^-19 or 2^-63 s)');
    await expectFault('res2-64.pcapng', withTsresol(0x80 | 64), 'capture.bad-option', 'packet 1, offset 48', 'if_tsresol 2^-64 s is finer than a 64-bit timestamp can count (at most 10^-19 or 2^-63 s)');
    // The finest each base allows still reads.
    expect(readCaptureBytes(withTsresol(19), 'res19.pcapng')[0].meta.timestampNs).toBe(0n);
    expect(readCaptureBytes(withTsresol(0x80 | 63), 'res63.pcapng')[0].meta.timestampNs).toBe(0n);
  });

  it('an epb_flags option that is not 4 bytes (was ignored when shorter, its first word taken when longer)', async () => {
    // Wireshark: "packet block flags option length 2 is not 4".
    const flags = (value: Uint8Array): Uint8Array => cat(shb(), idb(1, 0), epb(bytesOf(20), { options: [opt(2, value)] }));
    await expectFault('flags2.pcapng', flags(Uint8Array.of(0x80, 0)), 'capture.bad-option', 'packet 1, offset 96', 'epb_flags option of 2 bytes (a flags word is 4)');
    await expectFault('flags8.pcapng', flags(new Uint8Array(8)), 'capture.bad-option', 'packet 1, offset 96', 'epb_flags option of 8 bytes (a flags word is 4)');
  });

  it('a name resolution block whose records or options overrun it (an EPB with its type byte flipped to NRB: its packet vanished, exit 0)', async () => {
    const ipv4Record = new Bytes().u16(1).u16(8).bytes([10, 0, 0, 1]).bytes([0x61, 0x62, 0x63, 0]).done();
    const recordEnd = new Bytes().u16(0).u16(0).done();
    const good = block(4, cat(ipv4Record, recordEnd, opt(1, 'names'), endOpt()));
    expect(readCaptureBytes(cat(head, good, epb(bytesOf(20))), 'nrb.pcapng').map((p) => p.data)).toEqual([bytesOf(20)]);
    const overrun = block(4, cat(new Bytes().u16(1).u16(770).done(), bytesOf(8)));
    await expectFault('nrbrec.pcapng', cat(head, overrun, epb(bytesOf(20))), 'capture.bad-name-record', 'packet 1, offset 56', 'name resolution record of 770 bytes overruns its block');
    const badOption = block(4, cat(ipv4Record, recordEnd, new Bytes().u16(1).u16(200).done()));
    await expectFault('nrbopt.pcapng', cat(head, badOption, epb(bytesOf(20))), 'capture.bad-option', 'packet 1, offset 72', 'option 1 of 200 bytes overruns its block');
    // The fuzzed file: the first EPB's type 6 -> 4.
    const flipped = epb(bytesOf(20, 1), { units: 0x0006_0a24_1e18_4000n });
    flipped[0] = 4;
    const r = (() => {
      try {
        return readCaptureBytes(cat(head, flipped, epb(bytesOf(20, 2))), 'flip.pcapng');
      } catch (e) {
        return e;
      }
    })();
    expect(r).toBeInstanceOf(InputError);
  });

  it('an SPB with more room than its packet data and padding (an EPB with its type byte flipped to SPB: read as a packet of its interface id length, exit 0)', async () => {
    await expectFault('spbroom.pcapng', cat(shb(), idb(1, 0), spb(bytesOf(60), 30)), 'capture.spb-extra-data', 'packet 1, offset 48', 'simple packet block has 60 bytes of room for 30 bytes of packet data');
    const flipped = epb(bytesOf(20));
    flipped[0] = 3;
    await expectFault('spbflip.pcapng', cat(shb(), idb(1, 0), flipped), 'capture.spb-extra-data', 'packet 1, offset 48', 'simple packet block has 36 bytes of room for 0 bytes of packet data');
    // Padding is not extra: 30 bytes in 32 of room.
    expect(readCaptureBytes(cat(shb(), idb(1, 0), spb(bytesOf(30), 30)), 'spbpad.pcapng')[0].data).toEqual(bytesOf(30));
  });

  it('an option overrunning its block', async () => {
    const badOpt = new Bytes().u16(1).u16(200).bytes(bytesOf(4)).done();
    await expectFault('opt.pcapng', cat(head, epb(bytesOf(4), { options: [badOpt] })), 'capture.bad-option', 'packet 1, offset 80', 'option 1 of 200 bytes overruns its block');
    await expectFault('idbopt.pcapng', cat(shb(), idb(1, 0, [opt(2, 'eth0'), badOpt])), 'capture.bad-option', 'packet 1, offset 52', 'option 1 of 200 bytes overruns its block');
  });
});

describe('packets before a fault', () => {
  const good = [1, 2, 3, 4, 5].map((i) => rec(40 + i, i));
  const file = cat(pcapHeader({ snaplen: 100 }), ...good, pcapRecord(bytesOf(101)));
  const path = join(dir, 'partial.pcap');
  writeFileSync(path, file);

  it('without keepGoing: full batches already yielded stay, the partial batch is dropped, then the error', async () => {
    const { frames, error } = await streamFault(path, 4 << 20, false, 2);
    expect(frames).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect((error as InputError).code).toBe('capture.caplen-exceeds-snaplen');
  });

  it('with keepGoing: the partial batch before the fault is flushed, then the error', async () => {
    const { frames, error } = await streamFault(path, 4 << 20, true, 2);
    expect(frames).toEqual([[1, 2], [3, 4], [5]]);
    expect((error as InputError).message).toMatch(/partial\.pcap \(packet 6, offset 319\): captured length 101/);
  });

  it('keepGoing also flushes before a truncation at end of file', async () => {
    const p = join(dir, 'partial-trunc.pcap');
    writeFileSync(p, cat(pcapHeader(), rec(10), rec(10), rec(10).subarray(0, 20)));
    const { frames, error } = await streamFault(p, 64, true, 10);
    expect(frames).toEqual([[1, 2]]);
    expect((error as InputError).code).toBe('capture.truncated-record');
  });

  it('decodeCaptureBytes returns the packets before the fault with the fault', () => {
    const { packets, error } = decodeCaptureBytes(file, 'mem.pcap');
    expect(packets.map((p) => p.meta.frame)).toEqual([1, 2, 3, 4, 5]);
    expect(error?.message).toBe("mem.pcap (packet 6, offset 319): captured length 101 exceeds the file's snaplen 100");
  });
});
