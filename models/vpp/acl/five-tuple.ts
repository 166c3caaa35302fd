// The ACL plugin's 5-tuple (fa_5tuple_t, vpp-facts §9.1): what acl_fill_5tuple reads from the
// packet, and its six 64-bit words as the trace prints them (`pkt info`). VPP reads L4 at a fixed
// 20 bytes after the IP header start (IP options are not skipped), reads the TCP flags byte at L4+13
// even for UDP (marked invalid), and treats (flags_and_offset & 0x0fff) != 0 as a non-first fragment.

import { u16, u32 } from '../../../harness/wire/bytes.js';
import { IpProtocol } from '../../../harness/wire/ipv4.js';
import { swap32 } from '../ip-csum.js';

export interface FiveTuple {
  /** addr[0] / addr[1]: packet src and dst (big-endian u32). */
  src: number;
  dst: number;
  proto: number;
  /** Host-order ports, or ICMP type / code. */
  port0: number;
  port1: number;
  lsb16: number;
  swIfIndex: number;
  tcpFlags: number;
  tcpFlagsValid: boolean;
  isInput: boolean;
  l4Valid: boolean;
  nonFirstFragment: boolean;
  isIp6: boolean;
}

/** A 5-tuple to fill (the ACL engine keeps one and refills it per packet). */
export function emptyFiveTuple(): FiveTuple {
  return { src: 0, dst: 0, proto: 0, port0: 0, port1: 0, lsb16: 0, swIfIndex: 0, tcpFlags: 0, tcpFlagsValid: false, isInput: false, l4Valid: false, nonFirstFragment: false, isIp6: false };
}

/**
 * acl_fill_5tuple for IPv4 (into `into`, a fresh tuple by default). `l3` is the IP header's index in `bytes`; `currentEnd` the index just
 * past the buffer's current bytes (offset_within_packet needs 8 bytes after the L4 offset).
 */
export function fill5Tuple(
  bytes: Uint8Array,
  l3: number,
  currentStart: number,
  currentEnd: number,
  swIfIndex: number,
  isInput: boolean,
  into: FiveTuple = emptyFiveTuple(),
): FiveTuple {
  const proto = bytes[l3 + 9];
  let l4 = l3 + 20;
  const nonFirstFragment = (u16(bytes, l3 + 6) & 0x0fff) !== 0;
  // VPP pushes the L4 offset past the packet so no L4 field is read from a non-first fragment.
  if (nonFirstFragment) l4 += currentEnd - currentStart;
  const t = into;
  t.src = u32(bytes, l3 + 12);
  t.dst = u32(bytes, l3 + 16);
  t.proto = proto;
  t.port0 = t.port1 = 0;
  t.lsb16 = swIfIndex & 0xffff;
  t.swIfIndex = swIfIndex;
  t.tcpFlags = 0;
  t.tcpFlagsValid = false;
  t.isInput = isInput;
  t.l4Valid = false;
  t.nonFirstFragment = nonFirstFragment;
  t.isIp6 = false;
  if (l4 - currentStart <= currentEnd - currentStart - 8) {
    t.l4Valid = true;
    if (proto === IpProtocol.ICMP) {
      t.port0 = bytes[l4];
      t.port1 = bytes[l4 + 1];
    } else if (proto === IpProtocol.TCP || proto === IpProtocol.UDP) {
      t.port0 = u16(bytes, l4);
      t.port1 = u16(bytes, l4 + 2);
      t.tcpFlags = bytes[l4 + 13];
      t.tcpFlagsValid = proto === IpProtocol.TCP;
    }
  }
  return t;
}

/** The flag byte of word 5: bit 0 tcp_flags_valid, 1 is_input, 2 l4_valid, 3 non-first fragment, 4 is_ip6. */
export function flagByte(t: FiveTuple): number {
  return (t.tcpFlagsValid ? 1 : 0) | (t.isInput ? 2 : 0) | (t.l4Valid ? 4 : 0) | (t.nonFirstFragment ? 8 : 0) | (t.isIp6 ? 16 : 0);
}

/** The six little-endian words of fa_5tuple_t (`pkt info`); mask_type_index_lsb is ~0 (0xffff). */
export function pktInfoWords(t: FiveTuple): bigint[] {
  const a0 = BigInt(swap32(t.src)) << 32n;
  const a1 = BigInt(swap32(t.dst)) << 32n;
  const w4 = BigInt(t.port0) | (BigInt(t.port1) << 16n) | (BigInt(t.proto) << 32n) | (BigInt(t.lsb16) << 48n);
  const w5 = BigInt(t.swIfIndex >>> 0) | (0xffffn << 32n) | (BigInt(t.tcpFlags) << 48n) | (BigInt(flagByte(t)) << 56n);
  return [0n, a0, 0n, a1, w4, w5];
}

/**
 * The session key packed in four 32-bit words: addr[0], addr[1], port[0] << 16 | port[1],
 * proto << 16 | lsb16. Held as int32 (the words are only compared and hashed): a u32 word at or
 * above 2^31 - every source port from 32768 - would be a heap number at every call it crosses.
 */
export type AclSessionKey = Int32Array;

/**
 * The session key (acl_make_5tuple_session_key): addr/port slot 0 is the packet's src on input and
 * its dst on output, so a session made on input of X matches the reverse flow on output of X.
 * Written into `into` (the engine's one key) or a fresh key.
 */
export function sessionKey(t: FiveTuple, isInput: boolean, into: AclSessionKey = new Int32Array(4)): AclSessionKey {
  into[0] = isInput ? t.src : t.dst;
  into[1] = isInput ? t.dst : t.src;
  into[2] = isInput ? (t.port0 << 16) | t.port1 : (t.port1 << 16) | t.port0;
  into[3] = (t.proto << 16) | t.lsb16;
  return into;
}
