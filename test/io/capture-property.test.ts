// Property: random packets, timestamps, link types, interfaces and comments round-trip exactly
// through each writer (both byte orders, µs and ns) and back through the reader, in memory and
// streamed from a file in small chunks.

import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodePcap } from '../../harness/io/pcap.js';
import { encodePcapng, type PcapngInterfaceOptions } from '../../harness/io/pcapng.js';
import { readCaptureAll, readCaptureBytes } from '../../harness/io/capture.js';
import type { Packet } from '../../harness/wire/packet.js';

const dir = mkdtempSync(join(tmpdir(), 'dpconform-capprop-'));
const MAX_SEC = 0xffffffffn;

const linkType = fc.constantFrom(1, 101, 113, 228, 229, 276, 147);
/** Text that survives a UTF-8 option: no lone surrogates, no trailing NUL (readers strip it). */
const text = fc.string({ unit: 'binary', maxLength: 40 }).filter((s) => !s.endsWith('\0'));
/** Nanoseconds since the epoch within pcap's 32-bit seconds, rounded to the file's resolution. */
const timestamp = (ns: boolean) => fc.bigInt({ min: 0n, max: MAX_SEC * 1_000_000_000n + 999_999_999n }).map((t) => (ns ? t : t - (t % 1000n)));
const data = fc.uint8Array({ maxLength: 300 });

const shape = (ps: Packet[]) => ps.map((p) => ({ data: Array.from(p.data), meta: p.meta }));

describe('pcap round trip (property)', () => {
  it('random packets, link type, byte order and resolution', () => {
    fc.assert(
      fc.property(
        fc.boolean(),
        fc.boolean(),
        linkType,
        fc.array(fc.tuple(data, fc.bigInt({ min: 0n, max: MAX_SEC * 1_000_000_000n + 999_999_999n }), fc.nat(100)), { maxLength: 20 }),
        (ns, bigEndian, lt, raw) => {
          const packets: Packet[] = raw.map(([d, t, extra]) => ({
            data: d,
            meta: { linkType: lt, timestampNs: ns ? t : t - (t % 1000n), origLength: d.length + extra },
          }));
          const back = readCaptureBytes(encodePcap(packets, { linkType: lt, nanosecond: ns, bigEndian }), 'prop.pcap');
          expect(shape(back)).toEqual(shape(packets.map((p, i) => ({ ...p, meta: { ...p.meta, frame: i + 1 } }))));
        },
      ),
      { numRuns: 200 },
    );
  });
});

interface Case {
  bigEndian: boolean;
  interfaces: PcapngInterfaceOptions[];
  packets: Packet[];
}

const pcapngCase: fc.Arbitrary<Case> = fc
  .record({
    bigEndian: fc.boolean(),
    interfaces: fc.array(fc.record({ linkType, name: fc.option(text, { nil: undefined }), tsresol: fc.constantFrom(6, 9) }), { minLength: 1, maxLength: 4 }),
  })
  .chain(({ bigEndian, interfaces }) =>
    fc
      .array(
        fc.record({ data, ifId: fc.nat(interfaces.length - 1), ts: timestamp(true), extra: fc.nat(100), comment: fc.option(text, { nil: undefined }) }),
        { maxLength: 20 },
      )
      .map((raw) => ({
        bigEndian,
        interfaces,
        packets: raw.map((r): Packet => {
          const iface = interfaces[r.ifId];
          const meta: Packet['meta'] = {
            linkType: iface.linkType,
            interfaceId: r.ifId,
            timestampNs: iface.tsresol === 9 ? r.ts : r.ts - (r.ts % 1000n),
            origLength: r.data.length + r.extra,
            interfaceName: iface.name,
          };
          if (r.comment !== undefined) meta.comment = r.comment;
          return { data: r.data, meta };
        }),
      })),
  );

const expectedOf = (c: Case) => shape(c.packets.map((p, i) => ({ ...p, meta: { ...p.meta, frame: i + 1 } })));

describe('pcapng round trip (property)', () => {
  it('random interfaces (link types, names, resolutions), packets and comments, both byte orders', () => {
    fc.assert(
      fc.property(pcapngCase, (c) => {
        const back = readCaptureBytes(encodePcapng(c.packets, { interfaces: c.interfaces, bigEndian: c.bigEndian }), 'prop.pcapng');
        expect(shape(back)).toEqual(expectedOf(c));
      }),
      { numRuns: 200 },
    );
  });

  it('the same through a file read in small chunks', async () => {
    let k = 0;
    await fc.assert(
      fc.asyncProperty(pcapngCase, fc.integer({ min: 64, max: 700 }), fc.integer({ min: 1, max: 9 }), async (c, chunkSize, batchSize) => {
        const path = join(dir, `p${k++}.pcapng`);
        writeFileSync(path, encodePcapng(c.packets, { interfaces: c.interfaces, bigEndian: c.bigEndian }));
        expect(shape(await readCaptureAll(path, { chunkSize, batchSize }))).toEqual(expectedOf(c));
      }),
      { numRuns: 60 },
    );
  });
});
