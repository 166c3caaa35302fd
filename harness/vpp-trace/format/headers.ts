// A "header decode" is what VPP prints when a trace formatter hands packet bytes to the recursive
// header formatters: Ethernet -> IPv4/IPv6/ARP -> TCP/UDP/ICMP, each first line at the same column,
// details 2 further in. Nodes that print packet headers (ip4-input, ip4-lookup, `<if>-output`,
// dpdk-input...) hold one HeaderChain in their record.

import type { FieldValue } from '../../stage.js';
import { type EthHeaderRecord, formatEthLine, parseEthLine, ethFromBytes, ethHeaderLength } from './ethernet.js';
import { type Ip4HeaderRecord, formatIp4, parseIp4, ip4FromBytes } from './ip4.js';
import { type Ip6HeaderRecord, formatIp6, parseIp6, ip6FromBytes } from './ip6.js';
import { type TcpHeaderRecord, formatTcp, parseTcp, tcpFromBytes } from './tcp.js';
import { type UdpHeaderRecord, formatUdp, parseUdp, udpFromBytes } from './udp.js';
import { type IcmpHeaderRecord, formatIcmp, parseIcmp, icmpFromBytes } from './icmp.js';
import { type ArpHeaderRecord, formatArp, parseArp, arpFromBytes } from './arp.js';
import { lineEnd } from './scan.js';
import { spaces } from './vppinfra.js';

/** A formatter that gave up: `TCP header truncated`, `ethernet header truncated`... */
export interface TruncatedRecord {
  kind: 'truncated';
  /** Which formatter: eth, ip4, ip6, tcp, udp, icmp. */
  of: 'eth' | 'ip4' | 'ip6' | 'tcp' | 'udp' | 'icmp';
}

export type HeaderRecord =
  | EthHeaderRecord
  | Ip4HeaderRecord
  | Ip6HeaderRecord
  | TcpHeaderRecord
  | UdpHeaderRecord
  | IcmpHeaderRecord
  | ArpHeaderRecord
  | TruncatedRecord;

export type HeaderChain = HeaderRecord[];

const TRUNCATED_TEXT: Record<TruncatedRecord['of'], string> = {
  eth: 'ethernet header truncated',
  // Not seen in a trace: the IP formatters' own wording for a short header (an assumption).
  ip4: 'IP header truncated',
  ip6: 'IP header truncated',
  tcp: 'TCP header truncated',
  udp: 'UDP header truncated',
  icmp: 'ICMP header truncated',
};

export function formatHeader(h: HeaderRecord, col: number): string[] {
  switch (h.kind) {
    case 'eth':
      return [spaces(col) + formatEthLine(h)];
    case 'ip4':
      return formatIp4(h, col);
    case 'ip6':
      return formatIp6(h, col);
    case 'tcp':
      return formatTcp(h, col);
    case 'udp':
      return formatUdp(h, col);
    case 'icmp':
      return formatIcmp(h, col);
    case 'arp':
      return formatArp(h, col);
    case 'truncated':
      return [spaces(col) + TRUNCATED_TEXT[h.of]];
  }
}

export function formatHeaders(chain: HeaderChain, col: number): string[] {
  const out: string[] = [];
  for (const h of chain) for (const l of formatHeader(h, col)) out.push(l);
  return out;
}

const TRUNCATED_BY_TEXT = new Map<string, TruncatedRecord['of']>();
for (const [of, text] of Object.entries(TRUNCATED_TEXT)) if (!TRUNCATED_BY_TEXT.has(text)) TRUNCATED_BY_TEXT.set(text, of as TruncatedRecord['of']);

function truncatedOf(line: string | undefined): TruncatedRecord | undefined {
  // Every such text ends in `truncated`: test the last character before trimming anything.
  if (line === undefined) return undefined;
  const e = lineEnd(line);
  if (e < 9 || line.charCodeAt(e - 1) !== 100) return undefined;
  const of = TRUNCATED_BY_TEXT.get(line.trim());
  return of === undefined ? undefined : { kind: 'truncated', of };
}

/** The rarer header kinds (IPv6, ICMP, ARP) parse trimmed text: give them trimmed copies of the lines they read. */
function viaTrimmed<H>(t: readonly string[], i: number, n: number, parse: (w: readonly string[]) => { h: H; next: number } | undefined): { h: H; next: number } | undefined {
  const w: string[] = [];
  for (let k = i; k < i + n && k < t.length; k++) w.push(t[k].trim());
  const r = parse(w);
  return r && { h: r.h, next: i + r.next };
}

/** L4 after an IP header of protocol `p`, parsed from lines at any indentation. */
function parseL4(t: readonly string[], i: number, p: number, out: HeaderChain): number {
  const tr = truncatedOf(t[i]);
  if (tr && (tr.of === 'tcp' || tr.of === 'udp' || tr.of === 'icmp')) {
    out.push(tr);
    return i + 1;
  }
  const r =
    p === 6 ? parseTcp(t, i) : p === 17 ? parseUdp(t, i) : p === 1 || p === 58 ? viaTrimmed(t, i, 2, (w) => parseIcmp(w, 0, p === 58)) : undefined;
  if (!r) return i;
  out.push(r.h);
  return r.next;
}

function parseL3(t: readonly string[], i: number, out: HeaderChain, hint?: number): number {
  const tr = truncatedOf(t[i]);
  if (tr && (tr.of === 'ip4' || tr.of === 'ip6')) {
    out.push(tr);
    return i + 1;
  }
  if (hint === undefined || hint === 0x0800) {
    const r = parseIp4(t, i);
    if (r) {
      out.push(r.h);
      return parseL4(t, r.next, r.h.protocol, out);
    }
  }
  if (hint === undefined || hint === 0x86dd) {
    const r = viaTrimmed(t, i, 3, (w) => parseIp6(w, 0));
    if (r) {
      out.push(r.h);
      return parseL4(t, r.next, r.h.protocol, out);
    }
  }
  if (hint === undefined || hint === 0x0806) {
    const r = viaTrimmed(t, i, 2, (w) => parseArp(w, 0));
    if (r) {
      out.push(r.h);
      return r.next;
    }
  }
  return i;
}

/**
 * Parse a header decode from lines (any indentation) starting at t[i], as far as it goes. `from` says what the
 * node prints first. The caller checks `next` to see whether every line was understood.
 */
export function parseHeaders(t: readonly string[], i: number, from: 'eth' | 'ip'): { headers: HeaderChain; next: number } {
  const headers: HeaderChain = [];
  if (from === 'eth') {
    const tr = truncatedOf(t[i]);
    if (tr?.of === 'eth') return { headers: [tr], next: i + 1 };
    const eth = parseEthLine(t[i] ?? '');
    if (!eth) return { headers, next: i };
    headers.push(eth);
    return { headers, next: parseL3(t, i + 1, headers, eth.type) };
  }
  return { headers, next: parseL3(t, i, headers) };
}

/** Which formatters the IP formatters recurse into (VPP's ip_protocol_info format_header). */
function l4FromBytes(b: Uint8Array, off: number, p: number, max: number, out: HeaderChain): void {
  if (p === 6) {
    const h = max >= 20 ? tcpFromBytes(b, off) : undefined;
    out.push(h ?? { kind: 'truncated', of: 'tcp' });
  } else if (p === 17) {
    const h = max >= 8 ? udpFromBytes(b, off) : undefined;
    out.push(h ?? { kind: 'truncated', of: 'udp' });
  } else if (p === 1 || p === 58) {
    out.push(icmpFromBytes(b, off, p === 58, max) ?? { kind: 'truncated', of: 'icmp' });
  }
}

function ip4ChainFromBytes(b: Uint8Array, off: number, max: number | undefined, out: HeaderChain): void {
  const h = max === undefined || max >= 20 ? ip4FromBytes(b, off) : undefined;
  if (!h) {
    out.push({ kind: 'truncated', of: 'ip4' });
    return;
  }
  out.push(h);
  // L4 only when a maximum is given and exceeds the header (v18.01 also decodes non-first fragments).
  if (max !== undefined && max > h.headerLength) l4FromBytes(b, off + h.headerLength, h.protocol, max - h.headerLength, out);
}

function ip6ChainFromBytes(b: Uint8Array, off: number, max: number | undefined, out: HeaderChain): void {
  const h = max === undefined || max >= 40 ? ip6FromBytes(b, off) : undefined;
  if (!h) {
    out.push({ kind: 'truncated', of: 'ip6' });
    return;
  }
  out.push(h);
  if (max !== undefined && max > 40) l4FromBytes(b, off + 40, h.protocol, max - 40, out);
}

/**
 * The decode VPP prints for bytes at `off`, given the formatter's maximum length (`max`; undefined =
 * none given, which stops recursion: `ethernet-input` prints one line). Models call this with the
 * byte counts of vpp-facts (ip4-input 64, ip4-lookup 60, `<if>-output` 124, dpdk 128...).
 */
export function headersFromBytes(b: Uint8Array, off: number, from: 'eth' | 'ip4' | 'ip6', max?: number): HeaderChain {
  const out: HeaderChain = [];
  const avail = b.length - off;
  const lim = max === undefined ? undefined : Math.min(max, avail);
  if (from === 'ip4') ip4ChainFromBytes(b, off, lim, out);
  else if (from === 'ip6') ip6ChainFromBytes(b, off, lim, out);
  else {
    const eth = ethFromBytes(b, off, lim ?? avail);
    if (!eth || (lim !== undefined && lim < ethHeaderLength(eth))) return [{ kind: 'truncated', of: 'eth' }];
    out.push(eth);
    const hl = ethHeaderLength(eth);
    if (lim !== undefined && lim > hl) {
      const rest = lim - hl;
      if (eth.type === 0x0800) ip4ChainFromBytes(b, off + hl, rest, out);
      else if (eth.type === 0x86dd) ip6ChainFromBytes(b, off + hl, rest, out);
      else if (eth.type === 0x0806) {
        const a = arpFromBytes(b, off + hl);
        if (a) out.push(a);
      }
    }
  }
  return out;
}

/** Field-path prefix of a header kind: icmp over IPv6 is `icmp6`. */
function headerPrefix(h: HeaderRecord): string {
  if (h.kind === 'icmp') return h.v6 ? 'icmp6' : 'icmp';
  if (h.kind === 'truncated') return h.of;
  return h.kind;
}

/**
 * Flat fields of a chain: `ip4.ttl`, `tcp.dst_port`...; a second header of a kind (encapsulation)
 * is `inner.`-prefixed. `prefix` nests the whole chain (e.g. `dump.` for a rewrite's hex dump).
 */
const FIELD_NAMES = [
  'type', 'src', 'dst', 'vlan', 'proto', 'version', 'header_length', 'tos', 'ttl', 'length', 'checksum', 'checksum_should_be', 'id', 'flags',
  'frag_offset', 'flow_label', 'hop_limit', 'payload_length', 'src_port', 'dst_port', 'seq', 'ack', 'window', 'code', 'target', 'opcode',
  'sender_mac', 'sender_ip', 'target_mac', 'target_ip', 'truncated',
] as const;
type FieldKeys = Record<(typeof FIELD_NAMES)[number], string>;
const keyCache = new Map<string, FieldKeys>();

/** Field path strings per prefix, built once: a trace has millions of fields and few prefixes. */
function fieldKeys(prefix: string): FieldKeys {
  let k = keyCache.get(prefix);
  if (!k) {
    k = {} as FieldKeys;
    for (const n of FIELD_NAMES) k[n] = prefix + n;
    keyCache.set(prefix, k);
  }
  return k;
}

/** Without a prefix (nearly every call): [first, inner] keys per header kind, no string building. */
const plainKeys = new Map<string, [FieldKeys, FieldKeys]>();

function keysFor(prefix: string, kind: string, inner: boolean): FieldKeys {
  if (prefix !== '') return fieldKeys(prefix + (inner ? 'inner.' : '') + kind + '.');
  let e = plainKeys.get(kind);
  if (!e) plainKeys.set(kind, (e = [fieldKeys(kind + '.'), fieldKeys('inner.' + kind + '.')]));
  return e[inner ? 1 : 0];
}

export function headersToFields(chain: HeaderChain, out: Record<string, FieldValue>, prefix = ''): void {
  for (let i = 0; i < chain.length; i++) {
    const h = chain[i];
    const kind = headerPrefix(h);
    let inner = false;
    for (let j = 0; j < i && !inner; j++) inner = headerPrefix(chain[j]) === kind;
    const k = keysFor(prefix, kind, inner);
    switch (h.kind) {
      case 'eth':
        out[k.type] = h.type;
        out[k.src] = h.src;
        out[k.dst] = h.dst;
        if (h.vlans) out[k.vlan] = h.vlans.map((v) => v.tci & 0xfff).join(',');
        break;
      case 'ip4':
        out[k.proto] = h.protocol;
        out[k.src] = h.src;
        out[k.dst] = h.dst;
        out[k.version] = h.version;
        out[k.header_length] = h.headerLength;
        out[k.tos] = h.tos;
        out[k.ttl] = h.ttl;
        out[k.length] = h.length;
        out[k.checksum] = h.checksum;
        out[k.checksum_should_be] = h.checksumShouldBe ?? null;
        out[k.id] = h.id;
        out[k.flags] = h.flagsOffset & 0xe000;
        out[k.frag_offset] = h.flagsOffset & 0x1fff;
        break;
      case 'ip6':
        out[k.proto] = h.protocol;
        out[k.src] = h.src;
        out[k.dst] = h.dst;
        out[k.version] = h.version;
        out[k.tos] = h.trafficClass;
        out[k.flow_label] = h.flowLabel;
        out[k.hop_limit] = h.hopLimit;
        out[k.payload_length] = h.payloadLength;
        break;
      case 'tcp':
        out[k.src_port] = h.srcPort;
        out[k.dst_port] = h.dstPort;
        out[k.seq] = h.seq;
        out[k.ack] = h.ack;
        out[k.flags] = h.flags;
        out[k.header_length] = h.headerLength;
        out[k.window] = h.window;
        out[k.checksum] = h.checksum;
        break;
      case 'udp':
        out[k.src_port] = h.srcPort;
        out[k.dst_port] = h.dstPort;
        out[k.length] = h.length;
        out[k.checksum] = h.checksum;
        break;
      case 'icmp':
        out[k.type] = h.type;
        out[k.code] = h.code;
        out[k.checksum] = h.checksum;
        if (h.target !== undefined) out[k.target] = h.target;
        break;
      case 'arp':
        out[k.opcode] = h.opcode;
        out[k.sender_mac] = h.senderMac;
        out[k.sender_ip] = h.senderIp;
        out[k.target_mac] = h.targetMac;
        out[k.target_ip] = h.targetIp;
        break;
      case 'truncated':
        out[k.truncated] = true;
        break;
    }
  }
}
