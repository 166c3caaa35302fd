// fast-check generators for the wire Reprs, shared by the codec, checksum and dissector tests.

import fc from 'fast-check';
import { macToString, ip4ToString, ip6ToString } from '../../harness/wire/address.js';
import type { EthernetRepr, VlanTag } from '../../harness/wire/ethernet.js';
import type { Ipv4Repr } from '../../harness/wire/ipv4.js';
import type { Ipv6Repr } from '../../harness/wire/ipv6.js';
import type { TcpOption, TcpRepr } from '../../harness/wire/tcp.js';
import { tcpOptionLength } from '../../harness/wire/tcp.js';
import type { UdpRepr } from '../../harness/wire/udp.js';
import type { GreRepr } from '../../harness/wire/gre.js';
import type { MplsEntry } from '../../harness/wire/mpls.js';

export const u8 = fc.integer({ min: 0, max: 0xff });
export const u16 = fc.integer({ min: 0, max: 0xffff });
export const u32 = fc.integer({ min: 0, max: 0xffffffff });
export const bytes = (min: number, max: number) => fc.uint8Array({ minLength: min, maxLength: max });

export const mac = bytes(6, 6).map((b) => macToString(b, 0));
export const ip4 = bytes(4, 4).map((b) => ip4ToString(b, 0));
export const ip6 = bytes(16, 16).map((b) => ip6ToString(b, 0));

export const vlanTag: fc.Arbitrary<VlanTag> = fc.record({
  tpid: fc.constantFrom(0x8100, 0x88a8, 0x9100),
  pcp: fc.integer({ min: 0, max: 7 }),
  dei: fc.boolean(),
  vid: fc.integer({ min: 0, max: 0xfff }),
});

/** Any non-TPID EtherType (a TPID would be read as one more tag). */
export const etherType = u16.filter((t) => t !== 0x8100 && t !== 0x88a8 && t !== 0x9100);

export const ethernet: fc.Arbitrary<EthernetRepr> = fc.record({
  dst: mac,
  src: mac,
  tags: fc.array(vlanTag, { maxLength: 4 }),
  etherType,
});

export const ipv4: fc.Arbitrary<Ipv4Repr> = fc
  .record({
    tos: u8,
    totalLength: u16,
    id: u16,
    flags: fc.integer({ min: 0, max: 7 }).map((f) => f << 13),
    fragmentOffset: fc.integer({ min: 0, max: 0x1fff }),
    ttl: u8,
    protocol: u8,
    checksum: u16,
    src: ip4,
    dst: ip4,
    optionWords: fc.integer({ min: 0, max: 10 }),
  })
  .chain((r) =>
    bytes(r.optionWords * 4, r.optionWords * 4).map((options) => {
      const { optionWords, ...rest } = r;
      return { ...rest, version: 4, headerLength: 20 + optionWords * 4, options };
    }),
  );

export const ipv6: fc.Arbitrary<Ipv6Repr> = fc.record({
  version: fc.constant(6),
  trafficClass: u8,
  flowLabel: fc.integer({ min: 0, max: 0xfffff }),
  payloadLength: u16,
  nextHeader: u8,
  hopLimit: u8,
  src: ip6,
  dst: ip6,
});

export const tcpOption: fc.Arbitrary<TcpOption> = fc.oneof(
  fc.constant<TcpOption>({ kind: 'nop' }),
  u16.map<TcpOption>((value) => ({ kind: 'mss', value })),
  u8.map<TcpOption>((shift) => ({ kind: 'wscale', shift })),
  fc.constant<TcpOption>({ kind: 'sack_permitted' }),
  fc.array(fc.tuple(u32, u32), { minLength: 1, maxLength: 3 }).map<TcpOption>((blocks) => ({ kind: 'sack', blocks })),
  fc.record({ tsval: u32, tsecr: u32 }).map<TcpOption>((t) => ({ kind: 'timestamps', ...t })),
  // Kinds without a decoder here (and known kinds with odd lengths) stay raw.
  fc.record({ type: fc.integer({ min: 6, max: 255 }).filter((k) => k !== 8), data: bytes(0, 6) }).map<TcpOption>((u) => ({ kind: 'unknown', ...u })),
  fc.record({ type: fc.constant(2), data: bytes(3, 3) }).map<TcpOption>((u) => ({ kind: 'unknown', ...u })),
);

/** Options that fit in 40 bytes, padded to a word with an EOL when needed. */
export const tcpOptions: fc.Arbitrary<TcpOption[]> = fc.array(tcpOption, { maxLength: 6 }).map((opts) => {
  const out: TcpOption[] = [];
  let n = 0;
  for (const o of opts) {
    const len = tcpOptionLength(o);
    if (n + len > 40) break;
    out.push(o);
    n += len;
  }
  const pad = (4 - (n % 4)) % 4;
  if (pad > 0) out.push({ kind: 'eol', padding: new Uint8Array(pad - 1) });
  return out;
});

export const tcp: fc.Arbitrary<TcpRepr> = fc
  .record({
    srcPort: u16,
    dstPort: u16,
    seq: u32,
    ack: u32,
    reserved: fc.integer({ min: 0, max: 7 }),
    flags: fc.integer({ min: 0, max: 0x1ff }),
    window: u16,
    checksum: u16,
    urgent: u16,
    options: tcpOptions,
  })
  .map((r) => ({ ...r, headerLength: 20 + r.options.reduce((n, o) => n + tcpOptionLength(o), 0) }));

export const udp: fc.Arbitrary<UdpRepr> = fc.record({ srcPort: u16, dstPort: u16, length: u16, checksum: u16 });

export const gre: fc.Arbitrary<GreRepr> = fc
  .record({
    checksumPresent: fc.boolean(),
    keyPresent: fc.boolean(),
    sequencePresent: fc.boolean(),
    reserved0: fc.integer({ min: 0, max: 0x4ff8 }).map((x) => x & 0x4ff8),
    version: fc.integer({ min: 0, max: 7 }),
    protocol: u16,
    checksum: u16,
    reserved1: u16,
    key: u32,
    sequence: u32,
  })
  .map((r) => {
    const out: GreRepr = { checksumPresent: r.checksumPresent, keyPresent: r.keyPresent, sequencePresent: r.sequencePresent, reserved0: r.reserved0, version: r.version, protocol: r.protocol };
    if (r.checksumPresent) Object.assign(out, { checksum: r.checksum, reserved1: r.reserved1 });
    if (r.keyPresent) out.key = r.key;
    if (r.sequencePresent) out.sequence = r.sequence;
    return out;
  });

export const mplsStack: fc.Arbitrary<MplsEntry[]> = fc
  .array(fc.record({ label: fc.integer({ min: 0, max: 0xfffff }), tc: fc.integer({ min: 0, max: 7 }), ttl: u8 }), { minLength: 1, maxLength: 5 })
  .map((es) => es.map((e, i) => ({ ...e, bottom: i === es.length - 1 })));
