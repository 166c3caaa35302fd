// A packet named the way people talk about it: `SYN 10.1.1.3:51082 -> 10.104.221.85:80`.

import type { FieldValue, PacketTrace } from '../stage.js';

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

/** Every field traceLabel reads. */
export const LABEL_FIELDS = ['ip4.src', 'ip4.dst', 'ip6.src', 'ip6.dst', 'tcp.src_port', 'tcp.dst_port', 'udp.src_port', 'udp.dst_port', 'tcp.flags', 'icmp.type', 'icmp6.type'];

/** The label of a trace: from its first stage that shows IP addresses (the packet as it entered). */
export function traceLabel(t: PacketTrace | undefined): string {
  if (!t) return 'packet';
  for (const s of t.stages) {
    const f = s.fields;
    const ipv = f['ip4.src'] !== undefined ? 'ip4' : f['ip6.src'] !== undefined ? 'ip6' : undefined;
    if (!ipv) continue;
    const l4 = f['tcp.src_port'] !== undefined ? 'tcp' : f['udp.src_port'] !== undefined ? 'udp' : undefined;
    const kind = l4 === 'tcp' ? tcpFlagsName(f['tcp.flags']) : l4 === 'udp' ? 'UDP' : f['icmp.type'] !== undefined || f['icmp6.type'] !== undefined ? 'ICMP' : ipv.toUpperCase();
    return `${kind} ${endpoint(f[`${ipv}.src`], l4 ? f[`${l4}.src_port`] : undefined)} -> ${endpoint(f[`${ipv}.dst`], l4 ? f[`${l4}.dst_port`] : undefined)}`;
  }
  return `packet ${t.number ?? ''}`.trim();
}
