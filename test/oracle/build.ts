// Whole packets made with OUR emitters (harness/wire emit* + the views' fill* for lengths and
// checksums), header by header, the way a model or a test would. The oracle hands these bytes to
// scapy, which recomputes every length and checksum its own way; the bytes must not change.
//
// This file only stacks headers: each header's bytes come from our emitter, each length from the
// payload actually there, each checksum from our view's fillChecksum with our pseudo-header sums.

import { emitEthernet, type VlanTag } from '../../harness/wire/ethernet.js';
import { emitArp, type ArpRepr } from '../../harness/wire/arp.js';
import { emitIpv4, Ipv4View, type Ipv4Repr } from '../../harness/wire/ipv4.js';
import { emitIpv6, Ipv6View, type Ipv6Repr } from '../../harness/wire/ipv6.js';
import {
  emitIpv6Options, emitIpv6Routing, emitIpv6Fragment,
  type Ipv6OptionsRepr, type Ipv6RoutingRepr, type Ipv6FragmentRepr,
} from '../../harness/wire/ipv6-ext.js';
import { emitTcp, TcpView, tcpHeaderLengthFor, type TcpRepr } from '../../harness/wire/tcp.js';
import { emitUdp, UdpView } from '../../harness/wire/udp.js';
import { emitIcmp4, type Icmp4Repr } from '../../harness/wire/icmp4.js';
import { emitIcmp6, type Icmp6Repr } from '../../harness/wire/icmp6.js';
import { emitGre, GreView, greHeaderLength, type GreRepr } from '../../harness/wire/gre.js';
import { emitVxlan, type VxlanRepr } from '../../harness/wire/vxlan.js';
import { emitMpls, type MplsEntry } from '../../harness/wire/mpls.js';
import { emitSll, type SllRepr } from '../../harness/wire/sll.js';
import { emitSll2, type Sll2Repr } from '../../harness/wire/sll2.js';
import { pseudoHeaderSum4, pseudoHeaderSum6 } from '../../harness/wire/checksum.js';

/** One header in a stack: its size, how to write it, and what to fill once everything inside is there. */
export interface Hdr {
  kind: string;
  size: number;
  write(b: Uint8Array, off: number): void;
  /** Called innermost header first, with `end` the end of this header's datagram. */
  finish?(b: Uint8Array, off: number, end: number, outer: Placed[]): void;
  /** IPv6 routing header: offset (from its start) of the final destination while segments are left. */
  finalDstAt?: number;
}

export interface Placed {
  hdr: Hdr;
  off: number;
}

export function assemble(hdrs: Hdr[], payload: Uint8Array = new Uint8Array(0)): Uint8Array {
  const total = hdrs.reduce((s, h) => s + h.size, 0) + payload.length;
  const b = new Uint8Array(total);
  const placed: Placed[] = [];
  let off = 0;
  for (const hdr of hdrs) {
    placed.push({ hdr, off });
    hdr.write(b, off);
    off += hdr.size;
  }
  b.set(payload, off);
  for (let i = placed.length - 1; i >= 0; i--) placed[i].hdr.finish?.(b, placed[i].off, total, placed.slice(0, i));
  return b;
}

/** The pseudo-header sum for an L4 segment: nearest enclosing IP header (IPv6: final destination). */
export function pseudo(b: Uint8Array, outer: Placed[], protocol: number, len: number): number {
  for (let i = outer.length - 1; i >= 0; i--) {
    const { hdr, off } = outer[i];
    if (hdr.kind === 'ip4') return pseudoHeaderSum4(b, off + 12, off + 16, protocol, len);
    if (hdr.kind === 'ip6') {
      const route = outer.slice(i + 1).find((p) => p.hdr.finalDstAt !== undefined);
      const dstOff = route ? route.off + (route.hdr.finalDstAt as number) : off + 24;
      return pseudoHeaderSum6(b, off + 8, dstOff, protocol, len);
    }
  }
  throw new Error('L4 header without an IP header around it');
}

export const eth = (dst: string, src: string, etherType: number, tags: VlanTag[] = []): Hdr => ({
  kind: 'eth', size: 14 + 4 * tags.length,
  write: (b, off) => void emitEthernet({ dst, src, tags, etherType }, b, off),
});

export const arp = (r: ArpRepr): Hdr => ({ kind: 'arp', size: 8 + 2 * (r.hardwareLength + r.protocolLength), write: (b, off) => void emitArp(r, b, off) });

export const ip4 = (r: Omit<Ipv4Repr, 'version' | 'headerLength' | 'totalLength' | 'checksum' | 'options'> & { options?: Uint8Array }): Hdr => {
  const options = r.options ?? new Uint8Array(0);
  const repr: Ipv4Repr = { version: 4, headerLength: 20 + options.length, totalLength: 0, checksum: 0, ...r, options };
  return {
    kind: 'ip4', size: repr.headerLength,
    write: (b, off) => void emitIpv4(repr, b, off),
    finish: (b, off, end) => {
      const v = new Ipv4View(b, off);
      v.totalLength = end - off;
      v.fillChecksum();
    },
  };
};

export const ip6 = (r: Omit<Ipv6Repr, 'version' | 'payloadLength'>): Hdr => ({
  kind: 'ip6', size: 40,
  write: (b, off) => void emitIpv6({ version: 6, payloadLength: 0, ...r }, b, off),
  finish: (b, off, end) => void (new Ipv6View(b, off).payloadLength = end - off - 40),
});

/** Hop-by-hop or destination options; `size` is what the options pad to (a multiple of 8). */
export const ip6Options = (kind: 'ip6.hop' | 'ip6.dest', r: Ipv6OptionsRepr): Hdr => {
  const bytes = emitIpv6Options(r);
  return { kind, size: bytes.length, write: (b, off) => void emitIpv6Options(r, b, off) };
};

export const ip6Routing = (r: Ipv6RoutingRepr): Hdr => {
  const size = 4 + r.data.length;
  // Types 0 and 4 carry 16-byte addresses from byte 8; the final destination is type 0's last and SRH's first.
  const n = (size - 8) / 16;
  const finalDstAt = r.segmentsLeft > 0 && (r.routingType === 0 || r.routingType === 4) ? 8 + 16 * (r.routingType === 0 ? n - 1 : 0) : undefined;
  return { kind: 'ip6.route', size, finalDstAt, write: (b, off) => void emitIpv6Routing(r, b, off) };
};

export const ip6Fragment = (r: Ipv6FragmentRepr): Hdr => ({ kind: 'ip6.frag', size: 8, write: (b, off) => void emitIpv6Fragment(r, b, off) });

export const tcp = (r: Omit<TcpRepr, 'headerLength' | 'checksum' | 'reserved'>): Hdr => {
  const repr: TcpRepr = { headerLength: tcpHeaderLengthFor(r.options), checksum: 0, reserved: 0, ...r };
  return {
    kind: 'tcp', size: repr.headerLength,
    write: (b, off) => void emitTcp(repr, b, off),
    finish: (b, off, end, outer) => new TcpView(b, off).fillChecksum(end - off, pseudo(b, outer, 6, end - off)),
  };
};

/** UDP; `zeroChecksum` sends none (IPv4 only, RFC 768). */
export const udp = (srcPort: number, dstPort: number, zeroChecksum = false): Hdr => ({
  kind: 'udp', size: 8,
  write: (b, off) => void emitUdp({ srcPort, dstPort, length: 0, checksum: 0 }, b, off),
  finish: (b, off, end, outer) => {
    const v = new UdpView(b, off);
    v.length = end - off;
    if (!zeroChecksum) v.fillChecksum(end - off, pseudo(b, outer, 17, end - off));
  },
});

export const icmp4 = (r: Icmp4Repr): Hdr => ({ kind: 'icmp', size: 8 + r.payload.length, write: (b, off) => void emitIcmp4(r, b, off) });

export const icmp6 = (r: Icmp6Repr, src: string, dst: string): Hdr => ({
  kind: 'icmp6', size: 8 + r.payload.length, write: (b, off) => void emitIcmp6(r, b, off, { src, dst }),
});

export const gre = (r: GreRepr): Hdr => ({
  kind: 'gre', size: greHeaderLength(r),
  write: (b, off) => void emitGre(r, b, off),
  finish: (b, off, end) => {
    if (r.checksumPresent) new GreView(b, off).fillChecksum(end - off);
  },
});

export const vxlan = (r: VxlanRepr): Hdr => ({ kind: 'vxlan', size: 8, write: (b, off) => void emitVxlan(r, b, off) });
export const mpls = (stack: MplsEntry[]): Hdr => ({ kind: 'mpls', size: 4 * stack.length, write: (b, off) => void emitMpls(stack, b, off) });
export const sll = (r: SllRepr): Hdr => ({ kind: 'sll', size: 16, write: (b, off) => void emitSll(r, b, off) });
export const sll2 = (r: Sll2Repr): Hdr => ({ kind: 'sll2', size: 20, write: (b, off) => void emitSll2(r, b, off) });
