import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { fromHex } from '../../harness/wire/bytes.js';
import { incrementalUpdate16, internetChecksum, verifiesTo0xffff } from '../../harness/wire/checksum.js';
import { Ipv4View, emitIpv4, parseIpv4 } from '../../harness/wire/ipv4.js';

describe('RFC 1071 checksum', () => {
  it('matches the RFC 1071 §3 worked example', () => {
    // 00 01 f2 03 f4 f5 f6 f7 sums to 0xddf2 (folded), so the checksum is ~0xddf2 = 0x220d.
    expect(internetChecksum(fromHex('0001f203f4f5f6f7'))).toBe(0x220d);
  });

  it('a header carrying its checksum verifies', () => {
    // The outer IPv4 header of seed 004's VXLAN trace: 0x1b2b over this header (vpp-facts §7.2).
    const h = fromHex('4500006e00000000fe110000c0a81001c0a81002');
    expect(internetChecksum(h)).toBe(0x1b2b);
    h[10] = 0x1b;
    h[11] = 0x2b;
    expect(verifiesTo0xffff(h)).toBe(true);
    h[11] ^= 1;
    expect(verifiesTo0xffff(h)).toBe(false);
  });
});

describe('RFC 1624 eqn. 3 incremental update', () => {
  it('equals a full recompute for any header and any TTL change', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 20, maxLength: 20 }), fc.integer({ min: 0, max: 255 }), (raw, ttl) => {
        raw[0] = 0x45;
        const v = new Ipv4View(raw);
        v.fillChecksum();
        const old = v.ttl;
        v.ttl = ttl;
        v.updateChecksumForTtl(old);
        const incremental = v.checksum;
        v.fillChecksum();
        // Ones'-complement has two zeros: 0x0000 and 0xffff are the same sum.
        expect(incremental === v.checksum || (incremental ^ v.checksum) === 0xffff).toBe(true);
        expect(verifiesTo0xffff(raw, 0, 20)).toBe(true);
      }),
    );
  });

  it('eqn. 3 on one word is the RFC 1624 §4 example', () => {
    // RFC 1624 §4: HC = 0xdd2f, m = 0x5555 -> m' = 0x3285 gives HC' = 0x0000.
    expect(incrementalUpdate16(0xdd2f, 0x5555, 0x3285)).toBe(0x0000);
  });
});

describe('IPv4 codec', () => {
  it('parse and emit are symmetric', () => {
    const h = fromHex('4500003c309f40003f06f4020a01010c0a01020d');
    const r = parseIpv4(h);
    expect(r).toMatchObject({ ttl: 63, protocol: 6, src: '10.1.1.12', dst: '10.1.2.13', id: 0x309f, checksum: 0xf402 });
    expect(emitIpv4(r)).toEqual(h);
  });
});

// ---- L4 checksums over whole packets (wire engineer) -------------------------------------------

import * as A from './arbitraries.js';
import { buildPacket } from './build.js';
import { emitEthernet } from '../../harness/wire/ethernet.js';
import { emitIpv6 } from '../../harness/wire/ipv6.js';
import { emitTcp, TcpView } from '../../harness/wire/tcp.js';
import { emitUdp, UdpView } from '../../harness/wire/udp.js';
import { emitIcmp4, icmp4Echo } from '../../harness/wire/icmp4.js';
import { emitIcmp6, icmp6Echo } from '../../harness/wire/icmp6.js';
import { emitGre } from '../../harness/wire/gre.js';
import {
  incrementalUpdate32,
  incrementalUpdateBytes,
  onesComplementEqual,
  pseudoHeaderSumAt,
  udpIncrementalUpdate16,
  udpIncrementalUpdate32,
  transportChecksum,
} from '../../harness/wire/checksum.js';
import { u32 as readU32 } from '../../harness/wire/bytes.js';
import { dissect, type Layer } from '../../harness/dissect/dissect.js';

const ETH = emitEthernet({ dst: '02:00:00:00:00:02', src: '02:00:00:00:00:01', tags: [], etherType: 0x0800 });
const ETH6 = emitEthernet({ dst: '02:00:00:00:00:02', src: '02:00:00:00:00:01', tags: [], etherType: 0x86dd });

const ip4Header = (protocol: number) =>
  A.ipv4.map((r) => emitIpv4({ ...r, protocol, flags: r.flags & 0x4000, fragmentOffset: 0 }, undefined, 0, { keepChecksum: true }));
const ip6Header = (nextHeader: number) => A.ipv6.map((r) => emitIpv6({ ...r, nextHeader }));

function checksumLayers(layers: Layer[]): Layer[] {
  return layers.filter((l) => 'checksum' in l.fields || 'checksum_valid' in l.fields);
}

describe('L4 checksum helpers', () => {
  it('incremental port + address updates (NAT) equal a full recompute, TCP over IPv4', () => {
    fc.assert(
      fc.property(ip4Header(6), A.tcp, A.bytes(0, 40), A.u16, A.u32, (ip, tcp, payload, newPort, newAddr) => {
        const p = buildPacket([ETH, ip, emitTcp(tcp), payload]);
        const b = p.data;
        const t = new TcpView(b, 14 + ip.length);
        const l4len = b.length - t.off;
        // Source NAT: source address and port change; the TCP checksum follows both (pseudo-header).
        const oldAddr = readU32(b, 26);
        const oldPort = t.srcPort;
        b[26] = newAddr >>> 24;
        b[27] = (newAddr >>> 16) & 255;
        b[28] = (newAddr >>> 8) & 255;
        b[29] = newAddr & 255;
        t.srcPort = newPort;
        const inc = incrementalUpdate16(incrementalUpdate32(t.checksum, oldAddr, newAddr), oldPort, newPort);
        const full = t.computeChecksum(l4len, pseudoHeaderSumAt(b, 14, 6, l4len));
        expect(onesComplementEqual(inc, full)).toBe(true);
        t.checksum = inc;
        expect(t.checksumValid(l4len, pseudoHeaderSumAt(b, 14, 6, l4len))).toBe(true);
      }),
    );
  });

  it('incremental IPv6 address update equals a full recompute, UDP over IPv6 (never 0)', () => {
    fc.assert(
      fc.property(ip6Header(17), A.udp, A.bytes(0, 40), A.bytes(16, 16), (ip, udp, payload, newDst) => {
        const p = buildPacket([ETH6, ip, emitUdp(udp), payload]);
        const b = p.data;
        const u = new UdpView(b, 54);
        const oldDst = b.slice(38, 54);
        b.set(newDst, 38);
        let inc = incrementalUpdateBytes(u.checksum, oldDst, newDst);
        if (inc === 0) inc = 0xffff;
        const full = u.computeChecksum(u.length, pseudoHeaderSumAt(b, 14, 17, u.length));
        expect(full).not.toBe(0);
        expect(onesComplementEqual(inc, full)).toBe(true);
        u.checksum = inc;
        expect(u.checksumStatus(u.length, pseudoHeaderSumAt(b, 14, 17, u.length), true)).toBe('valid');
      }),
    );
  });

  it('UDP incremental update keeps "no checksum" (0) and never produces 0', () => {
    fc.assert(
      fc.property(A.u16, A.u16, A.u16, A.u32, A.u32, (hc, o, n, o32, n32) => {
        expect(udpIncrementalUpdate16(0, o, n)).toBe(0);
        expect(udpIncrementalUpdate32(0, o32, n32)).toBe(0);
        if (hc !== 0) {
          expect(udpIncrementalUpdate16(hc, o, n)).not.toBe(0);
          expect(onesComplementEqual(udpIncrementalUpdate16(hc, o, n), incrementalUpdate16(hc, o, n))).toBe(true);
        }
      }),
    );
  });

  it('a computed UDP checksum of 0 is sent as 0xffff (RFC 768)', () => {
    // Data whose sum is 0xffff: its checksum is 0, which UDP must send as 0xffff; TCP sends 0.
    const b = fromHex('fffe0001');
    expect(transportChecksum(b, 0, 4, 0, false)).toBe(0);
    expect(transportChecksum(b, 0, 4, 0, true)).toBe(0xffff);
  });

  it('every emitted packet has valid checksums (IPv4/IPv6, TCP/UDP/ICMP, GRE with checksum)', () => {
    const packet = fc.oneof(
      fc.tuple(ip4Header(6), A.tcp, A.bytes(0, 30)).map(([ip, t, pl]) => buildPacket([ETH, ip, emitTcp(t), pl])),
      fc.tuple(ip4Header(17), A.udp, A.bytes(0, 30)).map(([ip, u, pl]) => buildPacket([ETH, ip, emitUdp({ ...u, dstPort: 53, srcPort: 53 }), pl])),
      fc.tuple(ip4Header(1), A.u16, A.bytes(0, 30)).map(([ip, id, pl]) => buildPacket([ETH, ip, emitIcmp4(icmp4Echo(8, id, 1, pl))])),
      fc.tuple(ip6Header(6), A.tcp, A.bytes(0, 30)).map(([ip, t, pl]) => buildPacket([ETH6, ip, emitTcp(t), pl])),
      fc.tuple(ip6Header(17), A.udp, A.bytes(0, 30)).map(([ip, u, pl]) => buildPacket([ETH6, ip, emitUdp({ ...u, dstPort: 53, srcPort: 53 }), pl])),
      fc.tuple(ip6Header(58), A.u16).map(([ip, id]) => buildPacket([ETH6, ip, emitIcmp6(icmp6Echo(128, id, 1), undefined, 0, { keepChecksum: true })])),
      fc.tuple(ip4Header(47), ip4Header(17), A.udp).map(([outer, inner, u]) =>
        buildPacket([ETH, outer, emitGre({ checksumPresent: true, keyPresent: true, sequencePresent: false, reserved0: 0, version: 0, protocol: 0x0800, key: 7 }), inner, emitUdp({ ...u, dstPort: 53, srcPort: 53 })]),
      ),
    );
    fc.assert(
      fc.property(packet, (p) => {
        const layers = checksumLayers(dissect(p));
        expect(layers.length).toBeGreaterThan(0);
        for (const l of layers) expect({ layer: l.name, valid: l.fields.checksum_valid }).toEqual({ layer: l.name, valid: true });
        // A stale checksum is caught: flip one bit of the last byte of the packet.
        p.data[p.data.length - 1] ^= 0x80;
        const after = checksumLayers(dissect(p));
        expect(after.some((l) => l.fields.checksum_valid === false)).toBe(true);
      }),
    );
  });

  it('a test can ask for no UDP checksum over IPv4, which is valid there and invalid over IPv6', () => {
    const ip = emitIpv4({ version: 4, headerLength: 20, tos: 0, totalLength: 0, id: 1, flags: 0, fragmentOffset: 0, ttl: 64, protocol: 17, checksum: 0, src: '10.0.0.1', dst: '10.0.0.2', options: new Uint8Array(0) });
    const p = buildPacket([ETH, ip, emitUdp({ srcPort: 1, dstPort: 2, length: 0, checksum: 0 })], 1, { udpZeroChecksum4: true });
    const udp = dissect(p).find((l) => l.name === 'udp')!;
    expect(udp.fields).toMatchObject({ checksum: 0, checksum_status: 'none' });
    expect('checksum_valid' in udp.fields).toBe(false);
    const ip6 = emitIpv6({ version: 6, trafficClass: 0, flowLabel: 0, payloadLength: 0, nextHeader: 17, hopLimit: 64, src: '2001:db8::1', dst: '2001:db8::2' });
    const p6 = buildPacket([ETH6, ip6, emitUdp({ srcPort: 1, dstPort: 2, length: 0, checksum: 0 })]);
    new UdpView(p6.data, 54).checksum = 0;
    expect(dissect(p6).find((l) => l.name === 'udp')!.fields).toMatchObject({ checksum_status: 'zero-over-ipv6', checksum_valid: false });
  });
});
