// Make a hand-built packet consistent: lengths (IPv4 total length, IPv6 payload length, UDP
// length) and every checksum (IPv4 header, TCP, UDP, ICMP, ICMPv6, GRE with C set). Tests and
// packet builders emit headers with placeholder values, concatenate them, and call this - so "every
// emitted packet has valid checksums" holds unless a test asks otherwise. Not a model: dataplanes
// update checksums incrementally, and their models do so through the views.
//
// Lengths are set to "up to the end of the packet" (no Ethernet padding). Checksums are filled
// innermost first, since an outer UDP or GRE checksum covers the inner headers. ICMP quoted
// packets are left as quoted. An IPv6 routing header's final destination is not used for the
// pseudo-header (the fixed header's destination is).

import type { Packet } from '../wire/packet.js';
import { Ipv4View } from '../wire/ipv4.js';
import { Ipv6View, IPV6_HEADER_LEN } from '../wire/ipv6.js';
import { TcpView } from '../wire/tcp.js';
import { UdpView } from '../wire/udp.js';
import { Icmp4View } from '../wire/icmp4.js';
import { Icmp6View } from '../wire/icmp6.js';
import { GreView } from '../wire/gre.js';
import { IpProtocol } from '../wire/ipv4.js';
import { pseudoHeaderSumAt } from '../wire/checksum.js';
import { dissect } from './dissect.js';
import type { Layer } from './layer.js';

export interface FinalizeOptions {
  /** Set length fields from the packet's size (default true). */
  lengths?: boolean;
  /** Leave the UDP checksum at 0 (no checksum) over IPv4 instead of computing it. */
  udpZeroChecksum4?: boolean;
}

export function finalizePacket(packet: Packet, opts: FinalizeOptions = {}): Packet {
  const b = packet.data;
  const end = b.length;
  // An outer length that is too short hides the inner headers from the walk, so fix lengths until
  // a walk changes nothing (one pass per nesting level at most).
  for (let pass = 0; opts.lengths !== false && pass < 16; pass++) {
    let changed = false;
    for (const l of dissect(packet)) changed = setLength(b, l, end) || changed;
    if (!changed) break;
  }
  const layers = dissect(packet);
  for (let i = layers.length - 1; i >= 0; i--) fillChecksum(b, layers, i, end, opts);
  return packet;
}

function fillChecksum(b: Uint8Array, layers: Layer[], i: number, end: number, opts: FinalizeOptions): void {
  const l = layers[i];
  const ip = enclosingIp(layers, i);
  // The segment ends where its IP datagram ends (UDP: where its length says).
  const ipEnd = ip ? ipEndOf(b, ip, end) : end;
  switch (l.name) {
    case 'ip4':
      new Ipv4View(b, l.offset).fillChecksum();
      break;
    case 'tcp':
      if (ip) new TcpView(b, l.offset).fillChecksum(ipEnd - l.offset, pseudoHeaderSumAt(b, ip.offset, IpProtocol.TCP, ipEnd - l.offset));
      break;
    case 'udp': {
      if (!ip) break;
      const v = new UdpView(b, l.offset);
      if (opts.udpZeroChecksum4 && ip.name === 'ip4') v.checksum = 0;
      else v.fillChecksum(v.length, pseudoHeaderSumAt(b, ip.offset, IpProtocol.UDP, v.length));
      break;
    }
    case 'icmp':
      new Icmp4View(b, l.offset).fillChecksum(ipEnd - l.offset);
      break;
    case 'icmp6':
      if (ip) new Icmp6View(b, l.offset).fillChecksum(ipEnd - l.offset, pseudoHeaderSumAt(b, ip.offset, IpProtocol.ICMPV6, ipEnd - l.offset));
      break;
    case 'gre': {
      const v = new GreView(b, l.offset);
      if (v.checksumPresent) v.fillChecksum(ipEnd - l.offset);
      break;
    }
    default:
      break;
  }
}

/** Set the length field of `l` to reach the end of the packet; true when it changed. */
function setLength(b: Uint8Array, l: Layer, end: number): boolean {
  let before: number;
  if (l.name === 'ip4') {
    const v = new Ipv4View(b, l.offset);
    before = v.totalLength;
    v.totalLength = end - l.offset;
    return before !== v.totalLength;
  }
  if (l.name === 'ip6') {
    const v = new Ipv6View(b, l.offset);
    before = v.payloadLength;
    v.payloadLength = end - l.offset - IPV6_HEADER_LEN;
    return before !== v.payloadLength;
  }
  if (l.name === 'udp') {
    const v = new UdpView(b, l.offset);
    before = v.length;
    v.length = end - l.offset;
    return before !== v.length;
  }
  return false;
}

function enclosingIp(layers: Layer[], i: number): Layer | undefined {
  for (let j = i - 1; j >= 0; j--) if (layers[j].name === 'ip4' || layers[j].name === 'ip6') return layers[j];
  return undefined;
}

function ipEndOf(b: Uint8Array, ip: Layer, end: number): number {
  const claimed = ip.name === 'ip4' ? ip.offset + new Ipv4View(b, ip.offset).totalLength : ip.offset + IPV6_HEADER_LEN + new Ipv6View(b, ip.offset).payloadLength;
  return Math.min(claimed, end);
}
