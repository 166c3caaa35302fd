// The dissector: every link type and protocol it walks, partial packets (known bytes, truncated
// captures), ICMP quotes, and that it never throws on arbitrary bytes.

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { buildPacket } from '../wire/build.js';
import { dissect, type Layer } from '../../harness/dissect/dissect.js';
import { matchesAll, parseFilter } from '../../harness/dissect/filter.js';
import { packetLine } from '../../harness/dissect/render.js';
import { LinkType, type Packet } from '../../harness/wire/packet.js';
import { KnownBytes } from '../../harness/wire/known.js';
import { concat } from '../../harness/wire/bytes.js';
import { emitEthernet } from '../../harness/wire/ethernet.js';
import { emitIpv4, type Ipv4Repr } from '../../harness/wire/ipv4.js';
import { emitIpv6, type Ipv6Repr } from '../../harness/wire/ipv6.js';
import { emitIpv6Fragment, emitIpv6Options } from '../../harness/wire/ipv6-ext.js';
import { emitTcp, type TcpRepr } from '../../harness/wire/tcp.js';
import { emitUdp } from '../../harness/wire/udp.js';
import { emitIcmp4, icmp4Echo, icmp4Error } from '../../harness/wire/icmp4.js';
import { emitIcmp6, icmp6Error } from '../../harness/wire/icmp6.js';
import { emitVxlan } from '../../harness/wire/vxlan.js';
import { emitGre } from '../../harness/wire/gre.js';
import { emitMpls } from '../../harness/wire/mpls.js';
import { emitSll } from '../../harness/wire/sll.js';
import { emitSll2 } from '../../harness/wire/sll2.js';
import { emitArp } from '../../harness/wire/arp.js';

const eth = (etherType: number, tags: Array<{ tpid: number; vid: number }> = []) =>
  emitEthernet({ dst: '02:00:00:00:00:02', src: '02:00:00:00:00:01', tags: tags.map((t) => ({ ...t, pcp: 0, dei: false })), etherType });
const ip4 = (protocol: number, over: Partial<Ipv4Repr> = {}) =>
  emitIpv4({ version: 4, headerLength: 20, tos: 0, totalLength: 0, id: 7, flags: 0x4000, fragmentOffset: 0, ttl: 64, protocol, checksum: 0, src: '10.0.0.1', dst: '10.0.0.2', options: new Uint8Array(0), ...over });
const ip6 = (nextHeader: number, over: Partial<Ipv6Repr> = {}) =>
  emitIpv6({ version: 6, trafficClass: 0, flowLabel: 0x12345, payloadLength: 0, nextHeader, hopLimit: 64, src: '2001:db8::1', dst: '2001:db8::2', ...over });
const tcpRepr: TcpRepr = { srcPort: 40000, dstPort: 80, seq: 1, ack: 0, headerLength: 24, reserved: 0, flags: 0x02, window: 64240, checksum: 0, urgent: 0, options: [{ kind: 'mss', value: 1460 }] };
const udp = (srcPort: number, dstPort: number) => emitUdp({ srcPort, dstPort, length: 0, checksum: 0 });

const names = (ls: Layer[]) => ls.map((l) => l.name);
const get = (ls: Layer[], name: string, nth = 0) => ls.filter((l) => l.name === name)[nth]!.fields;

describe('dissect walks every supported stack', () => {
  it('Ethernet QinQ / IPv4 / TCP with options', () => {
    const p = buildPacket([eth(0x0800, [{ tpid: 0x88a8, vid: 200 }, { tpid: 0x8100, vid: 100 }]), ip4(6), emitTcp(tcpRepr), new Uint8Array(5)]);
    const ls = dissect(p);
    expect(names(ls)).toEqual(['eth', 'vlan', 'vlan', 'ip4', 'tcp', 'payload']);
    expect(get(ls, 'vlan', 0)).toMatchObject({ tpid: 0x88a8, vid: 200, ether_type: 0x8100 });
    expect(get(ls, 'ip4')).toMatchObject({ ttl: 64, df: true, mf: false, fragment_offset: 0, total_length: 49, checksum_valid: true, src: '10.0.0.1' });
    expect(get(ls, 'tcp')).toMatchObject({ src_port: 40000, dst_port: 80, flag_syn: true, mss: 1460, checksum_valid: true, payload_length: 5 });
  });

  it('VXLAN on UDP 4789 carries an inner Ethernet frame; inner headers are dissected', () => {
    const inner = [eth(0x0800), ip4(17, { ttl: 9, src: '172.16.0.1' }), udp(1, 2)];
    const p = buildPacket([eth(0x0800), ip4(17), udp(49152, 4789), emitVxlan({ flags: 8, reserved1: 0, vni: 5000, reserved2: 0 }), ...inner]);
    const ls = dissect(p);
    expect(names(ls)).toEqual(['eth', 'ip4', 'udp', 'vxlan', 'eth', 'ip4', 'udp']);
    expect(get(ls, 'vxlan')).toMatchObject({ vni: 5000, vni_valid: true });
    expect(get(ls, 'ip4', 1)).toMatchObject({ ttl: 9, checksum_valid: true });
    expect(get(ls, 'udp', 0).checksum_valid).toBe(true);
    expect(matchesAll(ls, [parseFilter('ip4.ttl=9'), parseFilter('vxlan.vni=5000')])).toBe(true);
    expect(matchesAll(ls, [parseFilter('ip4.ttl=10')])).toBe(false);
  });

  it('GRE with checksum, key and sequence over IPv6, carrying MPLS then IPv4', () => {
    const gre = emitGre({ checksumPresent: true, keyPresent: true, sequencePresent: true, reserved0: 0, version: 0, protocol: 0x8847, key: 42, sequence: 7 });
    const mpls = emitMpls([{ label: 100, tc: 1, bottom: false, ttl: 255 }, { label: 200, tc: 2, bottom: true, ttl: 254 }]);
    const p = buildPacket([eth(0x86dd), ip6(47), gre, mpls, ip4(1), emitIcmp4(icmp4Echo(8, 3, 4))]);
    const ls = dissect(p);
    expect(names(ls)).toEqual(['eth', 'ip6', 'gre', 'mpls', 'mpls', 'ip4', 'icmp']);
    expect(get(ls, 'gre')).toMatchObject({ key: 42, sequence: 7, protocol: 0x8847, checksum_valid: true });
    expect(get(ls, 'mpls', 1)).toMatchObject({ label: 200, tc: 2, bos: true, ttl: 254 });
    expect(get(ls, 'icmp')).toMatchObject({ type: 8, id: 3, seq: 4, checksum_valid: true });
    // A payload bit flip: GRE's checksum covers the payload, so it turns invalid too.
    p.data[p.data.length - 1] ^= 1;
    const after = dissect(p);
    expect(get(after, 'gre').checksum_valid).toBe(false);
    expect(get(after, 'icmp').checksum_valid).toBe(false);
  });

  it('MPLS over UDP 6635 and IPv6 extension headers with a first fragment', () => {
    const p = buildPacket([eth(0x0800), ip4(17), udp(1000, 6635), emitMpls([{ label: 16, tc: 0, bottom: true, ttl: 64 }]), ip6(0), emitIpv6Options({ nextHeader: 44, options: [{ type: 1, data: new Uint8Array(4) }] }), emitIpv6Fragment({ nextHeader: 17, reserved: 0, fragmentOffset: 0, res: 0, more: true, id: 0xabcdef }), udp(5, 6)]);
    const ls = dissect(p);
    expect(names(ls)).toEqual(['eth', 'ip4', 'udp', 'mpls', 'ip6', 'ip6.hop', 'ip6.frag', 'udp']);
    expect(get(ls, 'ip6.frag')).toMatchObject({ m: true, fragment_offset: 0, id: 0xabcdef, next_header: 17 });
    // A fragment's L4 checksum covers bytes that are elsewhere: no verdict.
    expect('checksum_valid' in get(ls, 'udp', 1)).toBe(false);
  });

  it('a later IPv4 fragment is payload, not a header', () => {
    const p = buildPacket([eth(0x0800), ip4(17, { flags: 0, fragmentOffset: 3 }), new Uint8Array(16)]);
    const ls = dissect(p);
    expect(names(ls)).toEqual(['eth', 'ip4', 'payload']);
    expect(ls[2].fields).toMatchObject({ fragment: true, length: 16 });
  });

  it('link types: SLL, SLL2, raw (101, 228, 229), ARP', () => {
    const sll = buildPacket([emitSll({ packetType: 4, arphrdType: 1, addressLength: 6, address: Uint8Array.from([2, 0, 0, 0, 0, 1, 0, 0]), protocol: 0x86dd }), ip6(17), udp(1, 2)], LinkType.LINUX_SLL);
    expect(names(dissect(sll))).toEqual(['sll', 'ip6', 'udp']);
    expect(get(dissect(sll), 'sll')).toMatchObject({ address: '02:00:00:00:00:01', protocol: 0x86dd, packet_type: 4 });
    const sll2 = buildPacket([emitSll2({ protocol: 0x0800, reserved: 0, interfaceIndex: 3, arphrdType: 1, packetType: 0, addressLength: 6, address: new Uint8Array(8) }), ip4(6), emitTcp(tcpRepr)], LinkType.LINUX_SLL2);
    expect(names(dissect(sll2))).toEqual(['sll2', 'ip4', 'tcp']);
    expect(get(dissect(sll2), 'sll2').interface_index).toBe(3);
    for (const [lt, parts] of [[101, [ip6(58), emitIcmp6({ type: 128, code: 0, checksum: 0, rest: 0, payload: new Uint8Array(0) }, undefined, 0, { keepChecksum: true })]], [228, [ip4(17), udp(1, 2)]], [229, [ip6(17), udp(1, 2)]], [101, [ip4(17), udp(1, 2)]]] as const) {
      const ls = dissect(buildPacket([...parts], lt));
      expect(ls.every((l) => l.fields.checksum_valid !== false)).toBe(true);
      expect(ls[0].name).toBe(parts[0][0] >> 4 === 4 ? 'ip4' : 'ip6');
    }
    const arp = buildPacket([eth(0x0806), emitArp({ hardwareType: 1, protocolType: 0x800, hardwareLength: 6, protocolLength: 4, operation: 1, senderHardware: '02:00:00:00:00:01', senderProtocol: '10.0.0.1', targetHardware: '00:00:00:00:00:00', targetProtocol: '10.0.0.2' })]);
    expect(get(dissect(arp), 'arp')).toMatchObject({ opcode: 1, sender_proto: '10.0.0.1', target_proto: '10.0.0.2' });
  });
});

describe('ICMP errors quote the original packet', () => {
  it('ICMPv4 time exceeded: quoted IPv4/UDP as nested layers, outer filter unaffected', () => {
    const original = buildPacket([ip4(17, { ttl: 1, src: '192.0.2.10' }), udp(33434, 33435), new Uint8Array(32)], LinkType.IPV4).data;
    const quoted = original.slice(0, 28); // RFC 792: IP header + 64 bits
    const p = buildPacket([eth(0x0800), ip4(1, { ttl: 255 }), emitIcmp4(icmp4Error(11, 0, quoted))]);
    const ls = dissect(p);
    const icmp = ls.find((l) => l.name === 'icmp')!;
    expect(icmp.fields).toMatchObject({ type: 11, code: 0, checksum_valid: true });
    expect(names(icmp.quoted!)).toEqual(['ip4', 'udp']);
    expect(icmp.quoted![0].fields).toMatchObject({ ttl: 1, src: '192.0.2.10', total_length: 60, checksum_valid: true });
    // The quoted UDP datagram is cut: its checksum cannot be judged.
    expect(icmp.quoted![1].fields).toMatchObject({ src_port: 33434, dst_port: 33435 });
    expect('checksum_valid' in icmp.quoted![1].fields).toBe(false);
    expect(matchesAll(ls, [parseFilter('ip4.ttl=1')])).toBe(false);
    expect(matchesAll(ls, [parseFilter('ip.ttl=255'), parseFilter('icmp.type=11')])).toBe(true);
  });

  it('ICMPv6 packet too big carries the MTU and the quoted IPv6 packet', () => {
    const original = buildPacket([ip6(6), emitTcp(tcpRepr)], LinkType.IPV6).data;
    const p = buildPacket([eth(0x86dd), ip6(58, { src: 'fe80::1' }), emitIcmp6(icmp6Error(2, 0, original, { mtu: 1280 }), undefined, 0, { keepChecksum: true })]);
    const ls = dissect(p);
    const icmp6 = ls.find((l) => l.name === 'icmp6')!;
    expect(icmp6.fields).toMatchObject({ type: 2, mtu: 1280, checksum_valid: true });
    // The whole original is quoted here, so even its TCP checksum is verifiable.
    expect(names(icmp6.quoted!)).toEqual(['ip6', 'tcp']);
    expect(icmp6.quoted![1].fields.checksum_valid).toBe(true);
  });
});

describe('ICMP quotes of the RFC 792 minimum (IP header + 8 bytes)', () => {
  // The original datagram, cut to its IP header + 8 bytes, as a router quotes it.
  const quoteOf = (parts: Uint8Array[], lt: number, keep: number) => buildPacket(parts, lt).data.slice(0, keep);
  const tcpQuoteRepr: TcpRepr = { ...tcpRepr, srcPort: 40001, seq: 5, ack: 0x01020304 };

  it('ICMPv4 3/4 quoting IPv4 + 8 bytes of TCP: a partial tcp layer with ports and seq only', () => {
    const quoted = quoteOf([ip4(6), emitTcp(tcpQuoteRepr)], LinkType.IPV4, 28);
    // A non-zero Ethernet trailer after the datagram must not be read as the quoted TCP's ack.
    const frame = buildPacket([eth(0x0800), ip4(1), emitIcmp4(icmp4Error(3, 4, quoted, { mtu: 1400 }))]);
    const p: Packet = { data: concat([frame.data, Uint8Array.from([1, 2, 3, 4, 5, 6])]), meta: frame.meta };
    const icmp = dissect(p).find((l) => l.name === 'icmp')!;
    expect(icmp.fields).toMatchObject({ type: 3, code: 4, mtu: 1400, checksum_valid: true });
    expect(names(icmp.quoted!)).toEqual(['ip4', 'tcp']);
    const tcp = icmp.quoted![1];
    expect({ offset: tcp.offset, length: tcp.length }).toEqual({ offset: 62, length: 8 });
    expect(tcp.fields).toEqual({ src_port: 40001, dst_port: 80, seq: 5 });
  });

  it('ICMPv6 quoting IPv6 + 8 bytes of TCP or of UDP', () => {
    const tcpQuote = quoteOf([ip6(6), emitTcp(tcpQuoteRepr)], LinkType.IPV6, 48);
    const ls = dissect(buildPacket([eth(0x86dd), ip6(58), emitIcmp6(icmp6Error(1, 4, tcpQuote), undefined, 0, { keepChecksum: true })]));
    const icmp6 = ls.find((l) => l.name === 'icmp6')!;
    expect(names(icmp6.quoted!)).toEqual(['ip6', 'tcp']);
    expect(icmp6.quoted![1].fields).toEqual({ src_port: 40001, dst_port: 80, seq: 5 });
    const udpQuote = quoteOf([ip6(17), udp(33434, 33435), new Uint8Array(20)], LinkType.IPV6, 48);
    const u = dissect(buildPacket([eth(0x86dd), ip6(58), emitIcmp6(icmp6Error(3, 0, udpQuote), undefined, 0, { keepChecksum: true })])).find((l) => l.name === 'icmp6')!;
    expect(names(u.quoted!)).toEqual(['ip6', 'udp']);
    expect(u.quoted![1].fields).toMatchObject({ src_port: 33434, dst_port: 33435, length: 28, payload_length: 20 });
    expect('checksum_valid' in u.quoted![1].fields).toBe(false);
  });

  it('fewer than 8 quoted TCP bytes, or a short TCP header outside a quote, stay truncated payload', () => {
    const quoted = quoteOf([ip4(6), emitTcp(tcpQuoteRepr)], LinkType.IPV4, 27);
    const icmp = dissect(buildPacket([eth(0x0800), ip4(1), emitIcmp4(icmp4Error(3, 4, quoted))])).find((l) => l.name === 'icmp')!;
    expect(names(icmp.quoted!)).toEqual(['ip4', 'payload']);
    expect(icmp.quoted![1].fields).toMatchObject({ truncated: 'tcp' });
    const p = buildPacket([eth(0x0800), ip4(6), emitTcp(tcpRepr)]);
    expect(names(dissect({ data: p.data.slice(0, 14 + 20 + 8), meta: p.meta }))).toEqual(['eth', 'ip4', 'payload']);
  });
});

describe('fragments and lengths', () => {
  it('an IPv6 atomic fragment (offset 0, M=0, RFC 6946) is a whole datagram: the UDP checksum is judged', () => {
    const frag = (more: boolean) => emitIpv6Fragment({ nextHeader: 17, reserved: 0, fragmentOffset: 0, res: 0, more, id: 0x1234 });
    const atomic = dissect(buildPacket([eth(0x86dd), ip6(44), frag(false), udp(5, 6), new Uint8Array(4)]));
    expect(get(atomic, 'udp')).toMatchObject({ checksum_valid: true, checksum_status: 'valid' });
    const first = dissect(buildPacket([eth(0x86dd), ip6(44), frag(true), udp(5, 6), new Uint8Array(4)]));
    expect('checksum_valid' in get(first, 'udp')).toBe(false);
  });

  it('TCP and UDP payload lengths come from the IP length, not from the captured bytes (tcpdump "length 48")', () => {
    const t = buildPacket([eth(0x0800), ip4(6), emitTcp(tcpRepr), new Uint8Array(48)]);
    const tcp = get(dissect({ data: t.data.slice(0, 14 + 20 + 24 + 10), meta: t.meta }), 'tcp');
    expect(tcp.payload_length).toBe(48);
    expect('checksum_valid' in tcp).toBe(false);
    const u = buildPacket([eth(0x86dd), ip6(17), udp(1, 2), new Uint8Array(100)]);
    expect(get(dissect(u), 'udp').payload_length).toBe(100);
    expect(get(dissect({ data: u.data.slice(0, 14 + 40 + 8 + 3), meta: u.meta }), 'udp').payload_length).toBe(100);
  });
});

describe('partial packets', () => {
  const full = () => buildPacket([eth(0x0800), ip4(6), emitTcp(tcpRepr)]);

  it('a truncated capture keeps the headers it has and judges no checksum it cannot see', () => {
    const p = full();
    const cut: Packet = { data: p.data.slice(0, 44), meta: { ...p.meta, origLength: p.data.length } };
    const ls = dissect(cut);
    // The capture cut the TCP header after 10 bytes: its ports and sequence number are stated (who the
    // packet is), the cut still marked; no checksum verdict.
    expect(names(ls)).toEqual(['eth', 'ip4', 'tcp', 'payload']);
    expect(get(ls, 'ip4').checksum_valid).toBe(true);
    expect(get(ls, 'tcp')).toEqual({ src_port: 40000, dst_port: 80, seq: 1 });
    expect(ls[3]).toMatchObject({ offset: 44, length: 0, fields: { truncated: 'tcp' } });
    const cut2: Packet = { data: p.data.slice(0, 56), meta: p.meta };
    const tcp = get(dissect(cut2), 'tcp');
    expect(tcp.src_port).toBe(40000);
    expect('checksum_valid' in tcp).toBe(false);
  });

  // tcpdump -s 50 on TCP/IPv4/Ethernet keeps 16 of the 20 bytes of the fixed TCP header: what it kept
  // says whose packet it is (diff and check find its twin by its ports), and inspect --filter finds it.
  const cutAt = (p: Packet, snaplen: number): Packet => ({ data: p.data.slice(0, snaplen), meta: { ...p.meta, origLength: p.data.length } });

  it('a fixed TCP, UDP or ICMP header the capture cut: the fields it captured, the cut marked', () => {
    const tcp = dissect(cutAt(buildPacket([eth(0x0800), ip4(6), emitTcp(tcpRepr), new Uint8Array(100)]), 50));
    expect(names(tcp)).toEqual(['eth', 'ip4', 'tcp', 'payload']);
    expect(tcp[2]).toMatchObject({ offset: 34, length: 16 });
    expect(get(tcp, 'tcp')).toMatchObject({ src_port: 40000, dst_port: 80, seq: 1, ack: 0, header_length: 24, flag_syn: true, window: 64240 });
    expect(['checksum', 'urgent', 'checksum_valid', 'payload_length', 'mss'].filter((k) => k in get(tcp, 'tcp'))).toEqual([]);
    expect(tcp[3]).toMatchObject({ offset: 50, length: 0, fields: { truncated: 'tcp' } });
    expect(matchesAll(tcp, [parseFilter('tcp.src_port=40000'), parseFilter('tcp.flag_syn=true')])).toBe(true);
    expect(matchesAll(tcp, [parseFilter('tcp.urgent=0')])).toBe(false);

    const udpLs = dissect(cutAt(buildPacket([eth(0x0800), ip4(17), udp(5353, 53), new Uint8Array(30)]), 14 + 20 + 6));
    expect(names(udpLs)).toEqual(['eth', 'ip4', 'udp', 'payload']);
    expect(get(udpLs, 'udp')).toEqual({ src_port: 5353, dst_port: 53, length: 38 });
    expect(udpLs[3].fields).toEqual({ length: 0, truncated: 'udp' });
    expect(matchesAll(udpLs, [parseFilter('udp.dst_port=53')])).toBe(true);

    const echo = dissect(cutAt(buildPacket([eth(0x0800), ip4(1), emitIcmp4(icmp4Echo(8, 3, 4, new Uint8Array(56)))]), 14 + 20 + 6));
    expect(names(echo)).toEqual(['eth', 'ip4', 'icmp', 'payload']);
    expect(echo[2]).toMatchObject({ offset: 34, length: 6 });
    expect(get(echo, 'icmp')).toMatchObject({ type: 8, code: 0, id: 3 });
    expect(['seq', 'checksum_valid'].filter((k) => k in get(echo, 'icmp'))).toEqual([]);
    expect(echo[3].fields).toEqual({ length: 0, truncated: 'icmp' });
  });

  it("inspect's line of a cut header says what was captured, nothing undefined", () => {
    const line = (p: Packet, snaplen: number) => {
      const cut = cutAt(p, snaplen);
      return packetLine(cut, dissect(cut)).replace(/^.*?: /, '');
    };
    const syn = buildPacket([eth(0x0800), ip4(6), emitTcp(tcpRepr), new Uint8Array(100)]);
    expect(line(syn, 50)).toBe(`Flags [S], seq 1, ack 0, win 64240, length ? [|tcp] [|caplen 50 of ${syn.data.length}]`);
    expect(line(syn, 38)).toBe(`length ? [|tcp] [|caplen 38 of ${syn.data.length}]`);
    const u = buildPacket([eth(0x0800), ip4(17), udp(5353, 53), new Uint8Array(30)]);
    expect(line(u, 14 + 20 + 6)).toBe(`UDP, length 30 [|udp] [|caplen 40 of ${u.data.length}]`);
    const echo = buildPacket([eth(0x0800), ip4(1), emitIcmp4(icmp4Echo(8, 3, 4, new Uint8Array(56)))]);
    expect(line(echo, 14 + 20 + 6)).toMatch(/^ICMP type 8 code 0, id 3, cksum 0x[0-9a-f]{4} \(unverified\) \[\|icmp\] \[\|caplen 40 of 98\]$/);
  });

  it('a header cut before a port or type, or by a short IP length rather than the capture, stays truncated payload', () => {
    const p = buildPacket([eth(0x0800), ip4(6), emitTcp(tcpRepr)]);
    expect(dissect(cutAt(p, 35)).slice(2)).toEqual([{ name: 'payload', offset: 34, length: 1, fields: { length: 1, truncated: 'tcp' } }]);
    // Not cut by the capture (no original length past it): the header itself is short.
    expect(names(dissect({ data: p.data.slice(0, 50), meta: p.meta }))).toEqual(['eth', 'ip4', 'payload']);
  });

  it('unknown bytes (a packet rebuilt from a trace) yield no fields and no verdicts', () => {
    const p = full();
    p.known = new KnownBytes(p.data.length);
    p.known.mark(0, 34); // Ethernet + IPv4 header only
    p.known.forget(22, 1); // ...but not the TTL
    const ls = dissect(p);
    const ip = get(ls, 'ip4');
    expect('ttl' in ip).toBe(false);
    expect('checksum_valid' in ip).toBe(false);
    expect(ip.src).toBe('10.0.0.1');
    const tcp = get(ls, 'tcp');
    expect(Object.keys(tcp)).toEqual([]);
    p.known.mark(22, 1);
    expect(get(dissect(p), 'ip4')).toMatchObject({ ttl: 64, checksum_valid: true });
  });
});

describe('robustness', () => {
  it('never throws on arbitrary bytes and keeps layers inside the packet', () => {
    fc.assert(
      fc.property(fc.constantFrom(1, 101, 113, 228, 229, 276, 999), fc.uint8Array({ maxLength: 200 }), fc.integer({ min: 0, max: 3 }), (lt, data, seed) => {
        // Steer some inputs into deeper layers by planting plausible type words.
        if (lt === 1 && data.length > 14 && seed > 0) {
          data[12] = [0x08, 0x86, 0x81][seed - 1];
          data[13] = [0x00, 0xdd, 0x00][seed - 1];
          if (data.length > 15 && seed === 1) data[14] = 0x45;
          if (data.length > 15 && seed === 2) data[14] = 0x60;
        }
        const ls = dissect({ data, meta: { linkType: lt } });
        const check = (list: Layer[]) => {
          for (const l of list) {
            expect(l.offset).toBeGreaterThanOrEqual(0);
            expect(l.offset).toBeLessThanOrEqual(data.length);
            if (l.quoted) check(l.quoted);
          }
        };
        check(ls);
        JSON.stringify(ls);
      }),
      { numRuns: 2000 },
    );
  });

  it('filter terms must be LAYER.FIELD=VALUE', () => {
    expect(() => parseFilter('ttl')).toThrow(/LAYER.FIELD=VALUE/);
    expect(parseFilter('ip6.frag.m=true')).toMatchObject({ layers: ['ip6.frag'], field: 'm', value: 'true' });
  });
});
