// vppinfra `format_hex_bytes` (vpp-facts §2.1): nothing for 0 bytes; contiguous lowercase pairs up
// to 32 bytes; above that, 32-byte groups each prefixed `{offset:08x}: `, one group per line, every
// line at the starting column.

import { hex, fromHex } from '../../wire/bytes.js';
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

const GROUP_RE = /^([0-9a-f]{8}): ([0-9a-f]*)$/;

/** Parse dump lines (trimmed) starting at t[i]. Returns the bytes and the index after the dump. */
export function parseHexDump(t: readonly string[], i: number): { bytes: Uint8Array; next: number } | undefined {
  const r = parseHexDumpText(t, i);
  return r && { bytes: fromHex(r.hex), next: r.next };
}

/** The same, giving the bytes as lowercase hex text (no conversion on the hot path). */
export function parseHexDumpText(t: readonly string[], i: number): { hex: string; next: number } | undefined {
  const first = t[i] ?? '';
  if (first === '') return { hex: '', next: i + 1 };
  if (/^[0-9a-f]+$/.test(first) && first.length % 2 === 0 && first.length <= 64) return { hex: first, next: i + 1 };
  let j = i;
  let text = '';
  while (j < t.length) {
    const m = GROUP_RE.exec(t[j]);
    if (!m || parseInt(m[1], 16) !== text.length / 2 || m[2].length % 2 !== 0) break;
    text += m[2];
    j++;
  }
  if (j === i) return undefined;
  return { hex: text, next: j };
}
