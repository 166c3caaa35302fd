// The ports (ICMP: identifiers) get_unique_tuple chose at random on a NAT clash, until a capture tells
// what they are. The model predicts such a packet with a stand-in port marked unknown; `check`
// (harness/check/bindings.ts) reads the kernel's port from the first capture that shows it and binds
// it here: the connection's REPLY tuple takes the real port, so the kernel's replies find the
// connection and are un-NATed, and later packets of the connection carry the real port as known bytes.

import { u16 } from '../../harness/wire/bytes.js';
import type { KnownBytes } from '../../harness/wire/known.js';
import type { UnboundValue, ValueRule } from '../../harness/check/bindings.js';
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
  /** What is known of the kernel's choice (refuses a capture that contradicts the predicted clash). */
  rule: ValueRule;
}

/** How the NAT came to pick a port: what it would have kept, where it picks from, and why it picked. */
export interface PortChoice {
  kept: number;
  range?: [number, number];
  /** --random-fully: the kernel picks at random even when the port is free (it may pick the same one). */
  randomFully: boolean;
}

/**
 * A clash means get_unique_tuple found the kept port taken, so the kernel cannot have kept it; under
 * --random-fully any port of the range may come out, the kept one included.
 */
function choiceRule(choice: PortChoice, what: string): ValueRule {
  const rule: ValueRule = {};
  if (!choice.randomFully) rule.not = { value: choice.kept, reason: `the model predicted a clash; the kernel kept ${what} ${choice.kept}` };
  if (choice.range) rule.range = { lo: choice.range[0], hi: choice.range[1], what: `the range nf_nat_l4proto_unique_tuple picks ${what}s from` };
  return rule;
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
  register(ns: string, table: ConntrackTable, conn: Connection, manip: Manip, choice: PortChoice): string {
    const what = conn.tuples[0].proto === PROTO_ICMP ? 'id' : 'port';
    const id = `${ns}: ${manip === 'SRC' ? 'source' : 'destination'} NAT ${what} of ${tupleText(conn.tuples[0])}`;
    this.pending.set(id, { table, conn, manip, predictedKey: tupleKey(invert(conn.tuples[REPLY])), bound: false, rule: choiceRule(choice, what) });
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
      // A stand-in freed by a binding may be handed to a later clash: the stand-in key then belongs to
      // the connection registered last (Map order), never to both.
      let hit: [string, Pending] | undefined;
      for (const e of this.pending) if (e[1].predictedKey === key) hit = e;
      if (!hit) continue;
      const [id, p] = hit;
      // A quoted packet went the original way, so it carries the NATed port like the outer one.
      const offset = portOffset(frame, ip, p.manip);
      if (offset + 2 <= frame.length && !known.has(offset, 2)) out.push({ id, offset, length: 2, rule: p.rule });
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
