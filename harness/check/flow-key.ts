// Which captured packet a predicted one should be compared with. The key is built only from what a
// router does not rewrite (NAT changes addresses, ports and ICMP ids; forwarding changes TTL,
// checksums and MACs), so a wrongly translated packet still finds its captured counterpart and the
// comparison can say WHICH field diverged instead of "missing". IP id is a tie-breaker, not part of
// the key, because a router-generated packet's id is not predictable.
//
// A frame its capture cut (tcpdump -s: captured length < original length) is a normal capture, the
// bytes past the captured ones unknown. Lengths are read from the headers (what was sent), never
// from the captured bytes; where the key needs a byte the capture cut, the key ends there with CUT:
// `udp:27:#cut` (its payload fingerprint), `icmperr:3:3:56139:#cut` (the quoted header), `#cut` (no
// IP header). A prediction's key then finds the frame by a prefix of its own (cutKeys).

import type { Packet } from '../wire/packet.js';
import { u16, u32 } from '../wire/bytes.js';
import { cutAt, wireFrameLength } from '../io/frame-length.js';

const ETH = 14;
const VXLAN = 8;
const VXLAN_PORT = 4789;

/** The rest of a key whose bytes lie past a cut frame's captured ones. */
const CUT = '#cut';

/** A frame's bytes and whether its capture cut them (bytes past b.length were sent, not captured). */
interface Frame {
  b: Uint8Array;
  cut: boolean;
}

/** `n` bytes of the frame are captured; false on a cut frame that lacks them (the key then ends in CUT). */
const captured = (f: Frame, n: number): boolean => n <= f.b.length;

function payloadHash(f: Frame, off: number, end: number): string {
  if (f.cut && !captured(f, end)) return CUT;
  const b = f.b;
  let h = 0x811c9dc5; // FNV-1a: a cheap fingerprint of the payload bytes
  for (let i = off; i < end && i < b.length; i++) h = Math.imul(h ^ b[i], 0x01000193) >>> 0;
  return `#${h.toString(16).padStart(8, '0')}`;
}

/** A key of a frame its capture cut before everything the key reads. */
export const isCutKey = (key: string): boolean => key.endsWith(CUT);

/**
 * The keys a cut frame of the packet with `key` may have, longest first: `key` cut at each of its
 * parts (`udp:27:#1a2b3c4d` -> `udp:27:#cut`, `udp:#cut`, `#cut`).
 */
export function cutKeys(key: string): string[] {
  const out: string[] = [];
  const hash = key.lastIndexOf('#');
  for (let i = hash > 0 && key[hash - 1] === ':' ? hash - 1 : key.lastIndexOf(':'); i >= 0; i = key.lastIndexOf(':', i - 1)) out.push(key.slice(0, i + 1) + CUT);
  out.push(CUT);
  return out;
}

/**
 * The invariant part of an IPv4 packet at `ip` (up to `end`: where the frame, or the quoting
 * packet, ends as sent), recursing once into ICMP errors.
 */
function ipKey(f: Frame, ip: number, end: number, depth: number): string {
  const b = f.b;
  if (!captured(f, ip + 20)) return f.cut ? CUT : 'ip4:short';
  const hl = (b[ip] & 0x0f) * 4;
  const proto = b[ip + 9];
  const l4 = ip + hl;
  const totalEnd = Math.min(end, ip + u16(b, ip + 2));
  /** Sent: bytes up to `n` belong to the datagram. Read from the headers, so the same for a cut frame. */
  const sent = (n: number) => n <= totalEnd;
  /** What a key needs is captured; else (a cut frame) CUT takes its place. */
  const need = (n: number) => captured(f, n) || !f.cut;
  if (proto === 6 && sent(l4 + 20)) {
    if (!need(l4 + 14)) return `tcp:${CUT}`;
    const off = (b[l4 + 12] >> 4) * 4;
    return `tcp:${u32(b, l4 + 4)}:${u32(b, l4 + 8)}:${b[l4 + 13]}:${totalEnd - l4 - off}`;
  }
  if (proto === 6 && sent(l4 + 8)) return need(l4 + 8) ? `tcp8:${u32(b, l4 + 4)}` : `tcp8:${CUT}`;
  if (proto === 17 && sent(l4 + 8) && !need(l4 + 4)) return CUT; // VXLAN or not cannot be told
  // A VXLAN packet is known by the frame it carries (RFC 7348: UDP destination port 4789, an 8-byte
  // header, then the inner Ethernet frame): a router's change to the inner headers (TTL, NAT) is then
  // a field of a found packet, not a packet "missing" beside one "unexpected". The VNI is left out
  // for the same reason.
  if (proto === 17 && sent(l4 + 8 + VXLAN + ETH) && u16(b, l4 + 2) === VXLAN_PORT) return `vxlan:${frameKey(f, l4 + 8 + VXLAN, totalEnd)}`;
  if (proto === 17 && sent(l4 + 8)) return `udp:${totalEnd - l4}:${payloadHash(f, l4 + 8, totalEnd)}`;
  if (proto === 1 && sent(l4 + 8)) {
    if (!need(l4 + 8)) return CUT;
    const type = b[l4];
    if ([3, 4, 5, 11, 12].includes(type) && depth === 0) {
      if (!need(l4 + 8 + 6)) return `icmperr:${type}:${b[l4 + 1]}:${CUT}`;
      return `icmperr:${type}:${b[l4 + 1]}:${u16(b, l4 + 8 + 4)}:${ipKey(f, l4 + 8, totalEnd, 1)}`;
    }
    return `icmp:${type}:${b[l4 + 1]}:${u16(b, l4 + 6)}:${payloadHash(f, l4 + 8, totalEnd)}`;
  }
  return `ip4:${proto}:${totalEnd - ip}`;
}

/** A key for an Ethernet frame; frames with equal keys are the same packet seen at different places. */
export function flowKey(p: Packet): string {
  return frameKey({ b: p.data, cut: cutAt(p) !== undefined }, 0, wireFrameLength(p));
}

/** The key of the Ethernet frame at `eth` that ends at `end` (as sent). */
function frameKey(f: Frame, eth: number, end: number): string {
  const b = f.b;
  const l3 = eth + ETH;
  if (!captured(f, l3)) return f.cut ? CUT : 'short';
  const type = u16(b, eth + 12);
  // A request is known by what it asks (its sender address is a choice the router makes and may get wrong).
  if (type === 0x0806 && l3 + 28 <= end) {
    if (!captured(f, l3 + 28)) return f.cut ? `arp:${CUT}` : `eth:${type}:${end - eth}:${payloadHash(f, l3, end)}`;
    return u16(b, l3 + 6) === 1 ? `arp:1:${u32(b, l3 + 24)}` : `arp:${u16(b, l3 + 6)}:${u32(b, l3 + 14)}:${u32(b, l3 + 24)}`;
  }
  if (type === 0x0800) return ipKey(f, l3, end, 0);
  return `eth:${type}:${end - eth}:${payloadHash(f, l3, end)}`;
}

/** The IPv4 id when the packet carries one the model knows (tie-breaker between equal keys). */
export function ipId(p: Packet): number | undefined {
  const b = p.data;
  if (b.length < ETH + 20 || u16(b, 12) !== 0x0800) return undefined;
  if (p.known && !p.known.has(ETH + 4, 2)) return undefined;
  return u16(b, ETH + 4);
}
