// nf_nat for IPv4, the parts a DVR router exercises:
//  - nf_nat_setup_info / get_unique_tuple: a SNAT/DNAT rule rewrites the connection's REPLY tuple;
//    the port is kept when the resulting tuple is free (nf_nat_used_tuple), as Linux does.
//  - nf_nat_packet: every packet of the connection is rewritten from the tuples, in both
//    directions: SRC manip at POSTROUTING, DST manip at PREROUTING, the reply un-NAT included.
//  - nf_nat_ipv4_manip_pkt: address + port rewrite with csum_replace4/2 on the IP and L4 checksums
//    (UDP checksum 0 stays 0; a result of 0 becomes CSUM_MANGLED_0; a quoted TCP header cut to 8
//    bytes gets its ports only).
//  - nf_nat_icmp_reply_translation: an ICMP error of a NATed connection gets its quoted packet
//    translated (inner manip of the opposite type), its ICMP checksum recomputed in full, and its
//    outer header translated like a reply.

import { u16, setU16 } from '../../harness/wire/bytes.js';
import type { KnownBytes } from '../../harness/wire/known.js';
import { internetChecksum } from '../../harness/wire/checksum.js';
import { csumReplace2, csumReplace4 } from './linux-csum.js';
import { ETH_LEN, PROTO_ICMP, PROTO_TCP, PROTO_UDP, ICMP_ERROR_TYPES, ipCheck, ipDst, ipHl, ipProto, ipSrc, ipTotalLen, setIpCheck, setIpDst, setIpSrc } from './frame.js';
import { invert, ORIGINAL, REPLY, type Connection, type ConntrackTable, type Direction, type Tuple } from './conntrack.js';

export type Manip = 'SRC' | 'DST';

/** The ICMP message types whose identifier conntrack tracks (icmp_manip_pkt rewrites it). */
const ICMP_WITH_ID = new Set([0, 8, 13, 14, 15, 16, 17, 18]);

/**
 * nf_nat_ipv4_manip_pkt: rewrite the IPv4 packet at `ip` (ending at `end`) toward `target`.
 */
export function manipPacket(b: Uint8Array, ip: number, end: number, target: Tuple, manip: Manip): void {
  const l4 = ip + ipHl(b, ip);
  const proto = ipProto(b, ip);
  const oldIp = manip === 'SRC' ? ipSrc(b, ip) : ipDst(b, ip);
  const newIp = manip === 'SRC' ? target.src : target.dst;
  if (proto === PROTO_TCP || proto === PROTO_UDP) {
    if (l4 + 8 <= end) {
      const portOff = manip === 'SRC' ? l4 : l4 + 2;
      const oldPort = u16(b, portOff);
      const newPort = manip === 'SRC' ? target.sport : target.dport;
      setU16(b, portOff, newPort);
      const checkOff = proto === PROTO_TCP ? l4 + 16 : l4 + 6;
      const full = proto === PROTO_TCP ? l4 + 20 <= end : true; // tcp_manip_pkt: an 8-byte quote has no checksum
      const doCsum = full && (proto === PROTO_TCP || u16(b, checkOff) !== 0);
      if (doCsum) {
        let c = csumReplace4(u16(b, checkOff), oldIp, newIp);
        c = csumReplace2(c, oldPort, newPort);
        if (proto === PROTO_UDP && c === 0) c = 0xffff; // CSUM_MANGLED_0
        setU16(b, checkOff, c);
      }
    }
  } else if (proto === PROTO_ICMP && l4 + 8 <= end && ICMP_WITH_ID.has(b[l4])) {
    // icmp_manip_pkt uses the tuple's src id for both manip types; no pseudo-header in ICMP.
    const oldId = u16(b, l4 + 4);
    setU16(b, l4 + 2, csumReplace2(u16(b, l4 + 2), oldId, target.sport));
    setU16(b, l4 + 4, target.sport);
  }
  setIpCheck(b, ip, csumReplace4(ipCheck(b, ip), oldIp, newIp));
  if (manip === 'SRC') setIpSrc(b, ip, newIp);
  else setIpDst(b, ip, newIp);
}

/** Which status bit a hook's manip needs for a packet of direction `dir` (nf_nat_packet). */
function needsManip(conn: Connection, manip: Manip, dir: Direction): boolean {
  let srcBit = manip === 'SRC';
  if (dir === REPLY) srcBit = !srcBit;
  return srcBit ? conn.srcNat : conn.dstNat;
}

/** nf_nat_packet: rewrite an established packet from the connection's tuples. */
export function natPacket(b: Uint8Array, conn: Connection, dir: Direction, manip: Manip): boolean {
  if (!needsManip(conn, manip, dir)) return false;
  const target = invert(conn.tuples[dir === ORIGINAL ? REPLY : ORIGINAL]);
  manipPacket(b, ETH_LEN, ETH_LEN + ipTotalLen(b, ETH_LEN), target, manip);
  return true;
}

/** nf_nat_icmp_reply_translation for an ICMP error RELATED to `conn` in direction `dir`. */
export function natIcmpReply(b: Uint8Array, conn: Connection, dir: Direction, manip: Manip): boolean {
  if (!needsManip(conn, manip, dir)) return false;
  const ip = ETH_LEN;
  const end = ip + ipTotalLen(b, ip);
  const icmp = ip + ipHl(b, ip);
  const other = conn.tuples[dir === ORIGINAL ? REPLY : ORIGINAL];
  // The quoted packet went the other way: translate it with the opposite manip, toward the tuple itself.
  manipPacket(b, icmp + 8, end, other, manip === 'SRC' ? 'DST' : 'SRC');
  setU16(b, icmp + 2, 0);
  setU16(b, icmp + 2, internetChecksum(b, icmp, end - icmp));
  // The outer header, like a reply to the connection; icmp_manip_pkt leaves error types alone.
  const target = { ...invert(other), proto: PROTO_ICMP };
  manipPacket(b, ip, end, target, manip);
  return true;
}

/**
 * The range get_unique_tuple searches when a port is taken and the rule names none
 * (nf_nat_l4proto_unique_tuple without NF_NAT_RANGE_PROTO_SPECIFIED): an ICMP id any 16-bit value;
 * a port in the same class as the one it had (below 512, 600-1023, 1024 and up).
 */
export function natPortRange(proto: number, port: number): [number, number] {
  if (proto === PROTO_ICMP) return [0, 65535];
  if (port < 512) return [1, 511];
  if (port < 1024) return [600, 1023];
  return [1024, 65535];
}

export interface NatBinding {
  /** The packet's tuple after this NAT (ORIGINAL direction as it leaves). */
  tuple: Tuple;
  /** True when the port had to change: Linux then picks a pseudo-random free port. */
  portChanged: boolean;
  /** The port (ICMP: id) the NAT would have kept: the packet's own, or the rule's --to port. */
  kept: number;
  /** Where the kernel picks the new port from; undefined when the rule names a port (not modelled). */
  range?: [number, number];
}

/**
 * nf_nat_setup_info for a SNAT/DNAT rule (`to` address, optional fixed port): set the REPLY tuple.
 * Without a rule (null binding) `to` is the current address, which still resolves clashes.
 * `randomFully` (--random-fully, NF_NAT_RANGE_PROTO_RANDOM_FULLY): get_unique_tuple never keeps the
 * port, nf_nat_l4proto_unique_tuple always picks one at random.
 */
export function setupNat(table: ConntrackTable, conn: Connection, manip: Manip, to: number, toPort?: number, randomFully = false): NatBinding {
  const curr = invert(conn.tuples[REPLY]);
  const t: Tuple = { ...curr };
  if (manip === 'SRC') {
    t.src = to;
    if (toPort !== undefined) t.sport = toPort;
  } else {
    t.dst = to;
    if (toPort !== undefined) t.dport = toPort;
  }
  let portChanged = false;
  // The ICMP identifier is the tuple's sport for either manip type.
  const key = manip === 'SRC' || t.proto === PROTO_ICMP ? 'sport' : 'dport';
  const kept = t[key];
  const range = toPort === undefined ? natPortRange(t.proto, kept) : undefined;
  if (randomFully || table.usedAsReply(invert(t), conn)) {
    // Linux searches from a hashed/random offset; the model takes the first free port other than the
    // one it had (a stand-in: callers mark it unknown, check binds the kernel's) and says so.
    const had = kept;
    const [lo, hi] = range ?? natPortRange(t.proto, had);
    for (let p = lo; p <= hi; p++) {
      if (p === had) continue;
      t[key] = p;
      if (!table.usedAsReply(invert(t), conn)) break;
    }
    portChanged = true;
  }
  conn.tuples[REPLY] = invert(t);
  const changed = manip === 'SRC' ? t.src !== curr.src || t.sport !== curr.sport : t.dst !== curr.dst || t.dport !== curr.dport;
  if (manip === 'SRC') {
    conn.natDoneSrc = true;
    if (changed) conn.srcNat = true;
  } else {
    conn.natDoneDst = true;
    if (changed) conn.dstNat = true;
  }
  return { tuple: t, portChanged, kept, range };
}

/**
 * Mark the port (ICMP: the identifier) a NAT of type `manip` wrote into the packet at `ip`, and the L4
 * checksum that covers it, as not predicted. Linux's get_unique_tuple starts its search for a free
 * port at a hashed/random offset, so neither value can be computed; the rest of the packet still is.
 */
export function forgetNatPort(known: KnownBytes, b: Uint8Array, ip: number, manip: Manip): KnownBytes {
  const l4 = ip + ipHl(b, ip);
  const proto = ipProto(b, ip);
  if (proto === PROTO_TCP || proto === PROTO_UDP) {
    known.forget(manip === 'SRC' ? l4 : l4 + 2, 2);
    const checkOff = proto === PROTO_TCP ? l4 + 16 : l4 + 6;
    if (proto === PROTO_TCP || u16(b, checkOff) !== 0) known.forget(checkOff, 2); // UDP checksum 0 stays 0
  } else if (proto === PROTO_ICMP) {
    known.forget(l4 + 4, 2);
    known.forget(l4 + 2, 2);
  }
  return known;
}

export function isIcmpErrorType(type: number): boolean {
  return ICMP_ERROR_TYPES.has(type);
}
