// vlib/vnet buffer text (vpp-facts §4.3), as dpdk-input / `<dpdk-if>-tx` (and pg-input) print it:
//   buffer 0x{bi:x}: current data {cd}, length {len}, free-list {fl}, clone-count {n}[, totlen-nifb {n}][, trace 0x{ti:x}]
//   {col}next-buffer 0x{:x}, segment length {}, clone-count {}     (one per chained buffer)
//   {col}{flag }...[l2-hdr-offset {n} ][l3-hdr-offset {n} ][l4-hdr-offset {n} ]   (only if any; ends with a space)
// where {col} is the column just after `buffer 0x...: `.

import { RecordError, match } from '../nodes/kind.js';
import { dec, hexn, spaces, udec } from './vppinfra.js';

export interface ChainedBuffer {
  index: number;
  length: number;
  cloneCount: number;
}

export interface BufferText {
  index: number;
  currentData: number;
  length: number;
  freeList: number;
  cloneCount: number;
  /** Printed when VLIB_BUFFER_TOTAL_LENGTH_VALID is set. */
  totlenNifb?: number;
  /** Trace pool index, printed when the buffer is traced. */
  traceIndex?: number;
  chain?: ChainedBuffer[];
  /** Flag names in print order (`l4-cksum-computed`, `nated`...). */
  flags: string[];
  l2HdrOffset?: number;
  l3HdrOffset?: number;
  l4HdrOffset?: number;
}

/** The vlib part (no `buffer 0x..: ` prefix): `current data ...` + chained lines at `col`. */
export function formatVlibBuffer(b: BufferText, col: number): string[] {
  let s = `current data ${dec(b.currentData)}, length ${dec(b.length)}, free-list ${dec(b.freeList)}, clone-count ${udec(b.cloneCount)}`;
  if (b.totlenNifb !== undefined) s += `, totlen-nifb ${dec(b.totlenNifb)}`;
  if (b.traceIndex !== undefined) s += `, trace 0x${hexn(b.traceIndex)}`;
  const out = [s];
  for (const c of b.chain ?? []) out.push(`${spaces(col)}next-buffer 0x${hexn(c.index)}, segment length ${dec(c.length)}, clone-count ${udec(c.cloneCount)}`);
  return out;
}

/** `buffer 0x..: ` + vnet buffer text, first line at column `col`. */
export function formatBufferText(b: BufferText, col: number): string[] {
  const head = `buffer 0x${hexn(b.index)}: `;
  const inner = col + head.length;
  const lines = formatVlibBuffer(b, inner);
  lines[0] = spaces(col) + head + lines[0];
  let f = '';
  for (const n of b.flags) f += n + ' ';
  if (b.l2HdrOffset !== undefined) f += `l2-hdr-offset ${dec(b.l2HdrOffset)} `;
  if (b.l3HdrOffset !== undefined) f += `l3-hdr-offset ${dec(b.l3HdrOffset)} `;
  if (b.l4HdrOffset !== undefined) f += `l4-hdr-offset ${dec(b.l4HdrOffset)} `;
  if (f) lines.push(spaces(inner) + f);
  return lines;
}

const VLIB_RE = /^current data (-?\d+), length (\d+), free-list (\d+), clone-count (\d+)(?:, totlen-nifb (\d+))?(?:, trace 0x([0-9a-f]+))?$/;
const CHAIN_RE = /^next-buffer 0x([0-9a-f]+), segment length (\d+), clone-count (\d+)$/;
const FLAG_NAMES = new Set([
  'l4-cksum-computed', 'l4-cksum-correct', 'vlan-2-deep', 'vlan-1-deep', 'span-clone', 'handoff-next-valid', 'local', 'ip4', 'ip6',
  'offload-ip-cksum', 'offload-tcp-cksum', 'offload-udp-cksum', 'nated',
]);

/** Parse the vlib part starting at trimmed line t[i] (text after any `buffer 0x..: ` prefix is passed as `first`). */
export function parseVlibBuffer(first: string, t: readonly string[], i: number): { b: BufferText; next: number } {
  const m = VLIB_RE.exec(first);
  if (!m) throw new RecordError(`not a buffer line: '${first}'`, i);
  const b: BufferText = { index: 0, currentData: Number(m[1]), length: Number(m[2]), freeList: Number(m[3]), cloneCount: Number(m[4]), flags: [] };
  if (m[5] !== undefined) b.totlenNifb = Number(m[5]);
  if (m[6] !== undefined) b.traceIndex = parseInt(m[6], 16);
  let j = i + 1;
  for (let c = CHAIN_RE.exec(t[j] ?? ''); c; c = CHAIN_RE.exec(t[++j] ?? '')) {
    (b.chain ??= []).push({ index: parseInt(c[1], 16), length: Number(c[2]), cloneCount: Number(c[3]) });
  }
  return { b, next: j };
}

const BUFFER_RE = /^buffer 0x([0-9a-f]+): (.*)$/;

export function parseBufferText(t: readonly string[], i: number): { b: BufferText; next: number } {
  const m = match(BUFFER_RE, t, i, 'buffer');
  const r = parseVlibBuffer(m[2], t, i);
  r.b.index = parseInt(m[1], 16);
  const words = (t[r.next] ?? '').split(' ').filter((w) => w !== '');
  if (words.length && (FLAG_NAMES.has(words[0]) || /^l[234]-hdr-offset$/.test(words[0]))) {
    for (let k = 0; k < words.length; k++) {
      const w = words[k];
      const off = /^l([234])-hdr-offset$/.exec(w);
      if (off) {
        const v = Number(words[++k]);
        if (!Number.isInteger(v)) throw new RecordError(`bad ${w} value`, r.next);
        if (off[1] === '2') r.b.l2HdrOffset = v;
        else if (off[1] === '3') r.b.l3HdrOffset = v;
        else r.b.l4HdrOffset = v;
      } else if (FLAG_NAMES.has(w)) r.b.flags.push(w);
      else throw new RecordError(`unknown buffer flag '${w}'`, r.next);
    }
    r.next++;
  }
  return r;
}
