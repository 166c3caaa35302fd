// The ports (ICMP: identifiers) get_unique_tuple chose at random on a NAT clash, until a capture tells
// what they are. The model predicts such a packet with a stand-in port marked unknown; `check`
// (harness/check/bindings.ts) reads the kernel's port from the first capture that shows it and binds
// it here: the connection's REPLY tuple takes the real port, so the kernel's replies find the
// connection and are un-NATed, and later packets of the connection carry the real port as known bytes.

import { u16 } from '../../harness/wire/bytes.js';
import type { KnownBytes } from '../../harness/wire/known.js';
import type { UnboundValue } from '../../harness/check/bindings.js';
import { REPLY, invert, tupleKey, tupleOf, tupleText, type Connection, type ConntrackTable, type Tuple } from './conntrack.js';
import { ETH_LEN, ETHERTYPE_IPV4, PROTO_ICMP, ethType, ipHl, ipProto, isIcmpError } from './frame.js';
import type { Manip } from './nat.js';

interface Pending {
  table: ConntrackTable;
  conn: Connection;
  manip: Manip;
  /** The tuple of the connection's packets as the model predicted them, with its stand-in port. */
  predictedKey: string;
  bound: boolean;
}

/** Offset of the port (or ICMP id) a `manip` NAT writes, in the IPv4 packet at `ip`. */
function portOffset(b: Uint8Array, ip: number, manip: Manip): number {
  const l4 = ip + ipHl(b, ip);
  if (ipProto(b, ip) === PROTO_ICMP) return l4 + 4;
  return manip === 'SRC' ? l4 : l4 + 2;
}

/** The REPLY tuple with `port` where the NATed port (or ICMP id) sits. */
function withPort(reply: Tuple, manip: Manip, port: number): Tuple {
  if (reply.proto === PROTO_ICMP || manip === 'DST') return { ...reply, sport: port };
  return { ...reply, dport: port };
}

export class RandomPorts {
  /** Every port chosen at random, bound or not: predictions made before the binding still name it. */
  private readonly pending = new Map<string, Pending>();

  /** A NAT in namespace `ns` had to pick a port for `conn`; returns the name check binds it by. */
  register(ns: string, table: ConntrackTable, conn: Connection, manip: Manip): string {
    const what = conn.tuples[0].proto === PROTO_ICMP ? 'id' : 'port';
    const id = `${ns}: ${manip === 'SRC' ? 'source' : 'destination'} NAT ${what} of ${tupleText(conn.tuples[0])}`;
    this.pending.set(id, { table, conn, manip, predictedKey: tupleKey(invert(conn.tuples[REPLY])), bound: false });
    return id;
  }

  /**
   * The unbound ports in a predicted frame: a packet of the connection as it leaves the NAT (its tuple
   * is the inverted REPLY tuple), or an ICMP error quoting one, with the port bytes still unknown.
   * A frame predicted before its port was bound (another device's copy of the same packet) still
   * names it, so check can hold it to the bound value.
   */
  unboundValues(frame: Uint8Array, known: KnownBytes | undefined): UnboundValue[] {
    if (!this.pending.size || !known || frame.length < ETH_LEN + 20 || ethType(frame) !== ETHERTYPE_IPV4) return [];
    const out: UnboundValue[] = [];
    const ips = [ETH_LEN];
    if (isIcmpError(frame, ETH_LEN)) ips.push(ETH_LEN + ipHl(frame, ETH_LEN) + 8);
    for (const ip of ips) {
      if (frame.length < ip + 20) continue;
      const key = tupleKey(tupleOf(frame, ip));
      for (const [id, p] of this.pending) {
        // A quoted packet went the original way, so it carries the NATed port like the outer one.
        if (p.predictedKey !== key) continue;
        const offset = portOffset(frame, ip, p.manip);
        if (offset + 2 <= frame.length && !known.has(offset, 2)) out.push({ id, offset, length: 2 });
      }
    }
    return out;
  }

  /** The kernel's port for `id`: the connection takes it; its port is known from now on. */
  bind(id: string, value: Uint8Array): boolean {
    const p = this.pending.get(id);
    if (!p || p.bound || value.length !== 2) return false;
    p.table.rebind(p.conn, withPort(p.conn.tuples[REPLY], p.manip, u16(value, 0)));
    p.conn.randomPort = undefined;
    p.bound = true;
    return true;
  }
}
