// Which captured packet a predicted one should be compared with. The key is built only from what a
// router does not rewrite (NAT changes addresses, ports and ICMP ids; forwarding changes TTL,
// checksums and MACs), so a wrongly translated packet still finds its captured counterpart and the
// comparison can say WHICH field diverged instead of "missing". IP id is a tie-breaker, not part of
// the key, because a router-generated packet's id is not predictable.

import type { Packet } from '../wire/packet.js';
import { u16, u32 } from '../wire/bytes.js';

const ETH = 14;
const VXLAN = 8;
const VXLAN_PORT = 4789;

function payloadHash(b: Uint8Array, off: number, end: number): number {
  let h = 0x811c9dc5; // FNV-1a: a cheap fingerprint of the payload bytes
  for (let i = off; i < end && i < b.length; i++) h = Math.imul(h ^ b[i], 0x01000193) >>> 0;
  return h;
}

/** The invariant part of an IPv4 packet at `ip` (up to `end`), recursing once into ICMP errors. */
function ipKey(b: Uint8Array, ip: number, end: number, depth: number): string {
  if (ip + 20 > b.length) return 'ip4:short';
  const hl = (b[ip] & 0x0f) * 4;
  const proto = b[ip + 9];
  const l4 = ip + hl;
  const totalEnd = Math.min(end, ip + u16(b, ip + 2));
  if (proto === 6 && l4 + 20 <= totalEnd) {
    const off = (b[l4 + 12] >> 4) * 4;
    return `tcp:${u32(b, l4 + 4)}:${u32(b, l4 + 8)}:${b[l4 + 13]}:${totalEnd - l4 - off}`;
  }
  if (proto === 6 && l4 + 8 <= totalEnd) return `tcp8:${u32(b, l4 + 4)}`;
  // A VXLAN packet is known by the frame it carries (RFC 7348: UDP destination port 4789, an 8-byte
  // header, then the inner Ethernet frame): a router's change to the inner headers (TTL, NAT) is then
  // a field of a found packet, not a packet "missing" beside one "unexpected". The VNI is left out
  // for the same reason.
  if (proto === 17 && l4 + 8 + VXLAN + ETH <= totalEnd && u16(b, l4 + 2) === VXLAN_PORT) return `vxlan:${frameKey(b.subarray(l4 + 8 + VXLAN, totalEnd))}`;
  if (proto === 17 && l4 + 8 <= totalEnd) return `udp:${totalEnd - l4}:${payloadHash(b, l4 + 8, totalEnd)}`;
  if (proto === 1 && l4 + 8 <= totalEnd) {
    const type = b[l4];
    if ([3, 4, 5, 11, 12].includes(type) && depth === 0) {
      return `icmperr:${type}:${b[l4 + 1]}:${u16(b, l4 + 8 + 4)}:${ipKey(b, l4 + 8, totalEnd, 1)}`;
    }
    return `icmp:${type}:${b[l4 + 1]}:${u16(b, l4 + 6)}:${payloadHash(b, l4 + 8, totalEnd)}`;
  }
  return `ip4:${proto}:${totalEnd - ip}`;
}

/** A key for an Ethernet frame; frames with equal keys are the same packet seen at different places. */
export function flowKey(p: Packet): string {
  return frameKey(p.data);
}

function frameKey(b: Uint8Array): string {
  if (b.length < ETH) return 'short';
  const type = u16(b, 12);
  // A request is known by what it asks (its sender address is a choice the router makes and may get wrong).
  if (type === 0x0806 && b.length >= ETH + 28) return u16(b, ETH + 6) === 1 ? `arp:1:${u32(b, ETH + 24)}` : `arp:${u16(b, ETH + 6)}:${u32(b, ETH + 14)}:${u32(b, ETH + 24)}`;
  if (type === 0x0800) return ipKey(b, ETH, b.length, 0);
  return `eth:${type}:${b.length}:${payloadHash(b, ETH, b.length)}`;
}

/** The IPv4 id when the packet carries one the model knows (tie-breaker between equal keys). */
export function ipId(p: Packet): number | undefined {
  const b = p.data;
  if (b.length < ETH + 20 || u16(b, 12) !== 0x0800) return undefined;
  if (p.known && !p.known.has(ETH + 4, 2)) return undefined;
  return u16(b, ETH + 4);
}
