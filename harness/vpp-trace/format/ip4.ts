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
import { LineTemplate, lineEnd, lineStart } from './scan.js';
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

const FIRST = new LineTemplate('%s: %i -> %i');
const VERSION = new LineTemplate('version %u8, header length %u8');
const TOS = new LineTemplate('tos 0x%x8, ttl %u8, length %u16, checksum 0x%x16');
const SHOULD_BE = new LineTemplate(' (should be 0x%x16)');
const FRAG = new LineTemplate('fragment id 0x%x16');
const OFFSET = new LineTemplate(' offset %u16');
const FLAG_WORDS = ['MORE_FRAGMENTS', 'DONT_FRAGMENT', 'CONGESTION'];

/**
 * The fragment line's flag names after `, flags` (space optional when none follow), in VPP's order,
 * as the 0x2000/0x4000/0x8000 bits; -1 when the text is anything else.
 */
function flagNames(line: string, p: number, end: number): number {
  if (p === end) return 0;
  if (line.charCodeAt(p) !== 32) return -1;
  p++;
  let g = 0;
  for (let b = 0; b < 3; b++) {
    if (line.startsWith(FLAG_WORDS[b], p)) {
      g |= 0x2000 << b;
      p += FLAG_WORDS[b].length;
    }
  }
  return p === end ? g : -1;
}

/** Parse the lines (any indentation) starting at t[i]; undefined when they are not an IPv4 header. */
export function parseIp4(t: readonly string[], i: number): { h: Ip4HeaderRecord; next: number } | undefined {
  const l0 = t[i];
  if (l0 === undefined || !FIRST.match(l0)) return undefined;
  const protocol = parseIpProtocolText(FIRST.s(0));
  if (protocol === undefined) return undefined;
  let j = i + 1;
  let version = 4;
  let headerLength = 20;
  if (VERSION.match(t[j])) {
    version = VERSION.n(0);
    headerLength = VERSION.n(1);
    j++;
  }
  const tl = t[j++];
  if (tl === undefined) return undefined;
  const te = lineEnd(tl);
  let p = TOS.matchAt(tl, lineStart(tl), te);
  if (p < 0) return undefined;
  let checksumShouldBe: number | undefined;
  if (p !== te) {
    if (SHOULD_BE.matchAt(tl, p, te) !== te) return undefined;
    checksumShouldBe = SHOULD_BE.n(0);
  }
  const fl = t[j++];
  if (fl === undefined) return undefined;
  const fe = lineEnd(fl);
  p = FRAG.matchAt(fl, lineStart(fl), fe);
  if (p < 0) return undefined;
  // VPP prints the id as exactly 4 digits.
  if (p - lineStart(fl) !== 18) return undefined;
  let o = 0;
  const offsetPrinted = OFFSET.matchAt(fl, p, fe) > 0;
  if (offsetPrinted) {
    o = OFFSET.n(0);
    p = OFFSET.end;
  }
  let gTop = 0;
  const flagsPrinted = p !== fe;
  if (flagsPrinted) {
    if (!fl.startsWith(', flags', p)) return undefined;
    gTop = flagNames(fl, p + 7, fe);
    if (gTop < 0) return undefined;
  }
  if (o % 8 !== 0 || o / 8 > 0x1fff || (offsetPrinted && o === 0)) return undefined;
  const flagsOffset = (o / 8) | ((gTop ^ o) & 0xe000);
  const h: Ip4HeaderRecord = {
    kind: 'ip4',
    protocol,
    src: FIRST.s(1),
    dst: FIRST.s(2),
    version,
    headerLength,
    tos: TOS.n(0),
    ttl: TOS.n(1),
    length: TOS.n(2),
    checksum: TOS.n(3),
    id: FRAG.n(0),
    flagsOffset,
  };
  if (checksumShouldBe !== undefined) h.checksumShouldBe = checksumShouldBe;
  // Only text VPP can print is accepted: `, flags` with nothing that explains it is not. With no
  // offset the flags word is the names alone; otherwise compare with the printed form.
  if (o === 0 ? flagsPrinted !== (gTop !== 0) : fragmentLineText(h.id, h.flagsOffset).replace(/ $/, '') !== fl.slice(lineStart(fl), fe)) return undefined;
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
