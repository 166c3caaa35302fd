// Two renderings of a dissected packet: the `inspect --json` object (the contract in TEAM.md) and a
// one-line summary in the manner of `tcpdump -n -v`. Colour is the caller's choice (a Paint).

import type { Packet } from '../wire/packet.js';
import type { FieldValue, Layer } from './layer.js';

export interface PacketJson {
  frame: number;
  interface: string | number;
  link_type: number;
  /** Seconds since the epoch with 9 fraction digits. */
  timestamp: string;
  caplen: number;
  origlen: number;
  layers: Array<Record<string, FieldValue>>;
}

export function timestampText(ns: bigint | undefined): string {
  const t = ns ?? 0n;
  const neg = t < 0n;
  const a = neg ? -t : t;
  return `${neg ? '-' : ''}${a / 1_000_000_000n}.${(a % 1_000_000_000n).toString().padStart(9, '0')}`;
}

function layerJson(l: Layer): Record<string, FieldValue> {
  const o: Record<string, FieldValue> = { name: l.name, ...l.fields };
  if (l.quoted) o.quoted = l.quoted.map(layerJson);
  return o;
}

export function packetJson(p: Packet, layers: readonly Layer[]): PacketJson {
  return {
    frame: p.meta.frame ?? 0,
    interface: p.meta.interfaceName ?? p.meta.interfaceId ?? 0,
    link_type: p.meta.linkType,
    timestamp: timestampText(p.meta.timestampNs),
    caplen: p.data.length,
    origlen: p.meta.origLength ?? p.data.length,
    layers: layers.map(layerJson),
  };
}

/** Colour hooks; identity when colour is off. */
export interface Paint {
  time(s: string): string;
  proto(s: string): string;
  addr(s: string): string;
  bad(s: string): string;
}

export const NO_PAINT: Paint = { time: (s) => s, proto: (s) => s, addr: (s) => s, bad: (s) => s };

const IP_PROTO_NAMES: Record<number, string> = { 1: 'ICMP', 4: 'IPIP', 6: 'TCP', 17: 'UDP', 41: 'IPv6', 47: 'GRE', 58: 'ICMPv6', 137: 'MPLS' };

const DAY_NS = 86_400n * 1_000_000_000n;

/** UTC time of day with microseconds, like tcpdump's default (but independent of the local zone). */
export function timeOfDay(ns: bigint | undefined): string {
  // Floor modulo: a time before the epoch (a negative pcapng if_tsoffset makes one) is still a time
  // of day, as gmtime gives it (-100 s is 23:58:20); BigInt's truncating % gave "-1:-2:-40".
  const inDay = (((ns ?? 0n) % DAY_NS) + DAY_NS) % DAY_NS;
  const secOfDay = Number(inDay / 1_000_000_000n);
  const us = Number((inDay % 1_000_000_000n) / 1000n);
  const hh = String(Math.floor(secOfDay / 3600)).padStart(2, '0');
  const mm = String(Math.floor(secOfDay / 60) % 60).padStart(2, '0');
  const ss = String(secOfDay % 60).padStart(2, '0');
  return `${hh}:${mm}:${ss}.${String(us).padStart(6, '0')}`;
}

function cksum(f: Record<string, FieldValue>, paint: Paint, label = 'cksum'): string {
  if (typeof f.checksum !== 'number') return '';
  const v = `${label} 0x${f.checksum.toString(16).padStart(4, '0')}`;
  if (f.checksum_valid === true) return `${v} (correct)`;
  if (f.checksum_valid === false) return paint.bad(`${v} (incorrect)`);
  if (f.checksum_status === 'none') return `${v} (none)`;
  return `${v} (unverified)`;
}

function tcpFlags(flags: number): string {
  let s = '';
  if (flags & 0x02) s += 'S';
  if (flags & 0x01) s += 'F';
  if (flags & 0x08) s += 'P';
  if (flags & 0x04) s += 'R';
  if (flags & 0x20) s += 'U';
  if (flags & 0x40) s += 'E';
  if (flags & 0x80) s += 'W';
  if (flags & 0x10) s += '.';
  return s || 'none';
}

function tcpOptionsText(opts: FieldValue): string {
  if (!Array.isArray(opts) || opts.length === 0) return '';
  const parts = opts.map((o) => {
    const r = o as Record<string, FieldValue>;
    switch (r.kind) {
      case 'mss': return `mss ${r.value}`;
      case 'wscale': return `wscale ${r.shift}`;
      case 'sack_permitted': return 'sackOK';
      case 'timestamps': return `TS val ${r.tsval} ecr ${r.tsecr}`;
      case 'sack': return `sack ${(r.blocks as number[][]).length} ${(r.blocks as number[][]).map(([a, b]) => `{${a}:${b}}`).join('')}`;
      case 'unknown': return `unknown-${r.type} 0x${r.data}`;
      default: return String(r.kind);
    }
  });
  return `, options [${parts.join(',')}]`;
}

/** True when `s` ends in "length N" (the layer before already said how long its payload is). */
function endsWithLength(s: string): boolean {
  let i = s.length;
  while (i > 0 && s.charCodeAt(i - 1) >= 48 && s.charCodeAt(i - 1) <= 57) i--;
  return i < s.length && s.endsWith('length ', i);
}

/** One line per packet, tcpdump -n -v in spirit: outer to inner, each header's key fields. */
export function packetLine(p: Packet, layers: readonly Layer[], paint: Paint = NO_PAINT): string {
  const out: string[] = [];
  describeLayers(layers, out, paint);
  const trunc = p.meta.origLength !== undefined && p.meta.origLength > p.data.length ? ` [|caplen ${p.data.length} of ${p.meta.origLength}]` : '';
  return `${paint.time(timeOfDay(p.meta.timestampNs))} ${out.join(' ')}${trunc}`;
}

function describeLayers(layers: readonly Layer[], out: string[], paint: Paint): void {
  // Ports are printed with the addresses (a.b.c.d.port), so the IP text waits for its L4 layer.
  let ipSrc = '';
  let ipDst = '';
  let pendingIp = false;
  const flushIp = () => {
    if (pendingIp) out.push(`${paint.addr(ipSrc)} > ${paint.addr(ipDst)}:`);
    pendingIp = false;
  };
  for (const l of layers) {
    const f = l.fields;
    switch (l.name) {
      case 'eth':
        out.push(`${paint.addr(String(f.src ?? '?'))} > ${paint.addr(String(f.dst ?? '?'))},`);
        break;
      case 'vlan':
        out.push(`${paint.proto(f.tpid === 0x8100 ? '802.1Q' : '802.1ad')} vlan ${f.vid ?? '?'}, p ${f.pcp ?? '?'}${f.dei ? ', DEI' : ''},`);
        break;
      case 'sll':
      case 'sll2':
        out.push(`${paint.proto(l.name.toUpperCase())} ${f.address ?? ''} proto 0x${Number(f.protocol ?? 0).toString(16).padStart(4, '0')},`);
        break;
      case 'arp': {
        flushIp();
        const op = f.opcode === 1 ? `who-has ${f.target_proto} tell ${f.sender_proto}` : f.opcode === 2 ? `reply ${f.sender_proto} is-at ${f.sender_hw}` : `opcode ${f.opcode}`;
        out.push(`${paint.proto('ARP')}, ${op}`);
        break;
      }
      case 'ip4': {
        flushIp();
        const flags = (f.df ? 'DF' : '') + (f.mf ? '+' : '');
        const proto = typeof f.protocol === 'number' ? `${IP_PROTO_NAMES[f.protocol] ?? 'unknown'} (${f.protocol})` : '?';
        out.push(
          `${paint.proto('IP')} (tos 0x${Number(f.tos ?? 0).toString(16)}, ttl ${f.ttl ?? '?'}, id ${f.id ?? '?'}, offset ${Number(f.fragment_offset ?? 0) * 8}, flags [${flags || 'none'}], proto ${proto}, length ${f.total_length ?? '?'}${f.checksum_valid === false ? ', ' + paint.bad('bad cksum ' + Number(f.checksum).toString(16) + '!') : ''})`,
        );
        ipSrc = String(f.src ?? '?');
        ipDst = String(f.dst ?? '?');
        pendingIp = true;
        break;
      }
      case 'ip6':
        flushIp();
        out.push(`${paint.proto('IP6')} (flowlabel 0x${Number(f.flow_label ?? 0).toString(16).padStart(5, '0')}, hlim ${f.hop_limit ?? '?'}, next-header ${IP_PROTO_NAMES[Number(f.next_header)] ?? f.next_header} (${f.next_header}), payload length ${f.payload_length ?? '?'})`);
        ipSrc = String(f.src ?? '?');
        ipDst = String(f.dst ?? '?');
        pendingIp = true;
        break;
      case 'ip6.hop':
      case 'ip6.dest':
      case 'ip6.route':
        out.push(`${paint.proto(l.name === 'ip6.hop' ? 'HBH' : l.name === 'ip6.dest' ? 'DSTOPT' : 'RT6')}${l.name === 'ip6.route' ? ` (type ${f.type}, segleft ${f.segments_left})` : ''}`);
        break;
      case 'ip6.frag':
        out.push(`${paint.proto('frag')} (0x${Number(f.id ?? 0).toString(16).padStart(8, '0')}:${Number(f.fragment_offset ?? 0) * 8}${f.m ? '+' : ''})`);
        break;
      case 'tcp':
        out.push(`${paint.addr(ipSrc)}.${f.src_port ?? '?'} > ${paint.addr(ipDst)}.${f.dst_port ?? '?'}:`);
        pendingIp = false;
        // A header the capture cut or an ICMP error quotes in part says only what it has.
        const said = [f.flags !== undefined && `Flags [${tcpFlags(Number(f.flags))}]`, cksum(f, paint), f.seq !== undefined && `seq ${f.seq}`, f.ack !== undefined && `ack ${f.ack}`, f.window !== undefined && `win ${f.window}`];
        out.push(`${said.filter(Boolean).join(', ')}${tcpOptionsText(f.options ?? [])}${said.some(Boolean) ? ', ' : ''}length ${f.payload_length ?? '?'}`);
        break;
      case 'udp': {
        const sum = cksum(f, paint, 'udp sum');
        out.push(`${paint.addr(ipSrc)}.${f.src_port ?? '?'} > ${paint.addr(ipDst)}.${f.dst_port ?? '?'}:${sum && ` [${sum}]`} ${paint.proto('UDP')}, length ${f.payload_length ?? (f.length === undefined ? '?' : Number(f.length) - 8)}`);
        pendingIp = false;
        break;
      }
      case 'icmp':
      case 'icmp6': {
        flushIp();
        const idseq = (f.id !== undefined ? `, id ${f.id}` : '') + (f.seq !== undefined ? `, seq ${f.seq}` : '');
        const extra = f.mtu !== undefined ? `, mtu ${f.mtu}` : f.pointer !== undefined ? `, pointer ${f.pointer}` : '';
        out.push(`${paint.proto(l.name === 'icmp' ? 'ICMP' : 'ICMP6')} type ${f.type} code ${f.code}${idseq}${extra}, ${cksum(f, paint, 'cksum')}`);
        if (l.quoted) {
          const inner: string[] = [];
          describeLayers(l.quoted, inner, paint);
          out.push(`[quoted: ${inner.join(' ')}]`);
        }
        break;
      }
      case 'vxlan':
        flushIp();
        out.push(`${paint.proto('VXLAN')}, flags [${f.vni_valid ? 'I' : '.'}] (0x${Number(f.flags ?? 0).toString(16).padStart(2, '0')}), vni ${f.vni}`);
        break;
      case 'gre': {
        flushIp();
        const parts = [`${paint.proto('GREv' + f.version)}, proto 0x${Number(f.protocol ?? 0).toString(16).padStart(4, '0')}`];
        if (f.checksum !== undefined) parts.push(cksum(f, paint, 'sum'));
        if (f.key !== undefined) parts.push(`key=0x${Number(f.key).toString(16)}`);
        if (f.sequence !== undefined) parts.push(`seq ${f.sequence}`);
        out.push(parts.join(', '));
        break;
      }
      case 'mpls':
        flushIp();
        out.push(`${paint.proto('MPLS')} (label ${f.label}, tc ${f.tc}${f.bos ? ', [S]' : ''}, ttl ${f.ttl})`);
        break;
      case 'payload':
        flushIp();
        // A link type the dissector does not know: say so, or the line held the time and nothing else.
        if (f.link_type_unknown !== undefined) out.push(`link type ${f.link_type_unknown} (not dissected), length ${f.length}`);
        else if (f.truncated) out.push(paint.bad(`[|${f.truncated}]`));
        else if (f.fragment) out.push(`fragment, length ${f.length}`);
        else if (Number(f.length) > 0 && out.length && !endsWithLength(out[out.length - 1])) out.push(`payload ${f.length}`);
        break;
    }
  }
  flushIp();
}
