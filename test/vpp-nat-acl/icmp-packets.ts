// ICMP messages as hosts send them (both checksums valid): an error (IPv4 header, type/code/checksum,
// 4 unused bytes, then the quoted packet's IP header and first 8 bytes) and an echo request.

import { setU16 } from '../../harness/wire/bytes.js';
import { internetChecksum } from '../../harness/wire/checksum.js';
import { ip4ToBytes } from '../../harness/wire/address.js';
import { ip4L4 } from './helpers.js';

/** ICMP error `type` from `from` to `to`, quoting `quoted` (IP header + first 8 bytes). */
export function icmpError(from: string, to: string, type: number, quoted: Uint8Array): Uint8Array {
  const q = quoted.subarray(0, 28);
  const p = new Uint8Array(20 + 8 + q.length);
  p[0] = 0x45;
  setU16(p, 2, p.length);
  p[8] = 64;
  p[9] = 1;
  ip4ToBytes(from, p, 12);
  ip4ToBytes(to, p, 16);
  setU16(p, 10, internetChecksum(p, 0, 20));
  p[20] = type;
  p.set(q, 28);
  setU16(p, 22, internetChecksum(p, 20, p.length - 20));
  return p;
}

/** An ICMP echo request from `src` to `dst` with identifier `id` (8-byte ICMP header, no data). */
export function echoRequest(src: string, dst: string, id: number): Uint8Array {
  const p = ip4L4({ src, dst, proto: 1 }, { sport: 0, dport: 0 });
  p.fill(0, 20, 28);
  p[20] = 8;
  setU16(p, 24, id);
  setU16(p, 22, internetChecksum(p, 20, 8));
  return p;
}
