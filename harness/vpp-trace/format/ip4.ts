// IPv4 header lines (vpp-facts §3.2), for a header starting at column c (details at c+2):
//   {PROTO}: {src} -> {dst}
//     version {v}, header length {bytes}            (only if version != 4 or IHL != 5)
//     tos 0x{tos:02x}, ttl {ttl}, length {len}, checksum 0x{csum:04x}[ (should be 0x{ok:04x})]
//     fragment id 0x{id:04x}[ offset {o}][, flags {NAMES}]
// The fragment line reproduces the v18.01 bug: flags are the flags/offset word XOR the BYTE offset,
// so any fragment with an offset prints `, flags ` and offsets >= 8192 toggle MF/DF/CONGESTION.

import { ip4ToString } from '../../wire/address.js';
import { fold16, sum16 } from '../../wire/checksum.js';
import { ipProtocolName, ipProtocolFromName } from './names.js';
import { hexw, spaces } from './vppinfra.js';

export interface Ip4HeaderRecord {
  kind: 'ip4';
  protocol: number;
  src: string;
  dst: string;
  /** 4 unless the packet says otherwise (then a `version` line is printed). */
  version: number;
  /** IHL * 4. */
  headerLength: number;
  tos: number;
  ttl: number;
  /** Total length field. */
  length: number;
  checksum: number;
  /** Printed `(should be ...)` value: present exactly when VPP found the stored checksum wrong. */
  checksumShouldBe?: number;
  id: number;
  /** The raw flags + fragment offset word (offset in 8-byte units in the low 13 bits). */
  flagsOffset: number;
}

export function ipProtocolText(p: number): string {
  return ipProtocolName(p) ?? `unknown ${p}`;
}

export function parseIpProtocolText(s: string): number | undefined {
  const m = /^unknown (\d+)$/.exec(s);
  if (m) return Number(m[1]);
  return ipProtocolFromName(s);
}

export function fragmentLineText(id: number, flagsOffset: number): string {
  const o = 8 * (flagsOffset & 0x1fff);
  const g = flagsOffset ^ o;
  let s = `fragment id 0x${hexw(id, 4)}`;
  if (o !== 0) s += ` offset ${o}`;
  if (g !== 0) {
    s += ', flags ';
    if (g & 0x2000) s += 'MORE_FRAGMENTS';
    if (g & 0x4000) s += 'DONT_FRAGMENT';
    if (g & 0x8000) s += 'CONGESTION';
  }
  return s;
}

export function formatIp4(h: Ip4HeaderRecord, col: number): string[] {
  const pad = spaces(col);
  const det = spaces(col + 2);
  const out = [`${pad}${ipProtocolText(h.protocol)}: ${h.src} -> ${h.dst}`];
  if (h.version !== 4 || h.headerLength !== 20) out.push(`${det}version ${h.version}, header length ${h.headerLength}`);
  out.push(
    `${det}tos 0x${hexw(h.tos, 2)}, ttl ${h.ttl}, length ${h.length}, checksum 0x${hexw(h.checksum, 4)}` +
      (h.checksumShouldBe !== undefined ? ` (should be 0x${hexw(h.checksumShouldBe, 4)})` : ''),
  );
  out.push(det + fragmentLineText(h.id, h.flagsOffset));
  return out;
}

const IP4 = '\\d{1,3}(?:\\.\\d{1,3}){3}';
export const IP4_LINE_RE = new RegExp(`^(.+?): (${IP4}) -> (${IP4})$`);
const VERSION_RE = /^version (\d+), header length (\d+)$/;
const TOS_RE = /^tos 0x([0-9a-f]+), ttl (\d+), length (\d+), checksum 0x([0-9a-f]+)(?: \(should be 0x([0-9a-f]+)\))?$/;
const FRAG_RE = /^fragment id 0x([0-9a-f]+)(?: offset (\d+))?(?:, flags ?((?:MORE_FRAGMENTS)?(?:DONT_FRAGMENT)?(?:CONGESTION)?))?$/;

/** Parse the lines (trimmed) starting at t[i]; undefined when they are not an IPv4 header. */
export function parseIp4(t: readonly string[], i: number): { h: Ip4HeaderRecord; next: number } | undefined {
  const m = IP4_LINE_RE.exec(t[i] ?? '');
  if (!m) return undefined;
  const protocol = parseIpProtocolText(m[1]);
  if (protocol === undefined) return undefined;
  let j = i + 1;
  let version = 4;
  let headerLength = 20;
  const v = VERSION_RE.exec(t[j] ?? '');
  if (v) {
    version = Number(v[1]);
    headerLength = Number(v[2]);
    j++;
  }
  const tos = TOS_RE.exec(t[j] ?? '');
  if (!tos) return undefined;
  j++;
  const fr = FRAG_RE.exec(t[j] ?? '');
  if (!fr) return undefined;
  j++;
  const o = fr[2] ? Number(fr[2]) : 0;
  if (o % 8 !== 0 || o / 8 > 0x1fff) return undefined;
  let gTop = 0;
  const names = fr[3] ?? '';
  if (names.includes('MORE_FRAGMENTS')) gTop |= 0x2000;
  if (names.includes('DONT_FRAGMENT')) gTop |= 0x4000;
  if (names.includes('CONGESTION')) gTop |= 0x8000;
  const flagsOffset = (o / 8) | ((gTop ^ o) & 0xe000);
  const h: Ip4HeaderRecord = {
    kind: 'ip4',
    protocol,
    src: m[2],
    dst: m[3],
    version,
    headerLength,
    tos: parseInt(tos[1], 16),
    ttl: Number(tos[2]),
    length: Number(tos[3]),
    checksum: parseInt(tos[4], 16),
    id: parseInt(fr[1], 16),
    flagsOffset,
  };
  if (tos[5] !== undefined) h.checksumShouldBe = parseInt(tos[5], 16);
  // `, flags` printed with nothing that explains it is not something VPP can print: reject.
  if (fragmentLineText(h.id, h.flagsOffset).replace(/ $/, '') !== t[j - 1].replace(/ $/, '')) return undefined;
  return { h, next: j };
}

/** The checksum VPP's formatter computes: complement of the header sum with the checksum field as 0. */
export function ip4ExpectedChecksum(b: Uint8Array, off: number, headerLength: number): number {
  const stored = (b[off + 10] << 8) | b[off + 11];
  return ~fold16(sum16(b, off, headerLength) - stored) & 0xffff;
}

/** The record VPP would print for the header at `off` (models call this). Undefined when under 20 bytes. */
export function ip4FromBytes(b: Uint8Array, off = 0): Ip4HeaderRecord | undefined {
  if (b.length - off < 20) return undefined;
  const headerLength = (b[off] & 0x0f) * 4;
  const h: Ip4HeaderRecord = {
    kind: 'ip4',
    protocol: b[off + 9],
    src: ip4ToString(b, off + 12),
    dst: ip4ToString(b, off + 16),
    version: b[off] >> 4,
    headerLength,
    tos: b[off + 1],
    ttl: b[off + 8],
    length: (b[off + 2] << 8) | b[off + 3],
    checksum: (b[off + 10] << 8) | b[off + 11],
    id: (b[off + 4] << 8) | b[off + 5],
    flagsOffset: (b[off + 6] << 8) | b[off + 7],
  };
  if (headerLength >= 20 && b.length - off >= headerLength) {
    const ok = ip4ExpectedChecksum(b, off, headerLength);
    // The one tolerated mismatch (vpp-facts §3.2): a fresh 0 with 0xffff stored counts as equal.
    if (ok !== h.checksum && !(ok === 0 && h.checksum === 0xffff)) h.checksumShouldBe = ok;
  }
  return h;
}
