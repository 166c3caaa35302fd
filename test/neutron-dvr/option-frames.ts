// A host's frame with IPv4 options inserted after the fixed header (as a raw socket with IP_HDRINCL,
// or the stack with IP_OPTIONS, sends it): IHL, total length and header checksum fixed up.
import { setU16, u16 } from '../../harness/wire/bytes.js';
import { internetChecksum } from '../../harness/wire/checksum.js';

/** `plain` (Ethernet + 20-byte IPv4 header + payload) with `option` (a multiple of 4 bytes) as its options. */
export function withIpOptions(plain: Uint8Array, option: number[]): Uint8Array {
  if (option.length % 4) throw new Error('IPv4 options fill whole 32-bit words');
  const b = new Uint8Array(plain.length + option.length);
  b.set(plain.subarray(0, 34));
  b.set(option, 34);
  b.set(plain.subarray(34), 34 + option.length);
  b[14] = 0x45 + option.length / 4;
  setU16(b, 16, u16(plain, 16) + option.length);
  setU16(b, 24, 0);
  setU16(b, 24, internetChecksum(b, 14, 20 + option.length));
  return b;
}
