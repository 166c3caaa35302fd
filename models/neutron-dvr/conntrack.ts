// Connection tracking as nf_conntrack does it for IPv4 TCP/UDP/ICMP: a connection has an ORIGINAL
// and a REPLY tuple; a packet belongs to a connection when its tuple equals one of them (that is its
// direction); an ICMP error is RELATED to the connection of the packet it quotes, in the direction
// opposite to that packet. NAT changes the REPLY tuple; the packet rewrite follows from the tuples.

import { u32ToIp4 } from './addr.js';
import { ETH_LEN, PROTO_ICMP, PROTO_TCP, ipDst, ipHl, ipProto, ipSrc, isIcmpError, l4Ports } from './frame.js';

/** The ICMP types that can open a connection (valid_new in nf_conntrack_proto_icmp.c): echo, timestamp, info and address-mask requests. */
const ICMP_VALID_NEW = new Set([8, 13, 15, 17]);

const TCP_FIN = 0x01;
const TCP_SYN = 0x02;
const TCP_RST = 0x04;
const TCP_ACK = 0x10;

/** TCP flags of the packet at `ip`, or undefined when it is not a TCP packet with its flags byte. */
function tcpFlags(b: Uint8Array, ip: number): number | undefined {
  const l4 = ip + ipHl(b, ip);
  return ipProto(b, ip) === PROTO_TCP && l4 + 14 <= b.length ? b[l4 + 13] : undefined;
}

/**
 * tcp_conntracks[ORIGINAL][index][sSS] is not sIV. get_conntrack_index tests RST first (any RST is
 * the rst row: sSS -> sCL), then SYN (with ACK the synack row: sSS -> sIV, "client can't send SYN
 * and then SYN/ACK"; without, the syn row: sSS -> sSS); fin, ack and none rows are sIV.
 */
function synSentOriginalValid(flags: number): boolean {
  if (flags & TCP_RST) return true;
  return (flags & (TCP_SYN | TCP_ACK)) === TCP_SYN;
}

export interface Tuple {
  src: number;
  dst: number;
  proto: number;
  /** TCP/UDP source port; ICMP echo identifier (conntrack's src.u.icmp.id). */
  sport: number;
  /** TCP/UDP destination port; 0 for ICMP. */
  dport: number;
}

export const ORIGINAL = 0;
export const REPLY = 1;
export type Direction = typeof ORIGINAL | typeof REPLY;

export interface Connection {
  /** [ORIGINAL, REPLY], as ct->tuplehash[dir].tuple. */
  tuples: [Tuple, Tuple];
  srcNat: boolean;
  dstNat: boolean;
  /** Whether the NAT decision of each manip type was taken (nf_nat_initialized). */
  natDoneSrc: boolean;
  natDoneDst: boolean;
  confirmed: boolean;
  /** get_unique_tuple had to pick a new port for this manip: its value is the kernel's random choice. */
  randomPort?: 'SRC' | 'DST';
  /**
   * TCP only: opened by a SYN and no reply seen yet (nf_conntrack_proto_tcp's SYN_SENT). Such a
   * connection treats a later original-direction packet as INVALID unless it is a SYN (retransmitted,
   * sSS) or carries RST (sCL): the tcp_conntracks ORIGINAL rows send sSS + SYN/ACK, FIN, ACK and none
   * to sIV - what a router that sees only one direction of a flow (DVR's qrouter for centrally SNATed
   * traffic) does to every packet after the SYN.
   */
  synSent?: boolean;
}

export type CtState = 'NEW' | 'ESTABLISHED' | 'RELATED' | 'INVALID';

export interface CtLookup {
  conn: Connection;
  dir: Direction;
  state: CtState;
}

/**
 * The tuple as a Map key: its five fields as seven 16-bit code units. Seven characters are cheaper to
 * build and hash than the decimal text, and it is compared, never shown.
 */
export function tupleKey(t: Tuple): string {
  return String.fromCharCode(t.proto, t.src >>> 16, t.src & 0xffff, t.sport, t.dst >>> 16, t.dst & 0xffff, t.dport);
}

export function tupleText(t: Tuple): string {
  const proto = t.proto === 6 ? 'tcp' : t.proto === 17 ? 'udp' : t.proto === 1 ? 'icmp' : String(t.proto);
  return t.proto === PROTO_ICMP ? `${proto} ${u32ToIp4(t.src)} -> ${u32ToIp4(t.dst)} id ${t.sport}` : `${proto} ${u32ToIp4(t.src)}:${t.sport} -> ${u32ToIp4(t.dst)}:${t.dport}`;
}

/** nf_ct_invert_tuple: swap ends; ICMP keeps its identifier. */
export function invert(t: Tuple): Tuple {
  if (t.proto === PROTO_ICMP) return { src: t.dst, dst: t.src, proto: t.proto, sport: t.sport, dport: 0 };
  return { src: t.dst, dst: t.src, proto: t.proto, sport: t.dport, dport: t.sport };
}

export function tupleOf(b: Uint8Array, ip: number): Tuple {
  const { sport, dport } = l4Ports(b, ip);
  return { src: ipSrc(b, ip), dst: ipDst(b, ip), proto: ipProto(b, ip), sport, dport };
}

export class ConntrackTable {
  private readonly byTuple = new Map<string, { conn: Connection; dir: Direction }>();

  find(t: Tuple): { conn: Connection; dir: Direction } | undefined {
    return this.byTuple.get(tupleKey(t));
  }

  /** nf_nat_used_tuple: is this tuple (as a REPLY tuple) taken by a confirmed connection? */
  usedAsReply(t: Tuple, except: Connection): boolean {
    const hit = this.byTuple.get(tupleKey(t));
    return hit !== undefined && hit.conn !== except;
  }

  /**
   * nf_conntrack_in for the frame's IPv4 packet. NEW connections are returned unconfirmed: they are
   * inserted by confirm() when the packet leaves (__nf_conntrack_confirm at POSTROUTING/INPUT).
   */
  classify(b: Uint8Array): CtLookup {
    const ip = ETH_LEN;
    if (isIcmpError(b, ip)) {
      const inner = ip + ipHl(b, ip) + 8;
      const hit = this.find(invert(tupleOf(b, inner)));
      if (hit) return { conn: hit.conn, dir: hit.dir, state: 'RELATED' };
    }
    const t = tupleOf(b, ip);
    const flags = tcpFlags(b, ip);
    const hit = this.find(t);
    if (hit) {
      if (flags !== undefined && hit.conn.synSent) {
        if (hit.dir === REPLY) hit.conn.synSent = false;
        else if (!synSentOriginalValid(flags)) return { conn: hit.conn, dir: hit.dir, state: 'INVALID' };
      }
      return { conn: hit.conn, dir: hit.dir, state: 'ESTABLISHED' };
    }
    const conn: Connection = { tuples: [t, invert(t)], srcNat: false, dstNat: false, natDoneSrc: false, natDoneDst: false, confirmed: false };
    if (t.proto === PROTO_ICMP && !isIcmpError(b, ip) && !ICMP_VALID_NEW.has(b[ip + ipHl(b, ip)])) {
      // nf_conntrack_icmp_packet: "Can't create a new ICMP `conn' with this" - only the request types
      // open one; anything else (a stray echo reply) is INVALID, untracked, never NATed. Seen in the lab
      // (LAB_ONLY=extra): an echo reply sent to the floating IP was not DNATed to the VM.
      return { conn, dir: ORIGINAL, state: 'INVALID' };
    }
    if (flags !== undefined) {
      // tcp_new: a SYN opens (SYN_SENT); a bare ACK is picked up mid-stream (nf_conntrack_tcp_loose=1,
      // the default); SYN+ACK, FIN, RST or no flag cannot open a connection: INVALID, not tracked.
      if ((flags & (TCP_SYN | TCP_ACK | TCP_RST | TCP_FIN)) === TCP_SYN) conn.synSent = true;
      else if ((flags & (TCP_SYN | TCP_RST | TCP_FIN)) || !(flags & TCP_ACK)) return { conn, dir: ORIGINAL, state: 'INVALID' };
    }
    return { conn, dir: ORIGINAL, state: 'NEW' };
  }

  confirm(conn: Connection): void {
    if (conn.confirmed) return;
    conn.confirmed = true;
    this.byTuple.set(tupleKey(conn.tuples[ORIGINAL]), { conn, dir: ORIGINAL });
    this.byTuple.set(tupleKey(conn.tuples[REPLY]), { conn, dir: REPLY });
  }

  /**
   * Give a confirmed connection another REPLY tuple: the port the kernel really chose on a clash,
   * learned from a capture (harness/check bindings), replaces the model's stand-in.
   */
  rebind(conn: Connection, reply: Tuple): void {
    if (conn.confirmed) {
      this.byTuple.delete(tupleKey(conn.tuples[REPLY]));
      this.byTuple.set(tupleKey(reply), { conn, dir: REPLY });
    }
    conn.tuples[REPLY] = reply;
  }

  get size(): number {
    return this.byTuple.size / 2;
  }
}
