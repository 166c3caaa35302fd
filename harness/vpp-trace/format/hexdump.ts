// vppinfra `format_hex_bytes` (vpp-facts §2.1): nothing for 0 bytes; contiguous lowercase pairs up
// to 32 bytes; above that, 32-byte groups each prefixed `{offset:08x}: `, one group per line, every
// line at the starting column.

import { hex, fromHex } from '../../wire/bytes.js';
import { hexDigit, lineEnd, lineStart } from './scan.js';
import { hexw, spaces } from './vppinfra.js';

/** Lines with the column's indentation included; [indent only] for an empty dump (VPP prints just the spaces). */
export function formatHexDump(bytes: Uint8Array, col: number): string[] {
  const pad = spaces(col);
  if (bytes.length === 0) return [pad];
  if (bytes.length <= 32) return [pad + hex(bytes)];
  const out: string[] = [];
  for (let off = 0; off < bytes.length; off += 32) {
    out.push(`${pad}${hexw(off, 8)}: ${hex(bytes, off, Math.min(32, bytes.length - off))}`);
  }
  return out;
}

/** Parse dump lines (any indentation) starting at t[i]. Returns the bytes and the index after the dump. */
export function parseHexDump(t: readonly string[], i: number): { bytes: Uint8Array; next: number } | undefined {
  const r = parseHexDumpText(t, i);
  return r && { bytes: fromHex(r.hex), next: r.next };
}

/** Length of the run of lowercase hex digits in s[from, to) (to when all are). */
function hexRun(s: string, from: number, to: number): number {
  let p = from;
  while (p < to && hexDigit(s.charCodeAt(p)) >= 0) p++;
  return p - from;
}

/** The same, giving the bytes as lowercase hex text (no conversion on the hot path). */
export function parseHexDumpText(t: readonly string[], i: number): { hex: string; next: number } | undefined {
  const first = t[i] ?? '';
  const s0 = lineStart(first);
  const e0 = lineEnd(first);
  if (s0 >= e0) return { hex: '', next: i + 1 };
  const n0 = e0 - s0;
  if (hexRun(first, s0, e0) === n0 && n0 % 2 === 0 && n0 <= 64) return { hex: first.slice(s0, e0), next: i + 1 };
  // Grouped: `{offset:08x}: {hex}`, each group's offset the byte count so far.
  let j = i;
  let text = '';
  while (j < t.length) {
    const l = t[j];
    const s = lineStart(l);
    const e = lineEnd(l);
    if (e - s < 10 || hexRun(l, s, s + 8) !== 8 || l.charCodeAt(s + 8) !== 58 || l.charCodeAt(s + 9) !== 32) break;
    const bytes = hexRun(l, s + 10, e);
    if (bytes !== e - s - 10 || bytes % 2 !== 0 || parseInt(l.slice(s, s + 8), 16) !== text.length / 2) break;
    text += l.slice(s + 10, e);
    j++;
  }
  if (j === i) return undefined;
  return { hex: text, next: j };
}
