// Who a packet is, compactly, for `dpconform diff`: its flow (addresses, protocol, ports, ICMP id) and
// which packet of the flow (IP ID, TCP sequence/ack, ICMP sequence, payload hash). Matching needs only
// this, so a large capture is matched from a few dozen bytes per packet instead of every dissected
// field (diff-captures.ts dissects again only the pairs it compares).
//
// Match levels: 0 = flow + every identity field; k >= 1 = flow + IDENTITY[k-1] alone, for packets that
// have that field (one whose other identity fields changed: a TTL-expired resend, a rewritten seq).
// A level's key is the fields' text joined by '|', absent fields as '' - the same text whether it is
// built from a trace's fields or from a capture packet's.

import type { FieldValue } from '../stage.js';
import { sameBytesLeaves } from './field-offsets.js';

// ARP has no IP header, ports or IDs: without its own fields every ARP packet had the same (empty)
// flow and they paired in file order, a request with an unrelated reply. An ARP packet is the
// question it asks or answers (RFC 826): opcode, sender protocol address and target protocol address
// - "who has T, tell S" and the reply "T is at M" to S. The hardware addresses are what is said
// (the answer M, the asker's own MAC, a unicast request's cached target MAC), compared as content:
// a reply with another MAC is the same reply, changed. Named as the dissector names them (a capture);
// a VPP trace's spelling is read too (FLOW_SPELLINGS).
export const FLOW = [
  'ip4.src', 'ip4.dst', 'ip6.src', 'ip6.dst', 'ip4.protocol', 'ip6.next_header', 'tcp.src_port', 'tcp.dst_port', 'udp.src_port', 'udp.dst_port', 'icmp.type', 'icmp.id', 'icmp6.id',
  'arp.opcode', 'arp.sender_proto', 'arp.target_proto',
];
export const IDENTITY = ['ip4.id', 'tcp.seq', 'tcp.ack', 'icmp.seq', 'icmp6.seq', 'payload.sha256'];
export const IDENTITY_LEVELS = 1 + IDENTITY.length;

/** Separates identity values in one string (one string per packet, not one per value). */
const SEP = '\u0000';

export interface PacketIdentity {
  /** FLOW values joined by '|' (interned: the packets of a flow share one string). */
  readonly flow: string;
  /** IDENTITY values joined by SEP; an array in the odd case that a value holds SEP itself. */
  readonly ident: string | readonly string[];
  /** Bit k: IDENTITY[k] is present. */
  readonly present: number;
}

const text = (v: FieldValue | undefined): string => (v === undefined ? '' : String(v));

/** Each FLOW field and its other names (field-offsets.ts sameBytesLeaves: a VPP trace's `arp.sender_mac`). */
const FLOW_SPELLINGS: ReadonlyArray<readonly string[]> = FLOW.map((k) => {
  const dot = k.indexOf('.');
  return [k, ...sameBytesLeaves(k.slice(0, dot), k.slice(dot + 1)).map((leaf) => `${k.slice(0, dot)}.${leaf}`)];
});

function flowValue(f: Readonly<Record<string, FieldValue>>, k: number): FieldValue | undefined {
  const names = FLOW_SPELLINGS[k];
  let v = f[names[0]];
  for (let i = 1; v === undefined && i < names.length; i++) v = f[names[i]];
  return v;
}

/** FLOW's values of a packet's (id stage's) fields joined by '|', absent ones as ''. */
export function flowText(f: Readonly<Record<string, FieldValue>>): string {
  let flow = text(flowValue(f, 0));
  for (let k = 1; k < FLOW.length; k++) flow += '|' + text(flowValue(f, k));
  return flow;
}

/** The identity of a packet from its (id stage's) fields; `flows` interns the flow strings. */
export function identityOf(f: Readonly<Record<string, FieldValue>>, flows: Map<string, string>): PacketIdentity {
  let flow = flowText(f);
  const shared = flows.get(flow);
  if (shared === undefined) flows.set(flow, flow);
  else flow = shared;
  let present = 0;
  const parts: string[] = [];
  for (let k = 0; k < IDENTITY.length; k++) {
    const v = f[IDENTITY[k]];
    if (v !== undefined) present |= 1 << k;
    parts.push(text(v));
  }
  const joined = parts.join(SEP);
  return { flow, ident: parts.some((p) => p.includes(SEP)) ? parts : joined, present };
}

/** The key at a match level (see the file comment); undefined when the packet lacks that level's field. */
export function levelKey(id: PacketIdentity, level: number): string | undefined {
  const parts = typeof id.ident === 'string' ? undefined : id.ident;
  if (level === 0) return id.flow + '|' + (parts ? parts.join('|') : (id.ident as string).replaceAll(SEP, '|'));
  const k = level - 1;
  if (!(id.present & (1 << k))) return undefined;
  return id.flow + '|' + (parts ? parts[k] : (id.ident as string).split(SEP)[k]);
}
