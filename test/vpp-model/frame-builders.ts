// Frame builders shared by the VXLAN / L2 tests: a 20-byte IPv4 header with a valid checksum, an
// Ethernet frame around a payload, and an inner frame as a VXLAN peer sends it.

import { fromHex } from '../../harness/wire/bytes.js';
import { internetChecksum } from '../../harness/wire/checksum.js';

export const mac = (m: string): Uint8Array => fromHex(m.replaceAll(':', ''));
const ip = (a: string) => Uint8Array.from(a.split('.').map(Number));

export function ip4Header(src: string, dst: string, proto: number, payloadLength: number, ttl = 64): Uint8Array {
  const h = new Uint8Array(20);
  h[0] = 0x45;
  h[2] = (20 + payloadLength) >> 8;
  h[3] = (20 + payloadLength) & 0xff;
  h[8] = ttl;
  h[9] = proto;
  h.set(ip(src), 12);
  h.set(ip(dst), 16);
  const c = internetChecksum(h);
  h[10] = c >> 8;
  h[11] = c & 0xff;
  return h;
}

export function ethernet(dst: string, src: string, ethertype: number, payload: Uint8Array): Uint8Array {
  const f = new Uint8Array(14 + payload.length);
  f.set(mac(dst), 0);
  f.set(mac(src), 6);
  f[12] = ethertype >> 8;
  f[13] = ethertype & 0xff;
  f.set(payload, 14);
  return f;
}

/**
 * `inner` VXLAN-encapsulated (VNI 10, UDP 50000 -> 4789, checksum 0) by the tunnel peer `peer`, to
 * 192.168.16.1 at MAC 08:00:27:72:95:8d (the NIC of scenarios/bridge-flood.yaml and its variants).
 */
export function vxlanFromPeer(peer: string, inner: Uint8Array): Uint8Array {
  const vxlan = new Uint8Array(8 + inner.length);
  vxlan[0] = 0x08;
  vxlan[6] = 10;
  vxlan.set(inner, 8);
  const udp = new Uint8Array(8 + vxlan.length);
  udp.set([0xc3, 0x50, 0x12, 0xb5, udp.length >> 8, udp.length & 0xff, 0, 0]);
  udp.set(vxlan, 8);
  return ethernet('08:00:27:72:95:8d', '08:00:27:a2:a4:50', 0x0800, Uint8Array.from([...ip4Header(peer, '192.168.16.1', 17, udp.length, 254), ...udp]));
}

/** An ICMP echo request (8-byte header + 8 zero data bytes) with identifier `id`, sequence `seq`, checksum right. */
export function icmpEchoRequest(id: number, seq: number): Uint8Array {
  const icmp = new Uint8Array(16);
  icmp[0] = 8;
  icmp[4] = id >> 8;
  icmp[5] = id & 0xff;
  icmp[6] = seq >> 8;
  icmp[7] = seq & 0xff;
  const c = internetChecksum(icmp);
  icmp[2] = c >> 8;
  icmp[3] = c & 0xff;
  return icmp;
}
