// An ICMP error message as a host sends it: IPv4 header, ICMP type/code/checksum, 4 unused bytes,
// then the quoted packet's IP header and first 8 bytes; both checksums valid.

import { setU16 } from '../../harness/wire/bytes.js';
import { internetChecksum } from '../../harness/wire/checksum.js';
import { ip4ToBytes } from '../../harness/wire/address.js';

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
