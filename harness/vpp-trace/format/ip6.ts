// IPv6 header lines (vpp-facts §3.5): `{PROTO}: {src} -> {dst}` then at +2
// `tos 0x{tc:02x}, flow label 0x{fl:x}, hop limit {hl}, payload length {pl}` (a `version` line first
// only when the version is not 6). Only the immediate next header is decoded.

import { ip6ToString } from '../../wire/address.js';
import { ipProtocolText, parseIpProtocolText } from './ip4.js';
import { hexn, hexw, spaces } from './vppinfra.js';

export interface Ip6HeaderRecord {
  kind: 'ip6';
  protocol: number;
  src: string;
  dst: string;
  version: number;
  trafficClass: number;
  flowLabel: number;
  hopLimit: number;
  payloadLength: number;
}

export function formatIp6(h: Ip6HeaderRecord, col: number): string[] {
  const det = spaces(col + 2);
  const out = [`${spaces(col)}${ipProtocolText(h.protocol)}: ${h.src} -> ${h.dst}`];
  if (h.version !== 6) out.push(`${det}version ${h.version}`);
  out.push(`${det}tos 0x${hexw(h.trafficClass, 2)}, flow label 0x${hexn(h.flowLabel)}, hop limit ${h.hopLimit}, payload length ${h.payloadLength}`);
  return out;
}

// One way to match each line, so a long line is read in linear time: `[0-9a-f:]*:` could split a
// run of colons anywhere and `(.+?)` could end at any `: `, and an 8,000-character line of colons
// took minutes (the same addresses: the part before the first colon has none; no protocol name has one).
export const IP6_LINE_RE = /^([^:]+): ([0-9a-f]*:[0-9a-f:.]*) -> ([0-9a-f]*:[0-9a-f:.]*)$/;
const VERSION_RE = /^version (\d+)$/;
const TC_RE = /^tos 0x([0-9a-f]+), flow label 0x([0-9a-f]+), hop limit (\d+), payload length (\d+)$/;

export function parseIp6(t: readonly string[], i: number): { h: Ip6HeaderRecord; next: number } | undefined {
  const m = IP6_LINE_RE.exec(t[i] ?? '');
  if (!m) return undefined;
  const protocol = parseIpProtocolText(m[1]);
  if (protocol === undefined) return undefined;
  let j = i + 1;
  let version = 6;
  const v = VERSION_RE.exec(t[j] ?? '');
  if (v) {
    version = Number(v[1]);
    j++;
  }
  const tc = TC_RE.exec(t[j] ?? '');
  if (!tc) return undefined;
  const h: Ip6HeaderRecord = {
    kind: 'ip6',
    protocol,
    src: m[2],
    dst: m[3],
    version,
    trafficClass: parseInt(tc[1], 16),
    flowLabel: parseInt(tc[2], 16),
    hopLimit: Number(tc[3]),
    payloadLength: Number(tc[4]),
  };
  // Values VPP cannot print are not its text (payload length 1000000000 made the packet's
  // reconstruction allocate 2 GB; 10^20 was an internal error): ip6_format.c format_ip6_header
  // prints the version (i >> 28), traffic class ((i >> 20) & 0xff), flow label (20 bits), hop limit
  // (u8) and payload length (u16) of the header.
  if (h.version > 0xf || h.trafficClass > 0xff || h.flowLabel > 0xfffff || h.hopLimit > 0xff || h.payloadLength > 0xffff) return undefined;
  return { h, next: j + 1 };
}

export function ip6FromBytes(b: Uint8Array, off = 0): Ip6HeaderRecord | undefined {
  if (b.length - off < 40) return undefined;
  const w0 = ((b[off] << 24) >>> 0) + ((b[off + 1] << 16) | (b[off + 2] << 8) | b[off + 3]);
  return {
    kind: 'ip6',
    protocol: b[off + 6],
    src: ip6ToString(b, off + 8),
    dst: ip6ToString(b, off + 24),
    version: w0 >>> 28,
    trafficClass: (w0 >>> 20) & 0xff,
    flowLabel: w0 & 0xfffff,
    hopLimit: b[off + 7],
    payloadLength: (b[off + 4] << 8) | b[off + 5],
  };
}
