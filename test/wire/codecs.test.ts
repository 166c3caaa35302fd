// Every codec is symmetric: emit(parse(x)) == x, for random headers (and random bytes where the
// layout has no structure to respect). Parse errors carry the offset of the bad bytes.

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as A from './arbitraries.js';
import { fromHex } from '../../harness/wire/bytes.js';
import { WireError } from '../../harness/wire/wire-error.js';
import { parseEthernet, emitEthernet, EthernetView, ethernetHeaderLength } from '../../harness/wire/ethernet.js';
import { parseArp, emitArp, ArpView, type ArpRepr } from '../../harness/wire/arp.js';
import { parseIpv4, emitIpv4 } from '../../harness/wire/ipv4.js';
import { parseIpv6, emitIpv6, Ipv6View } from '../../harness/wire/ipv6.js';
import {
  parseIpv6Options,
  emitIpv6Options,
  parseIpv6Routing,
  emitIpv6Routing,
  parseIpv6Fragment,
  emitIpv6Fragment,
  type Ipv6OptionsRepr,
  type Ipv6RoutingRepr,
} from '../../harness/wire/ipv6-ext.js';
import { walkIpv6Chain } from '../../harness/wire/ipv6-chain.js';
import { parseIcmp4, emitIcmp4, icmp4Echo, icmp4Error, Icmp4View, type Icmp4Repr } from '../../harness/wire/icmp4.js';
import { parseIcmp6, emitIcmp6, icmp6Echo, Icmp6View, icmp6PseudoSum, type Icmp6Repr } from '../../harness/wire/icmp6.js';
import { parseTcp, emitTcp, TcpView } from '../../harness/wire/tcp.js';
import { parseUdp, emitUdp } from '../../harness/wire/udp.js';
import { parseVxlan, emitVxlan, VxlanView } from '../../harness/wire/vxlan.js';
import { parseGre, emitGre, GreView } from '../../harness/wire/gre.js';
import { parseMpls, emitMpls, MplsEntryView } from '../../harness/wire/mpls.js';
import { parseSll, emitSll, SllView } from '../../harness/wire/sll.js';
import { parseSll2, emitSll2, Sll2View } from '../../harness/wire/sll2.js';

/** Emit a repr, parse it back, emit again: same bytes, and the parsed repr equals the original. */
function roundTrips<R>(arb: fc.Arbitrary<R>, emit: (r: R) => Uint8Array, parse: (b: Uint8Array) => R): void {
  fc.assert(
    fc.property(arb, (r) => {
      const b = emit(r);
      const back = parse(b);
      expect(back).toEqual(r);
      expect(emit(back)).toEqual(b);
    }),
  );
}

/** Parse random bytes, emit: the same bytes. */
function bytesRoundTrip(len: number, prepare: (b: Uint8Array) => void, rt: (b: Uint8Array) => Uint8Array): void {
  fc.assert(
    fc.property(A.bytes(len, len), (b) => {
      prepare(b);
      expect(rt(b)).toEqual(b);
    }),
  );
}

function wireErrorAt(f: () => unknown, offset: number): void {
  let err: unknown;
  try {
    f();
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(WireError);
  expect((err as WireError).offset).toBe(offset);
}

describe('Ethernet + 802.1Q/802.1ad', () => {
  it('round-trips any tag depth', () => roundTrips(A.ethernet, (r) => emitEthernet(r), (b) => parseEthernet(b)));

  it('the view walks tags and edits in place', () => {
    const b = emitEthernet({
      dst: '02:00:00:00:00:01',
      src: '02:00:00:00:00:02',
      tags: [
        { tpid: 0x88a8, pcp: 5, dei: false, vid: 200 },
        { tpid: 0x8100, pcp: 0, dei: true, vid: 100 },
      ],
      etherType: 0x0800,
    });
    const v = new EthernetView(b);
    expect(v.tagCount).toBe(2);
    expect(v.headerLength).toBe(22);
    expect(v.etherType).toBe(0x0800);
    expect(v.tag(1).vid).toBe(100);
    v.tag(0).vid = 300;
    v.tag(1).pcp = 7;
    v.src = 'aa:bb:cc:dd:ee:ff';
    expect(parseEthernet(b)).toMatchObject({ src: 'aa:bb:cc:dd:ee:ff', tags: [{ vid: 300, pcp: 5 }, { vid: 100, pcp: 7, dei: true }] });
  });

  it('a cut tag is a WireError at the tag', () => {
    const b = fromHex('020000000001 020000000002 8100 0064'); // TPID + TCI, no inner type
    wireErrorAt(() => parseEthernet(b), 12);
    wireErrorAt(() => parseEthernet(new Uint8Array(13)), 0);
    expect(ethernetHeaderLength({ dst: '', src: '', tags: [], etherType: 0 })).toBe(14);
  });
});

describe('ARP', () => {
  const arp = A.u16.chain((op) =>
    fc.record({
      hardwareType: fc.constant(1),
      protocolType: fc.constant(0x0800),
      hardwareLength: fc.constant(6),
      protocolLength: fc.constant(4),
      operation: fc.constant(op),
      senderHardware: A.mac,
      senderProtocol: A.ip4,
      targetHardware: A.mac,
      targetProtocol: A.ip4,
    }),
  );
  it('round-trips Ethernet/IPv4 ARP', () => roundTrips<ArpRepr>(arp, (r) => emitArp(r), (b) => parseArp(b)));

  it('round-trips odd address lengths as hex', () => {
    fc.assert(
      fc.property(A.u8.filter((x) => x !== 6), A.u8.filter((x) => x !== 4), A.bytes(600, 600), (hl, pl, raw) => {
        raw[4] = hl % 20;
        raw[5] = pl % 20;
        const len = 8 + 2 * (raw[4] + raw[5]);
        const b = raw.slice(0, len);
        expect(emitArp(parseArp(b))).toEqual(b);
      }),
    );
  });

  it('the view rewrites the target in place', () => {
    const b = emitArp({ hardwareType: 1, protocolType: 0x800, hardwareLength: 6, protocolLength: 4, operation: 1, senderHardware: '02:00:00:00:00:01', senderProtocol: '10.0.0.1', targetHardware: '00:00:00:00:00:00', targetProtocol: '10.0.0.2' });
    const v = new ArpView(b);
    v.operation = 2;
    v.targetHardware = '02:00:00:00:00:09';
    expect(parseArp(b)).toMatchObject({ operation: 2, targetHardware: '02:00:00:00:00:09', targetProtocol: '10.0.0.2' });
    wireErrorAt(() => parseArp(b.subarray(0, 20)), 0);
  });
});

describe('IPv4', () => {
  it('round-trips with options (checksum kept)', () => roundTrips(A.ipv4, (r) => emitIpv4(r, undefined, 0, { keepChecksum: true }), (b) => parseIpv4(b)));
  it('errors carry the header offset', () => {
    const b = new Uint8Array(30);
    b[10] = 0x46; // IHL 6 = 24 bytes at offset 10, only 20 there
    wireErrorAt(() => parseIpv4(b, 10), 10);
    b[10] = 0x65;
    wireErrorAt(() => parseIpv4(b, 10), 10);
    wireErrorAt(() => parseIpv4(b, 15), 15);
  });
});

describe('IPv6 and extension headers', () => {
  it('round-trips the fixed header', () => roundTrips(A.ipv6, (r) => emitIpv6(r), (b) => parseIpv6(b)));

  it('view setters keep the other first-word fields', () => {
    fc.assert(
      fc.property(A.ipv6, A.u8, fc.integer({ min: 0, max: 0xfffff }), (r, tc, fl) => {
        const b = emitIpv6(r);
        const v = new Ipv6View(b);
        v.trafficClass = tc;
        expect(parseIpv6(b)).toEqual({ ...r, trafficClass: tc });
        v.flowLabel = fl;
        expect(parseIpv6(b)).toEqual({ ...r, trafficClass: tc, flowLabel: fl });
      }),
    );
  });

  const option = fc.oneof(
    fc.constant({ type: 0, data: new Uint8Array(0) }),
    fc.record({ type: A.u8.filter((t) => t !== 0), data: A.bytes(0, 12) }),
  );
  const optionsHeader = fc.record({ nextHeader: A.u8, options: fc.array(option, { maxLength: 5 }) }).map((r) => {
    // Pad to a multiple of 8 with Pad1s, as a sender would (PadN would do too).
    let n = 2 + r.options.reduce((s, o) => s + (o.type === 0 ? 1 : 2 + o.data.length), 0);
    while (n % 8 !== 0) {
      r.options.push({ type: 0, data: new Uint8Array(0) });
      n++;
    }
    return r;
  });
  it('hop-by-hop / destination options round-trip', () => roundTrips<Ipv6OptionsRepr>(optionsHeader, (r) => emitIpv6Options(r), (b) => parseIpv6Options(b)));

  const routing = fc
    .record({ nextHeader: A.u8, routingType: A.u8, segmentsLeft: A.u8, words: fc.integer({ min: 0, max: 6 }) })
    .chain((r) => A.bytes(4 + 8 * r.words, 4 + 8 * r.words).map((data) => ({ nextHeader: r.nextHeader, routingType: r.routingType, segmentsLeft: r.segmentsLeft, data })));
  it('routing headers round-trip', () => roundTrips<Ipv6RoutingRepr>(routing, (r) => emitIpv6Routing(r), (b) => parseIpv6Routing(b)));

  const fragment = fc.record({ nextHeader: A.u8, reserved: A.u8, fragmentOffset: fc.integer({ min: 0, max: 0x1fff }), res: fc.integer({ min: 0, max: 3 }), more: fc.boolean(), id: A.u32 });
  it('fragment headers round-trip', () => roundTrips(fragment, (r) => emitIpv6Fragment(r), (b) => parseIpv6Fragment(b)));

  it('the chain walker finds the upper layer and stops at later fragments', () => {
    // hop-by-hop (8) -> dest opts (8) -> fragment (8, offset 0) -> UDP
    const hop = emitIpv6Options({ nextHeader: 60, options: [{ type: 1, data: new Uint8Array(4) }] });
    const dst = emitIpv6Options({ nextHeader: 44, options: [{ type: 1, data: new Uint8Array(4) }] });
    const frag = emitIpv6Fragment({ nextHeader: 17, reserved: 0, fragmentOffset: 0, res: 0, more: true, id: 7 });
    const chain = new Uint8Array([...hop, ...dst, ...frag, 1, 2, 3, 4, 5, 6, 7, 8]);
    const seen: number[] = [];
    const end = walkIpv6Chain(chain, 0, 0, chain.length, (nh) => seen.push(nh));
    expect(seen).toEqual([0, 60, 44]);
    expect(end).toEqual({ protocol: 17, offset: 24, fragmentOffset: 16, isLaterFragment: false });
    chain[18] = 0x01; // fragment offset 32 -> not a first fragment
    expect(walkIpv6Chain(chain, 0, 0, chain.length).isLaterFragment).toBe(true);
    wireErrorAt(() => walkIpv6Chain(chain, 0, 0, 20), 16);
    chain[1] = 9; // hop-by-hop claims 80 bytes
    wireErrorAt(() => walkIpv6Chain(chain, 0, 0, chain.length), 0);
  });

  it('options errors carry the option offset', () => {
    const b = fromHex('3b00 01 09 000000 00'); // PadN claims 9 bytes in an 8-byte header
    wireErrorAt(() => parseIpv6Options(b), 2);
  });
});

describe('ICMPv4 and ICMPv6', () => {
  const icmpRepr = fc.record({ type: A.u8, code: A.u8, checksum: A.u16, rest: A.u32, payload: A.bytes(0, 64) });
  it('ICMPv4 round-trips (checksum kept)', () => roundTrips<Icmp4Repr>(icmpRepr, (r) => emitIcmp4(r, undefined, 0, { keepChecksum: true }), (b) => parseIcmp4(b)));
  it('ICMPv6 round-trips (checksum kept)', () => roundTrips<Icmp6Repr>(icmpRepr, (r) => emitIcmp6(r, undefined, 0, { keepChecksum: true }), (b) => parseIcmp6(b)));

  it('emitted ICMP messages carry valid checksums', () => {
    fc.assert(
      fc.property(A.u16, A.u16, A.bytes(0, 64), A.ip6, A.ip6, (id, seq, data, src, dst) => {
        const m4 = emitIcmp4(icmp4Echo(8, id, seq, data));
        const v4 = new Icmp4View(m4);
        expect(v4.checksumValid(m4.length)).toBe(true);
        expect([v4.id, v4.seq]).toEqual([id, seq]);
        const m6 = emitIcmp6(icmp6Echo(128, id, seq, data), undefined, 0, { src, dst });
        const v6 = new Icmp6View(m6);
        expect(v6.checksumValid(m6.length, icmp6PseudoSum(src, dst, m6.length))).toBe(true);
        m6[8 + (data.length >> 1)] ^= data.length ? 0x10 : 0;
        m6[4] ^= 1;
        expect(v6.checksumValid(m6.length, icmp6PseudoSum(src, dst, m6.length))).toBe(false);
      }),
    );
  });

  it('errors carry MTU / pointer and quote the original', () => {
    const original = fromHex('4500001c000100004011f97ac0000201c6336414');
    const v = new Icmp4View(emitIcmp4(icmp4Error(3, 4, original, { mtu: 1400 })));
    expect([v.type, v.code, v.nextHopMtu]).toEqual([3, 4, 1400]);
    expect(new Icmp4View(emitIcmp4(icmp4Error(12, 0, original, { pointer: 9 }))).pointer).toBe(9);
    wireErrorAt(() => parseIcmp4(original, 14), 14);
    wireErrorAt(() => parseIcmp6(original, 4, 10), 4);
  });
  it('ICMPv6 emit without addresses refuses to guess a checksum', () => {
    expect(() => emitIcmp6(icmp6Echo(128, 1, 1))).toThrow(/src and dst/);
  });
});

describe('TCP', () => {
  it('round-trips headers with every option kind', () => roundTrips(A.tcp, (r) => emitTcp(r), (b) => parseTcp(b)));

  it('parses a real SYN option block (Linux order: MSS, SACK-permitted, timestamps, NOP, wscale)', () => {
    const opts = fromHex('020405b40402080a0001e2400000000001030307');
    const b = new Uint8Array(40);
    b[12] = 0xa0;
    b.set(opts, 20);
    expect(parseTcp(b).options).toEqual([
      { kind: 'mss', value: 1460 },
      { kind: 'sack_permitted' },
      { kind: 'timestamps', tsval: 0x1e240, tsecr: 0 },
      { kind: 'nop' },
      { kind: 'wscale', shift: 7 },
    ]);
  });

  it('flags and ports edit in place', () => {
    fc.assert(
      fc.property(A.tcp, fc.integer({ min: 0, max: 0x1ff }), A.u16, (r, flags, port) => {
        const b = emitTcp(r);
        const v = new TcpView(b);
        v.flags = flags;
        v.dstPort = port;
        expect(parseTcp(b)).toEqual({ ...r, flags, dstPort: port });
      }),
    );
  });

  it('errors carry offsets: short header, bad data offset, overrunning option', () => {
    wireErrorAt(() => parseTcp(new Uint8Array(30), 12), 12);
    const b = new Uint8Array(24);
    b[12] = 0x40; // data offset 16 bytes
    wireErrorAt(() => parseTcp(b), 12);
    b[12] = 0x60; // 24 bytes, options at 20
    b.set([1, 2, 9, 0], 20); // NOP, MSS claiming 9 bytes
    wireErrorAt(() => parseTcp(b), 21);
  });
});

describe('UDP, VXLAN, GRE, MPLS', () => {
  it('UDP round-trips', () => roundTrips(A.udp, (r) => emitUdp(r), (b) => parseUdp(b)));

  it('VXLAN round-trips any bytes; the VNI setter keeps the reserved byte', () => {
    bytesRoundTrip(8, () => {}, (b) => emitVxlan(parseVxlan(b)));
    fc.assert(
      fc.property(A.bytes(8, 8), fc.integer({ min: 0, max: 0xffffff }), (b, vni) => {
        const before = parseVxlan(b);
        new VxlanView(b).vni = vni;
        expect(parseVxlan(b)).toEqual({ ...before, vni });
      }),
    );
  });

  it('GRE round-trips every C/K/S combination', () => roundTrips(A.gre, (r) => emitGre(r), (b) => parseGre(b)));

  it('GRE key / sequence offsets follow the present fields (RFC 2890 order)', () => {
    const b = emitGre({ checksumPresent: true, keyPresent: true, sequencePresent: true, reserved0: 0, version: 0, protocol: 0x0800, checksum: 0, reserved1: 0, key: 0x01020304, sequence: 5 });
    expect(Array.from(b)).toEqual([0xb0, 0, 8, 0, 0, 0, 0, 0, 1, 2, 3, 4, 0, 0, 0, 5]);
    const v = new GreView(b);
    v.fillChecksum(b.length);
    expect(v.checksumValid(b.length)).toBe(true);
    wireErrorAt(() => parseGre(b.subarray(0, 10)), 0);
  });

  it('MPLS stacks round-trip and stop at bottom of stack', () => {
    roundTrips(A.mplsStack, (s) => emitMpls(s), (b) => parseMpls(b));
    const b = emitMpls([{ label: 16, tc: 0, bottom: false, ttl: 64 }, { label: 0xfffff, tc: 7, bottom: true, ttl: 1 }, { label: 1, tc: 0, bottom: true, ttl: 1 }]);
    expect(parseMpls(b)).toHaveLength(2);
    const e = new MplsEntryView(b, 4);
    e.ttl = 9;
    e.label = 42;
    expect(parseMpls(b)[1]).toEqual({ label: 42, tc: 7, bottom: true, ttl: 9 });
    wireErrorAt(() => parseMpls(b.subarray(0, 6)), 4);
  });
});

describe('Linux cooked captures', () => {
  it('SLL v1 round-trips any 16 bytes', () => bytesRoundTrip(16, () => {}, (b) => emitSll(parseSll(b))));
  it('SLL2 round-trips any 20 bytes', () => bytesRoundTrip(20, () => {}, (b) => emitSll2(parseSll2(b))));
  it('address text is a MAC for 6-byte addresses', () => {
    const sll = fromHex('0004 0001 0006 020000000001 0000 0800');
    expect(new SllView(sll).addressText).toBe('02:00:00:00:00:01');
    const sll2 = fromHex('0800 0000 00000003 0001 04 06 020000000001 0000');
    const v = new Sll2View(sll2);
    expect([v.protocol, v.interfaceIndex, v.packetType, v.addressText]).toEqual([0x0800, 3, 4, '02:00:00:00:00:01']);
    wireErrorAt(() => parseSll(sll, 4), 4);
    wireErrorAt(() => parseSll2(sll2, 1), 1);
  });
});
