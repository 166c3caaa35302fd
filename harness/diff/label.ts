// A packet named the way people talk about it: `SYN 10.1.1.3:51082 -> 10.104.221.85:80`.

import type { FieldValue, PacketTrace } from '../stage.js';
import { sameBytesLeaves } from './field-offsets.js';

const TCP_FLAG_NAMES: Array<[number, string]> = [
  [0x01, 'FIN'], [0x02, 'SYN'], [0x04, 'RST'], [0x08, 'PSH'], [0x10, 'ACK'], [0x20, 'URG'],
];

function tcpFlagsName(v: FieldValue | undefined): string {
  let bits: number | undefined;
  if (typeof v === 'number') bits = v;
  else if (typeof v === 'string') {
    const m = /0x([0-9a-f]+)/i.exec(v);
    if (m) bits = parseInt(m[1], 16);
    else return v.toUpperCase().split(/[\s,|]+/).filter(Boolean).join('-');
  }
  if (bits === undefined) return 'TCP';
  const names = TCP_FLAG_NAMES.filter(([b]) => bits! & b).map(([, n]) => n);
  // Conventional order: SYN-ACK, FIN-ACK, PSH-ACK, RST-ACK.
  const main = names.filter((n) => n !== 'ACK');
  return (main.length ? main.join('-') + (names.includes('ACK') ? '-ACK' : '') : names.includes('ACK') ? 'ACK' : 'TCP');
}

function endpoint(addr: FieldValue | undefined, port: FieldValue | undefined): string {
  const a = addr === undefined || addr === null ? '?' : String(addr);
  if (port === undefined || port === null) return a;
  return a.includes(':') ? `[${a}]:${port}` : `${a}:${port}`;
}

/** An ARP field by the dissector's name (`sender_proto`) or another input's (a VPP trace's `sender_ip`, field-offsets.ts). */
function arpField(f: Readonly<Record<string, FieldValue>>, leaf: string): FieldValue | undefined {
  let v = f[`arp.${leaf}`];
  for (const other of sameBytesLeaves('arp', leaf)) v ??= f[`arp.${other}`];
  return v;
}

/**
 * An ARP packet in tcpdump's words (print-arp.c: "who-has T tell S", "T is-at M"): the question, or
 * the answer with the address it gives.
 */
function arpLabel(f: Readonly<Record<string, FieldValue>>): string {
  const op = arpField(f, 'opcode');
  const sender = String(arpField(f, 'sender_proto') ?? '?');
  if (op === 1) return `ARP who-has ${arpField(f, 'target_proto') ?? '?'} tell ${sender}`;
  if (op === 2) return `ARP ${sender} is-at ${arpField(f, 'sender_hw') ?? '?'}`;
  return `ARP opcode ${op ?? '?'} ${sender} -> ${arpField(f, 'target_proto') ?? '?'}`;
}

/** Every field traceLabel reads (ARP's by the dissector's names: a capture's). */
export const LABEL_FIELDS = ['ip4.src', 'ip4.dst', 'ip6.src', 'ip6.dst', 'tcp.src_port', 'tcp.dst_port', 'udp.src_port', 'udp.dst_port', 'tcp.flags', 'icmp.type', 'icmp6.type', 'arp.opcode', 'arp.sender_proto', 'arp.target_proto', 'arp.sender_hw'];

/** The label of a trace: from its first stage that shows IP addresses or an ARP header (the packet as it entered). */
export function traceLabel(t: PacketTrace | undefined): string {
  if (!t) return 'packet';
  for (const s of t.stages) {
    const f = s.fields;
    if (arpField(f, 'opcode') !== undefined) return arpLabel(f);
    const ipv = f['ip4.src'] !== undefined ? 'ip4' : f['ip6.src'] !== undefined ? 'ip6' : undefined;
    if (!ipv) continue;
    const l4 = f['tcp.src_port'] !== undefined ? 'tcp' : f['udp.src_port'] !== undefined ? 'udp' : undefined;
    const kind = l4 === 'tcp' ? tcpFlagsName(f['tcp.flags']) : l4 === 'udp' ? 'UDP' : f['icmp.type'] !== undefined || f['icmp6.type'] !== undefined ? 'ICMP' : ipv.toUpperCase();
    return `${kind} ${endpoint(f[`${ipv}.src`], l4 ? f[`${l4}.src_port`] : undefined)} -> ${endpoint(f[`${ipv}.dst`], l4 ? f[`${l4}.dst_port`] : undefined)}`;
  }
  return `packet ${t.number ?? ''}`.trim();
}
