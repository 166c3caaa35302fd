// Frames as a host's stack sends them (valid checksums): the DVR tests' and bench's traffic.
import { macToBytes, ip4ToBytes } from '../../harness/wire/address.js';
import { setU16 } from '../../harness/wire/bytes.js';
import { internetChecksum, pseudoHeaderSum4 } from '../../harness/wire/checksum.js';

export type Proto = 'tcp' | 'udp' | 'icmp';
export interface Flow { proto: Proto; sport: number; dport: number; ttl: number; payload: Uint8Array }

/** An Ethernet/IPv4 frame with valid checksums, as a host's stack sends it. */
export function frame(srcMac: string, dstMac: string, src: string, dst: string, f: Flow, reply = false): Uint8Array {
  const l4len = (f.proto === 'tcp' ? 20 : 8) + f.payload.length;
  const b = new Uint8Array(14 + 20 + l4len);
  macToBytes(dstMac, b, 0);
  macToBytes(srcMac, b, 6);
  setU16(b, 12, 0x0800);
  b[14] = 0x45;
  setU16(b, 16, 20 + l4len);
  setU16(b, 18, 0x1234);
  b[22] = f.ttl;
  b[23] = f.proto === 'tcp' ? 6 : f.proto === 'udp' ? 17 : 1;
  ip4ToBytes(src, b, 26);
  ip4ToBytes(dst, b, 30);
  setU16(b, 24, internetChecksum(b, 14, 20));
  const l4 = 34;
  if (f.proto === 'icmp') {
    b[l4] = reply ? 0 : 8;
    setU16(b, l4 + 4, f.sport);
    setU16(b, l4 + 6, 1);
  } else {
    setU16(b, l4, reply ? f.dport : f.sport);
    setU16(b, l4 + 2, reply ? f.sport : f.dport);
    if (f.proto === 'tcp') {
      b[l4 + 12] = 0x50;
      b[l4 + 13] = 0x10; // ACK: a segment of an open connection (conntrack picks it up mid-stream, tcp_loose)
    }
    else setU16(b, l4 + 4, l4len);
  }
  b.set(f.payload, l4 + l4len - f.payload.length);
  const co = f.proto === 'tcp' ? l4 + 16 : f.proto === 'udp' ? l4 + 6 : l4 + 2;
  const pseudo = f.proto === 'icmp' ? 0 : pseudoHeaderSum4(b, 26, 30, b[23], l4len);
  let c = internetChecksum(b, l4, l4len, pseudo);
  if (f.proto === 'udp' && c === 0) c = 0xffff;
  setU16(b, co, c);
  return b;
}
