// The one Ethernet + IPv4 + TCP frame builder of the replay benchmarks (the worst-case SYN flood of
// replay.ts and the connection workload of connections.ts): every header field is given, the IPv4
// header checksum and the TCP checksum (pseudo header included) are computed, nothing else is
// assumed. No IP options; TCP options are given as bytes (a multiple of 4).

import { setU16, setU32 } from '../harness/wire/bytes.js';
import { internetChecksum, pseudoHeaderSum4 } from '../harness/wire/checksum.js';

export interface TcpSegment {
  dstMac: Uint8Array;
  srcMac: Uint8Array;
  /** IPv4 addresses as big-endian u32 (ip4ToU32). */
  src: number;
  dst: number;
  ipId: number;
  ttl: number;
  /** Don't-fragment bit (Linux sets it on TCP: path MTU discovery). */
  df: boolean;
  sport: number;
  dport: number;
  seq: number;
  ack: number;
  /** TCP flags byte (FIN 0x01, SYN 0x02, RST 0x04, PSH 0x08, ACK 0x10). */
  flags: number;
  window: number;
  /** TCP options, a multiple of 4 bytes (empty: a 20-byte header). */
  options: Uint8Array;
  /** Payload bytes after the TCP header. */
  payload: Uint8Array;
}

export const ETH_IP4_TCP = 14 + 20 + 20;

/** Bytes tcpFrame writes for `s`. */
export function tcpFrameLength(s: Pick<TcpSegment, 'options' | 'payload'>): number {
  return ETH_IP4_TCP + s.options.length + s.payload.length;
}

/**
 * Write the frame of `s` at the start of `b` (which must hold tcpFrameLength(s) bytes; bytes past
 * it are left as they are) and return its length.
 */
export function tcpFrame(b: Uint8Array, s: TcpSegment): number {
  if (s.options.length % 4 !== 0 || s.options.length > 40) throw new RangeError(`TCP options of ${s.options.length} bytes (a multiple of 4, at most 40)`);
  const tcpLen = 20 + s.options.length + s.payload.length;
  const length = 14 + 20 + tcpLen;
  b.fill(0, 0, length);
  b.set(s.dstMac, 0);
  b.set(s.srcMac, 6);
  setU16(b, 12, 0x0800);
  const ip = 14;
  b[ip] = 0x45;
  setU16(b, ip + 2, 20 + tcpLen);
  setU16(b, ip + 4, s.ipId & 0xffff);
  setU16(b, ip + 6, s.df ? 0x4000 : 0);
  b[ip + 8] = s.ttl;
  b[ip + 9] = 6;
  setU32(b, ip + 12, s.src >>> 0);
  setU32(b, ip + 16, s.dst >>> 0);
  setU16(b, ip + 10, internetChecksum(b, ip, 20));
  const tcp = ip + 20;
  setU16(b, tcp, s.sport);
  setU16(b, tcp + 2, s.dport);
  setU32(b, tcp + 4, s.seq >>> 0);
  setU32(b, tcp + 8, s.ack >>> 0);
  b[tcp + 12] = ((20 + s.options.length) / 4) << 4;
  b[tcp + 13] = s.flags;
  setU16(b, tcp + 14, s.window);
  b.set(s.options, tcp + 20);
  b.set(s.payload, tcp + 20 + s.options.length);
  setU16(b, tcp + 16, internetChecksum(b, tcp, tcpLen, pseudoHeaderSum4(b, ip + 12, ip + 16, 6, tcpLen)));
  return length;
}
