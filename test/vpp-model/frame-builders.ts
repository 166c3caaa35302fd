// Frame builders shared by the VXLAN / L2 tests: a 20-byte IPv4 header with a valid checksum and an
// Ethernet frame around a payload.

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
