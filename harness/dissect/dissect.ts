// Dissection: a packet's bytes as a list of layers with named fields, walked from the link type.
// Used by `dpconform inspect` and compared by the oracle suite against `tshark -T json`. Models do
// not use it (they work on views); it favours completeness over speed, but stays allocation-light.
//
// Rules:
//  - a layer appears when its fixed header is captured - or, a TCP/UDP/ICMP header the capture cut
//    (tcpdump -s) or an ICMP error quotes in part, with the fields it has; a field appears only when
//    its bytes are captured and known (packet.known), so a partial packet from a trace never shows
//    invented values;
//  - a checksum gets `checksum_valid` only when every byte it covers is there and known and the
//    datagram is not a fragment; otherwise the flag is absent;
//  - ICMP/ICMPv6 errors carry the quoted packet in `Layer.quoted`;
//  - bytes that no header explains end in one 'payload' layer (with `truncated: <protocol>` when a
//    header was cut by the capture length).

import type { Packet } from '../wire/packet.js';
import { LinkType } from '../wire/packet.js';
import { u16, hex } from '../wire/bytes.js';
import { ip6ToString, macToString } from '../wire/address.js';
import { pseudoHeaderSum4, pseudoHeaderSum6 } from '../wire/checksum.js';
import { WireError } from '../wire/wire-error.js';
import { EtherType, ETHERNET_HEADER_LEN, VLAN_TAG_LEN, isVlanTpid } from '../wire/ethernet.js';
import { ArpView, ARP_FIXED_LEN } from '../wire/arp.js';
import { Ipv4View, IpProtocol, IPV4_MIN_HEADER_LEN } from '../wire/ipv4.js';
import { Ipv6View, IPV6_HEADER_LEN } from '../wire/ipv6.js';
import { Ipv6FragmentView, Ipv6RoutingView, parseIpv6Options } from '../wire/ipv6-ext.js';
import { walkIpv6Chain } from '../wire/ipv6-chain.js';
import { Icmp4View, ICMP4_HEADER_LEN, icmp4HasIdSeq, isIcmp4Error } from '../wire/icmp4.js';
import { Icmp6View, ICMP6_HEADER_LEN, icmp6HasIdSeq, isIcmp6Error } from '../wire/icmp6.js';
import { IcmpHeaderView, ICMP_HEADER_LEN } from '../wire/icmp-header.js';
import { TcpView, TCP_MIN_HEADER_LEN, parseTcpOptions, type TcpOption } from '../wire/tcp.js';
import { UdpView, UDP_HEADER_LEN, UdpPort } from '../wire/udp.js';
import { VxlanView, VXLAN_HEADER_LEN } from '../wire/vxlan.js';
import { GreView, GRE_MIN_HEADER_LEN } from '../wire/gre.js';
import { MplsEntryView, MPLS_ENTRY_LEN } from '../wire/mpls.js';
import { SllView, SLL_HEADER_LEN } from '../wire/sll.js';
import { Sll2View, SLL2_HEADER_LEN } from '../wire/sll2.js';
import type { FieldValue, Layer } from './layer.js';
import { cutAt, frameLength } from '../io/frame-length.js';
import type { LayerFields, LayerName } from './fields.js';

export type { FieldValue, Layer, LayerName } from './layer.js';

/** Where the enclosing IP header is, for pseudo-headers and for "is every byte there". */
interface IpContext {
  version: 4 | 6;
  /** Offsets of the addresses used in the pseudo-header (IPv6: final destination). */
  srcOff: number;
  dstOff: number;
  /** A fragment: the L4 checksum covers bytes that are not in this packet. */
  fragment: boolean;
  /** The IP length says bytes exist beyond the captured data. */
  cut: boolean;
  /**
   * Where the datagram ends by its IP length (may lie past the captured data): payload lengths are
   * taken from it, as tcpdump's "length N" and tshark's tcp.len are, not from the captured bytes.
   */
  claimedEnd: number;
}

export function dissect(packet: Packet): Layer[] {
  return new Dissector(packet).run();
}

/**
 * An ICMP error need quote only the IP header + 64 bits of the original (RFC 792; RFC 1812 §4.3.2.3
 * asks for more, many routers still send the minimum): for TCP that is ports + sequence number.
 */
const ICMP_QUOTE_MIN_L4 = 8;

class Dissector {
  readonly b: Uint8Array;
  /** > 0 while walking the packet quoted by an ICMP error. */
  quoteDepth = 0;
  constructor(readonly packet: Packet) {
    this.b = packet.data;
  }

  /** True when [off, off+len) is captured and known. */
  has(off: number, len: number): boolean {
    if (off < 0 || off + len > this.b.length) return false;
    return this.packet.known ? this.packet.known.has(off, len) : true;
  }

  run(): Layer[] {
    const out: Layer[] = [];
    // A declared FCS is not dissected (as tshark: eth.fcs, not payload or trailer).
    const end = frameLength(this.packet);
    switch (this.packet.meta.linkType) {
      case LinkType.ETHERNET:
        this.ethernet(0, end, out);
        break;
      case LinkType.RAW:
        this.ipByVersion(0, end, out);
        break;
      case LinkType.IPV4:
        this.ip4(0, end, out);
        break;
      case LinkType.IPV6:
        this.ip6(0, end, out);
        break;
      case LinkType.LINUX_SLL:
        this.sll(0, end, out);
        break;
      case LinkType.LINUX_SLL2:
        this.sll2(0, end, out);
        break;
      default:
        this.payload(0, end, out, { link_type_unknown: this.packet.meta.linkType });
    }
    return out;
  }

  /** A new layer on `out`. Its fields are typed by fields.ts, so only a declared field of its kind can be set. */
  layer<Name extends LayerName>(out: Layer[], name: Name, offset: number, length: number): LayerFields<Name> {
    const fields: Record<string, FieldValue> = {};
    out.push({ name, offset, length, fields });
    return fields as LayerFields<Name>;
  }

  payload(off: number, end: number, out: Layer[], extra: LayerFields<'payload'> = {}): void {
    if (end - off <= 0 && Object.keys(extra).length === 0) return;
    const f = this.layer(out, 'payload', off, Math.max(0, end - off));
    f.length = Math.max(0, end - off);
    Object.assign(f, extra);
  }

  /** True when [off, off+len) lies before `end` and is captured and known. */
  hasBefore(off: number, len: number, end: number): boolean {
    return off + len <= end && this.has(off, len);
  }

  /**
   * A fixed header of `len` bytes at `off` that the capture cut (tcpdump -s: the frame's captured
   * bytes end at `end`, inside it), with at least a port's or a type's bytes: its fields are stated as
   * far as they are captured (the ports say whose packet it is), the cut marked by an empty payload
   * `truncated: <protocol>` as `fits` marks it. Not a datagram the IP length says is short (malformed).
   */
  cutInside(off: number, len: number, end: number): boolean {
    return end - off < len && end - off >= 2 && cutAt(this.packet) === end;
  }

  /** A header that does not fit: the rest is payload marked with what was cut. */
  fits(off: number, len: number, end: number, what: string, out: Layer[]): boolean {
    if (end - off >= len) return true;
    this.payload(off, end, out, { truncated: what });
    return false;
  }

  // ---- link layers -------------------------------------------------------------------------

  ethernet(off: number, end: number, out: Layer[]): void {
    if (!this.fits(off, ETHERNET_HEADER_LEN, end, 'eth', out)) return;
    const f = this.layer(out, 'eth', off, ETHERNET_HEADER_LEN);
    this.mac(f, 'dst', off);
    this.mac(f, 'src', off + 6);
    if (!this.has(off + 12, 2)) return this.payload(off + 14, end, out);
    const type = u16(this.b, off + 12);
    f.ether_type = type;
    this.etherType(type, off + ETHERNET_HEADER_LEN, end, out);
  }

  mac<Name extends string>(f: { [F in Name]?: string }, name: Name, off: number): void {
    if (this.has(off, 6)) f[name] = macToString(this.b, off);
  }

  /** Dispatch on an EtherType whose payload starts at `off`. A TPID means a tag (TCI + type) is next. */
  etherType(type: number, off: number, end: number, out: Layer[]): void {
    if (isVlanTpid(type)) return this.vlan(type, off, end, out);
    switch (type) {
      case EtherType.IPV4:
        return this.ip4(off, end, out);
      case EtherType.IPV6:
        return this.ip6(off, end, out);
      case EtherType.ARP:
        return this.arp(off, end, out);
      case EtherType.MPLS:
      case EtherType.MPLS_MULTICAST:
        return this.mpls(off, end, out);
      case EtherType.TEB:
        return this.ethernet(off, end, out);
      default:
        return this.payload(off, end, out);
    }
  }

  vlan(tpid: number, off: number, end: number, out: Layer[]): void {
    if (!this.fits(off, VLAN_TAG_LEN, end, 'vlan', out)) return;
    const f = this.layer(out, 'vlan', off, VLAN_TAG_LEN);
    f.tpid = tpid;
    if (this.has(off, 2)) {
      const tci = u16(this.b, off);
      f.pcp = tci >> 13;
      f.dei = (tci & 0x1000) !== 0;
      f.vid = tci & 0x0fff;
    }
    if (!this.has(off + 2, 2)) return this.payload(off + VLAN_TAG_LEN, end, out);
    const next = u16(this.b, off + 2);
    f.ether_type = next;
    this.etherType(next, off + VLAN_TAG_LEN, end, out);
  }

  sll(off: number, end: number, out: Layer[]): void {
    if (!this.fits(off, SLL_HEADER_LEN, end, 'sll', out)) return;
    const v = new SllView(this.b, off);
    const f = this.layer(out, 'sll', off, SLL_HEADER_LEN);
    if (this.has(off, 6)) {
      f.packet_type = v.packetType;
      f.arphrd_type = v.arphrdType;
      f.address_length = v.addressLength;
    }
    if (this.has(off + 6, 8)) f.address = v.addressText;
    if (!this.has(off + 14, 2)) return this.payload(v.payloadOffset, end, out);
    f.protocol = v.protocol;
    this.cookedProtocol(v.protocol, v.payloadOffset, end, out);
  }

  sll2(off: number, end: number, out: Layer[]): void {
    if (!this.fits(off, SLL2_HEADER_LEN, end, 'sll2', out)) return;
    const v = new Sll2View(this.b, off);
    const f = this.layer(out, 'sll2', off, SLL2_HEADER_LEN);
    if (this.has(off + 4, 8)) {
      f.interface_index = v.interfaceIndex;
      f.arphrd_type = v.arphrdType;
      f.packet_type = v.packetType;
      f.address_length = v.addressLength;
    }
    if (this.has(off + 12, 8)) f.address = v.addressText;
    if (!this.has(off, 2)) return this.payload(v.payloadOffset, end, out);
    f.protocol = v.protocol;
    this.cookedProtocol(v.protocol, v.payloadOffset, end, out);
  }

  /** Cooked captures carry an EtherType, except below 0x0600 (802.3 framing kinds, left as payload). */
  cookedProtocol(protocol: number, off: number, end: number, out: Layer[]): void {
    if (protocol < 0x0600) return this.payload(off, end, out);
    this.etherType(protocol, off, end, out);
  }

  arp(off: number, end: number, out: Layer[]): void {
    if (!this.fits(off, ARP_FIXED_LEN, end, 'arp', out)) return;
    const v = new ArpView(this.b, off);
    const len = v.length;
    if (!this.fits(off, len, end, 'arp', out)) return;
    const f = this.layer(out, 'arp', off, len);
    if (this.has(off, 8)) {
      f.hardware_type = v.hardwareType;
      f.protocol_type = v.protocolType;
      f.hardware_size = v.hardwareLength;
      f.protocol_size = v.protocolLength;
      f.opcode = v.operation;
    }
    const hl = v.hardwareLength;
    const pl = v.protocolLength;
    if (this.has(v.senderHardwareOffset, hl)) f.sender_hw = v.senderHardware;
    if (this.has(v.senderProtocolOffset, pl)) f.sender_proto = v.senderProtocol;
    if (this.has(v.targetHardwareOffset, hl)) f.target_hw = v.targetHardware;
    if (this.has(v.targetProtocolOffset, pl)) f.target_proto = v.targetProtocol;
    this.payload(off + len, end, out);
  }

  // ---- network layers ----------------------------------------------------------------------

  ipByVersion(off: number, end: number, out: Layer[]): void {
    if (!this.fits(off, 1, end, 'ip', out)) return;
    const version = this.b[off] >> 4;
    if (version === 4) return this.ip4(off, end, out);
    if (version === 6) return this.ip6(off, end, out);
    this.payload(off, end, out);
  }

  ip4(off: number, end: number, out: Layer[]): void {
    if (!this.fits(off, IPV4_MIN_HEADER_LEN, end, 'ip4', out)) return;
    const v = new Ipv4View(this.b, off);
    const hl = v.headerLength;
    const known0 = this.has(off, 1);
    const f = this.layer(out, 'ip4', off, known0 ? hl : IPV4_MIN_HEADER_LEN);
    if (known0) {
      f.version = v.version;
      f.header_length = hl;
    }
    if (this.has(off + 1, 1)) {
      f.tos = v.tos;
      f.dscp = v.tos >> 2;
      f.ecn = v.tos & 3;
    }
    if (this.has(off + 2, 2)) f.total_length = v.totalLength;
    if (this.has(off + 4, 2)) f.id = v.id;
    if (this.has(off + 6, 2)) {
      f.flags = v.flags >> 13;
      f.df = v.dontFragment;
      f.mf = v.moreFragments;
      f.fragment_offset = v.fragmentOffset;
    }
    if (this.has(off + 8, 1)) f.ttl = v.ttl;
    if (this.has(off + 9, 1)) f.protocol = v.protocol;
    if (this.has(off + 10, 2)) f.checksum = v.checksum;
    if (this.has(off + 12, 4)) f.src = v.src;
    if (this.has(off + 16, 4)) f.dst = v.dst;
    if (!known0 || hl < IPV4_MIN_HEADER_LEN) {
      if (known0) f.bad_header_length = true;
      return this.payload(off + IPV4_MIN_HEADER_LEN, end, out);
    }
    if (end - off < hl) return this.payload(off + IPV4_MIN_HEADER_LEN, end, out, { truncated: 'ip4.options' });
    if (hl > IPV4_MIN_HEADER_LEN && this.has(off + IPV4_MIN_HEADER_LEN, hl - IPV4_MIN_HEADER_LEN)) {
      f.options = hex(this.b, off + IPV4_MIN_HEADER_LEN, hl - IPV4_MIN_HEADER_LEN);
    }
    if (this.has(off, hl)) f.checksum_valid = v.checksumValid();
    // Walking on needs the length, the fragment word and the protocol (not the TTL or checksum).
    if (!this.has(off + 2, 2) || !this.has(off + 6, 2) || !this.has(off + 9, 1)) return this.payload(off + hl, end, out);
    // The datagram ends where the IP length says (Ethernet padding is not ours), or at the capture end.
    const claimed = v.totalLength >= hl ? off + v.totalLength : end;
    const ipEnd = Math.min(claimed, end);
    const ctx: IpContext = { version: 4, srcOff: off + 12, dstOff: off + 16, fragment: v.isFragment, cut: claimed > end, claimedEnd: claimed };
    if (v.fragmentOffset !== 0) return this.payload(off + hl, ipEnd, out, { fragment: true });
    this.ipPayload(v.protocol, off + hl, ipEnd, ctx, out);
  }

  ip6(off: number, end: number, out: Layer[]): void {
    if (!this.fits(off, IPV6_HEADER_LEN, end, 'ip6', out)) return;
    const v = new Ipv6View(this.b, off);
    const f = this.layer(out, 'ip6', off, IPV6_HEADER_LEN);
    if (this.has(off, 4)) {
      f.version = v.version;
      f.traffic_class = v.trafficClass;
      f.flow_label = v.flowLabel;
    }
    if (this.has(off + 4, 2)) f.payload_length = v.payloadLength;
    if (this.has(off + 6, 1)) f.next_header = v.nextHeader;
    if (this.has(off + 7, 1)) f.hop_limit = v.hopLimit;
    if (this.has(off + 8, 16)) f.src = v.src;
    if (this.has(off + 24, 16)) f.dst = v.dst;
    if (!this.has(off + 4, 3)) return this.payload(off + IPV6_HEADER_LEN, end, out);
    // Payload length 0 with a hop-by-hop header is a jumbogram (RFC 2675): take the captured end.
    const claimed = v.payloadLength === 0 ? end : off + IPV6_HEADER_LEN + v.payloadLength;
    const ipEnd = Math.min(claimed, end);
    const ctx: IpContext = { version: 6, srcOff: off + 8, dstOff: off + 24, fragment: false, cut: claimed > end, claimedEnd: claimed };
    let chain;
    try {
      chain = walkIpv6Chain(this.b, v.nextHeader, off + IPV6_HEADER_LEN, ipEnd, (nh, hoff, hlen) => {
        this.ip6Extension(nh, hoff, hlen, ctx, out);
      });
    } catch (e) {
      if (!(e instanceof WireError) || e.offset === undefined) throw e;
      return this.payload(e.offset, ipEnd, out, { truncated: 'ip6.ext' });
    }
    if (chain.isLaterFragment) return this.payload(chain.offset, ipEnd, out, { fragment: true });
    this.ipPayload(chain.protocol, chain.offset, ipEnd, ctx, out);
  }

  ip6Extension(nh: number, off: number, len: number, ctx: IpContext, out: Layer[]): void {
    if (nh === IpProtocol.IPV6_FRAG) {
      const f = this.layer(out, 'ip6.frag', off, len);
      if (!this.has(off, len)) return;
      f.next_header = this.b[off];
      const fv = new Ipv6FragmentView(this.b, off);
      f.fragment_offset = fv.fragmentOffset;
      f.m = fv.more;
      f.id = fv.id;
      f.reserved = fv.reserved;
      // An atomic fragment (offset 0, M=0, RFC 6946) is the whole datagram: its checksums are judged.
      if (fv.fragmentOffset !== 0 || fv.more) ctx.fragment = true;
      return;
    }
    if (nh === IpProtocol.IPV6_ROUTE) {
      const f = this.layer(out, 'ip6.route', off, len);
      if (!this.has(off, len)) return;
      f.next_header = this.b[off];
      f.length = this.b[off + 1];
      const rv = new Ipv6RoutingView(this.b, off);
      f.type = rv.routingType;
      f.segments_left = rv.segmentsLeft;
      // Type 0 (deprecated) and 4 (SRH) carry 16-byte addresses; the pseudo-header uses the final
      // destination while segments are left (RFC 8200 §8.1): type 0's last address, SRH's first.
      if ((rv.routingType === 0 || rv.routingType === 4) && rv.addressCount > 0) {
        const addrs: FieldValue[] = [];
        for (let i = 0; i < rv.addressCount; i++) addrs.push(ip6ToString(this.b, rv.addressOffset(i)));
        f.addresses = addrs;
        if (rv.segmentsLeft > 0) ctx.dstOff = rv.addressOffset(rv.routingType === 0 ? rv.addressCount - 1 : 0);
      }
      return;
    }
    const f = this.layer(out, nh === IpProtocol.HOPOPT ? 'ip6.hop' : 'ip6.dest', off, len);
    if (!this.has(off, len)) return;
    f.next_header = this.b[off];
    f.length = this.b[off + 1];
    try {
      f.options = parseIpv6Options(this.b, off).options.map((o) => ({ type: o.type, length: o.data.length }));
    } catch (e) {
      if (!(e instanceof WireError)) throw e;
      f.options_error = e.message;
    }
  }

  ipPayload(protocol: number, off: number, end: number, ctx: IpContext, out: Layer[]): void {
    switch (protocol) {
      case IpProtocol.TCP:
        return this.tcp(off, end, ctx, out);
      case IpProtocol.UDP:
        return this.udp(off, end, ctx, out);
      case IpProtocol.ICMP:
        return ctx.version === 4 ? this.icmp(off, end, ctx, out) : this.payload(off, end, out);
      case IpProtocol.ICMPV6:
        return this.icmp6(off, end, ctx, out);
      case IpProtocol.GRE:
        return this.gre(off, end, ctx, out);
      case IpProtocol.IPIP:
        return this.ip4(off, end, out);
      case IpProtocol.IPV6:
        return this.ip6(off, end, out);
      case IpProtocol.MPLS_IN_IP:
        return this.mpls(off, end, out);
      default:
        return this.payload(off, end, out);
    }
  }

  /** Can a checksum over [off, end) under `ctx` be verified (every byte present and known)? */
  coverable(off: number, end: number, ctx: IpContext | undefined, withPseudo: boolean): boolean {
    if (ctx && (ctx.fragment || ctx.cut)) return false;
    if (!this.has(off, end - off)) return false;
    if (withPseudo && ctx) {
      const alen = ctx.version === 4 ? 4 : 16;
      return this.has(ctx.srcOff, alen) && this.has(ctx.dstOff, alen);
    }
    return true;
  }

  pseudoSum(ctx: IpContext, protocol: number, l4Len: number): number {
    return ctx.version === 4
      ? pseudoHeaderSum4(this.b, ctx.srcOff, ctx.dstOff, protocol, l4Len)
      : pseudoHeaderSum6(this.b, ctx.srcOff, ctx.dstOff, protocol, l4Len);
  }

  // ---- transport and tunnels ---------------------------------------------------------------

  icmp(off: number, end: number, ctx: IpContext, out: Layer[]): void {
    if (!this.cutInside(off, ICMP4_HEADER_LEN, end) && !this.fits(off, ICMP4_HEADER_LEN, end, 'icmp', out)) return;
    const v = new Icmp4View(this.b, off);
    const f = this.icmpCommon('icmp', v, end, out, () => v.checksumValid(end - off), this.coverable(off, end, ctx, false), icmp4HasIdSeq, isIcmp4Error);
    if (!f) return;
    const t = v.type;
    if (t === 3 && this.has(off + 1, 1) && v.code === 4 && this.hasBefore(off + 6, 2, end)) f.mtu = v.nextHopMtu;
    else if (t === 12 && this.hasBefore(off + 4, 1, end)) f.pointer = v.pointer;
    else if (t === 5 && this.hasBefore(off + 4, 4, end)) f.gateway = v.gateway;
  }

  icmp6(off: number, end: number, ctx: IpContext, out: Layer[]): void {
    if (!this.cutInside(off, ICMP6_HEADER_LEN, end) && !this.fits(off, ICMP6_HEADER_LEN, end, 'icmp6', out)) return;
    const v = new Icmp6View(this.b, off);
    const valid = () => v.checksumValid(end - off, this.pseudoSum(ctx, IpProtocol.ICMPV6, end - off));
    const f = this.icmpCommon('icmp6', v, end, out, valid, this.coverable(off, end, ctx, true), icmp6HasIdSeq, isIcmp6Error);
    if (!f) return;
    if (v.type === 2 && this.hasBefore(off + 4, 4, end)) f.mtu = v.mtu;
    else if (v.type === 4 && this.hasBefore(off + 4, 4, end)) f.pointer = v.pointer;
  }

  /**
   * What ICMPv4 and ICMPv6 share: type, code, checksum, echo id/seq, the quote or the payload. A header
   * the capture cut (cutInside) is stated as far as it goes, then marked cut.
   */
  icmpCommon<Name extends 'icmp' | 'icmp6'>(
    name: Name,
    v: IcmpHeaderView,
    end: number,
    out: Layer[],
    valid: () => boolean,
    coverable: boolean,
    hasIdSeq: (t: number) => boolean,
    isError: (t: number) => boolean,
  ): LayerFields<Name> | undefined {
    const off = v.off;
    const cut = end - off < ICMP_HEADER_LEN;
    const fields = this.layer(out, name, off, Math.min(ICMP_HEADER_LEN, end - off));
    // An error's quote hangs on this layer (just pushed); what both ICMPs share is ICMPv6's field set.
    const layer = out[out.length - 1];
    const f: LayerFields<'icmp6'> = fields;
    const typeKnown = this.has(off, 1);
    if (typeKnown) f.type = v.type;
    if (this.has(off + 1, 1)) f.code = v.code;
    if (this.hasBefore(off + 2, 2, end)) f.checksum = v.checksum;
    if (coverable) f.checksum_valid = valid();
    if (cut) this.payload(end, end, out, { truncated: name });
    if (!typeKnown) {
      if (!cut) this.payload(v.payloadOffset, end, out);
      return undefined;
    }
    if (hasIdSeq(v.type)) {
      if (this.hasBefore(off + 4, 2, end)) f.id = v.id;
      if (this.hasBefore(off + 6, 2, end)) f.seq = v.seq;
    }
    if (cut) return fields;
    if (isError(v.type) && end > v.payloadOffset) {
      layer.quoted = [];
      this.quoteDepth++;
      this.ipByVersion(v.payloadOffset, end, layer.quoted);
      this.quoteDepth--;
    } else this.payload(v.payloadOffset, end, out);
    return fields;
  }

  tcp(off: number, end: number, ctx: IpContext, out: Layer[]): void {
    if (end - off < TCP_MIN_HEADER_LEN && this.quoteDepth > 0 && end - off >= ICMP_QUOTE_MIN_L4) {
      // A quoted TCP header cut short: the fields that are there, no checksum or length claims.
      this.tcpFixedFields(new TcpView(this.b, off), off, end, this.layer(out, 'tcp', off, end - off));
      return;
    }
    if (this.cutInside(off, TCP_MIN_HEADER_LEN, end)) {
      this.tcpFixedFields(new TcpView(this.b, off), off, end, this.layer(out, 'tcp', off, end - off));
      return this.payload(end, end, out, { truncated: 'tcp' });
    }
    if (!this.fits(off, TCP_MIN_HEADER_LEN, end, 'tcp', out)) return;
    const v = new TcpView(this.b, off);
    const hlKnown = this.has(off + 12, 1);
    const hl = hlKnown ? v.headerLength : TCP_MIN_HEADER_LEN;
    const f = this.layer(out, 'tcp', off, Math.max(hl, TCP_MIN_HEADER_LEN));
    this.tcpFixedFields(v, off, end, f);
    if (!hlKnown || hl < TCP_MIN_HEADER_LEN) {
      if (hlKnown) f.bad_header_length = true;
      return this.payload(off + TCP_MIN_HEADER_LEN, end, out);
    }
    if (this.coverable(off, end, ctx, true)) f.checksum_valid = v.checksumValid(end - off, this.pseudoSum(ctx, IpProtocol.TCP, end - off));
    if (end - off < hl) return this.payload(off + TCP_MIN_HEADER_LEN, end, out, { truncated: 'tcp.options' });
    if (hl > TCP_MIN_HEADER_LEN && this.has(off + TCP_MIN_HEADER_LEN, hl - TCP_MIN_HEADER_LEN)) {
      try {
        tcpOptionFields(parseTcpOptions(this.b, off + TCP_MIN_HEADER_LEN, off + hl), f);
      } catch (e) {
        if (!(e instanceof WireError)) throw e;
        f.options_error = e.message;
      }
    }
    f.payload_length = Math.max(0, ctx.claimedEnd - off - hl);
    this.payload(off + hl, end, out);
  }

  /** The fixed TCP header's fields whose bytes lie before `end` and are known. */
  tcpFixedFields(v: TcpView, off: number, end: number, f: LayerFields<'tcp'>): void {
    const has = (o: number, n: number) => this.hasBefore(o, n, end);
    if (has(off, 2)) f.src_port = v.srcPort;
    if (has(off + 2, 2)) f.dst_port = v.dstPort;
    if (has(off + 4, 4)) f.seq = v.seq;
    if (has(off + 8, 4)) f.ack = v.ack;
    if (has(off + 12, 1)) f.header_length = v.headerLength;
    if (has(off + 12, 2)) {
      const flags = v.flags;
      f.flags = flags;
      f.flag_fin = (flags & 0x01) !== 0;
      f.flag_syn = (flags & 0x02) !== 0;
      f.flag_rst = (flags & 0x04) !== 0;
      f.flag_psh = (flags & 0x08) !== 0;
      f.flag_ack = (flags & 0x10) !== 0;
      f.flag_urg = (flags & 0x20) !== 0;
      f.flag_ece = (flags & 0x40) !== 0;
      f.flag_cwr = (flags & 0x80) !== 0;
      f.flag_ae = (flags & 0x100) !== 0;
    }
    if (has(off + 14, 2)) f.window = v.window;
    if (has(off + 16, 2)) f.checksum = v.checksum;
    if (has(off + 18, 2)) f.urgent = v.urgent;
  }

  /** The UDP header's fields whose bytes lie before `end` and are known. */
  udpHeaderFields(v: UdpView, off: number, end: number, f: LayerFields<'udp'>): void {
    if (this.hasBefore(off, 2, end)) f.src_port = v.srcPort;
    if (this.hasBefore(off + 2, 2, end)) f.dst_port = v.dstPort;
    if (this.hasBefore(off + 4, 2, end)) f.length = v.length;
    if (this.hasBefore(off + 6, 2, end)) f.checksum = v.checksum;
  }

  udp(off: number, end: number, ctx: IpContext, out: Layer[]): void {
    if (this.cutInside(off, UDP_HEADER_LEN, end)) {
      this.udpHeaderFields(new UdpView(this.b, off), off, end, this.layer(out, 'udp', off, end - off));
      return this.payload(end, end, out, { truncated: 'udp' });
    }
    if (!this.fits(off, UDP_HEADER_LEN, end, 'udp', out)) return;
    const v = new UdpView(this.b, off);
    const f = this.layer(out, 'udp', off, UDP_HEADER_LEN);
    this.udpHeaderFields(v, off, end, f);
    const lenKnown = this.has(off + 4, 2);
    // The UDP length bounds the datagram (and what the checksum covers) unless it is nonsense.
    let udpEnd = end;
    if (lenKnown && v.length >= UDP_HEADER_LEN && off + v.length <= end) udpEnd = off + v.length;
    else if (lenKnown && off + v.length > end && !ctx.cut && !ctx.fragment) f.bad_length = true;
    const udpCtx = lenKnown && off + v.length > end ? { ...ctx, cut: true } : ctx;
    // From the lengths on the wire: the UDP length (when it fits the IP datagram), else the IP length.
    const udpLen = lenKnown && v.length >= UDP_HEADER_LEN && off + v.length <= ctx.claimedEnd ? v.length : ctx.claimedEnd - off;
    f.payload_length = Math.max(0, udpLen - UDP_HEADER_LEN);
    if (this.has(off + 6, 2) && v.checksum === 0) {
      f.checksum_status = ctx.version === 4 ? 'none' : 'zero-over-ipv6';
      if (ctx.version === 6) f.checksum_valid = false;
    } else if (lenKnown && this.coverable(off, udpEnd, udpCtx, true)) {
      const status = v.checksumStatus(udpEnd - off, this.pseudoSum(ctx, IpProtocol.UDP, v.length), ctx.version === 6);
      f.checksum_status = status;
      f.checksum_valid = status === 'valid';
    }
    const payloadOff = v.payloadOffset;
    const src = this.has(off, 2) ? v.srcPort : -1;
    const dst = this.has(off + 2, 2) ? v.dstPort : -1;
    // Destination port first: a VXLAN sender picks a hashed source port (RFC 7348 §5).
    if (dst === UdpPort.VXLAN || (src === UdpPort.VXLAN && dst !== UdpPort.MPLS_UDP)) return this.vxlan(payloadOff, udpEnd, out);
    if (dst === UdpPort.MPLS_UDP || src === UdpPort.MPLS_UDP) return this.mpls(payloadOff, udpEnd, out);
    this.payload(payloadOff, udpEnd, out);
  }

  vxlan(off: number, end: number, out: Layer[]): void {
    if (!this.fits(off, VXLAN_HEADER_LEN, end, 'vxlan', out)) return;
    const v = new VxlanView(this.b, off);
    const f = this.layer(out, 'vxlan', off, VXLAN_HEADER_LEN);
    if (this.has(off, 1)) {
      f.flags = v.flags;
      f.vni_valid = v.vniValid;
    }
    if (this.has(off + 1, 3)) f.reserved1 = v.reserved1;
    if (this.has(off + 4, 3)) f.vni = v.vni;
    if (this.has(off + 7, 1)) f.reserved2 = v.reserved2;
    this.ethernet(v.payloadOffset, end, out);
  }

  gre(off: number, end: number, ctx: IpContext, out: Layer[]): void {
    if (!this.fits(off, GRE_MIN_HEADER_LEN, end, 'gre', out)) return;
    const v = new GreView(this.b, off);
    if (!this.has(off, 2)) {
      this.layer(out, 'gre', off, GRE_MIN_HEADER_LEN);
      return this.payload(off + GRE_MIN_HEADER_LEN, end, out);
    }
    const hl = v.headerLength;
    if (!this.fits(off, hl, end, 'gre', out)) return;
    const f = this.layer(out, 'gre', off, hl);
    f.flags_version = v.flagsVersion;
    f.checksum_present = v.checksumPresent;
    f.key_present = v.keyPresent;
    f.sequence_present = v.sequencePresent;
    f.version = v.version;
    const protoKnown = this.has(off + 2, 2);
    if (protoKnown) f.protocol = v.protocol;
    if (v.checksumPresent) {
      if (this.has(off + 4, 2)) f.checksum = v.checksum;
      if (this.has(off + 6, 2)) f.reserved1 = v.reserved1;
      if (this.coverable(off, end, ctx, false)) f.checksum_valid = v.checksumValid(end - off);
    }
    if (v.keyPresent && this.has(v.keyOffset, 4)) f.key = v.key;
    if (v.sequencePresent && this.has(v.sequenceOffset, 4)) f.sequence = v.sequence;
    if (!protoKnown) return this.payload(v.payloadOffset, end, out);
    // GRE's protocol is an EtherType: IPv4/IPv6, transparent Ethernet bridging, MPLS (RFC 4023).
    this.etherType(v.protocol, v.payloadOffset, end, out);
  }

  mpls(off: number, end: number, out: Layer[]): void {
    let p = off;
    for (;;) {
      if (!this.fits(p, MPLS_ENTRY_LEN, end, 'mpls', out)) return;
      const e = new MplsEntryView(this.b, p);
      const f = this.layer(out, 'mpls', p, MPLS_ENTRY_LEN);
      if (!this.has(p, MPLS_ENTRY_LEN)) return this.payload(p + MPLS_ENTRY_LEN, end, out);
      f.label = e.label;
      f.tc = e.tc;
      f.bos = e.bottom;
      f.ttl = e.ttl;
      p += MPLS_ENTRY_LEN;
      if (e.bottom) break;
    }
    // MPLS does not say what it carries; the first nibble is the usual guess (4 = IPv4, 6 = IPv6).
    if (p < end && this.has(p, 1)) {
      const nibble = this.b[p] >> 4;
      if (nibble === 4 || nibble === 6) return this.ipByVersion(p, end, out);
    }
    this.payload(p, end, out);
  }
}

/** TCP options as fields: a list in wire order plus flat fields for the well-known ones. */
function tcpOptionFields(options: TcpOption[], f: LayerFields<'tcp'>): void {
  const list: FieldValue[] = [];
  for (const o of options) {
    switch (o.kind) {
      case 'eol':
      case 'nop':
      case 'sack_permitted':
        list.push({ kind: o.kind });
        if (o.kind === 'sack_permitted') f.sack_permitted = true;
        break;
      case 'mss':
        list.push({ kind: 'mss', value: o.value });
        f.mss = o.value;
        break;
      case 'wscale':
        list.push({ kind: 'wscale', shift: o.shift });
        f.wscale = o.shift;
        break;
      case 'sack':
        list.push({ kind: 'sack', blocks: o.blocks.map(([l, r]) => [l, r]) });
        f.sack = o.blocks.map(([l, r]) => `${l}-${r}`);
        break;
      case 'timestamps':
        list.push({ kind: 'timestamps', tsval: o.tsval, tsecr: o.tsecr });
        f.ts_val = o.tsval;
        f.ts_ecr = o.tsecr;
        break;
      case 'unknown':
        list.push({ kind: 'unknown', type: o.type, data: hex(o.data) });
        break;
    }
  }
  f.options = list;
}
