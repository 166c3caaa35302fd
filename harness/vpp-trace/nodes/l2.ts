// L2 records (vpp-facts §6):
//   l2-input: sw_if_index {n} dst {mac} src {mac}
//   l2-learn: sw_if_index {n} dst {mac} src {mac} bd_index {b}
//   l2-fwd:   sw_if_index {n} dst {mac} src {mac} bd_index {b}       (3 spaces after `l2-fwd:`)
//   l2-flood: sw_if_index {n} dst {mac} src {mac} bd_index {b}
//   l2-classify: sw_if_index {n}, table {t}, offset {o:x}, next {n}
//   l2-output: sw_if_index {n} dst {mac} src {mac} data {b0:02x} ... {b11:02x}   (12 bytes from the ethertype)
//   l2-output-vtr: (same shape as l2-output)

import { fromHex, hex } from '../../wire/bytes.js';
import { dec, hexn } from '../format/vppinfra.js';
import { LineTemplate, lineEnd, lineStart } from '../format/scan.js';
import { type NodeKind, expectEnd, match, notA, trimAll } from './kind.js';

const MAC = '([0-9a-f]{2}(?::[0-9a-f]{2}){5})';

export interface L2MacRecord {
  /** The record's own label: l2-input, l2-learn, l2-fwd, l2-flood. */
  label: 'l2-input' | 'l2-learn' | 'l2-fwd' | 'l2-flood';
  swIfIndex: number;
  dst: string;
  src: string;
  /** Not printed by l2-input. */
  bdIndex?: number;
}

const L2_LABELS = new Set(['l2-input', 'l2-learn', 'l2-fwd', 'l2-flood']);
const MAC_LINE = new LineTemplate('sw_if_index %d dst %m src %m');
const BD = new LineTemplate(' bd_index %d');

export const l2Mac: NodeKind<L2MacRecord> = {
  kind: 'l2-mac',
  format: (r) => [
    `  ${r.label}:${r.label === 'l2-fwd' ? '   ' : ' '}sw_if_index ${dec(r.swIfIndex)} dst ${r.dst} src ${r.src}${r.bdIndex !== undefined ? ` bd_index ${dec(r.bdIndex)}` : ''}`,
  ],
  parse(lines) {
    const l = lines[0] ?? '';
    const e = lineEnd(l);
    // `{label}:` then one space (three after `l2-fwd:`).
    let p = lineStart(l);
    const colon = l.indexOf(':', p);
    const label = colon < 0 ? '' : l.slice(p, colon);
    if (!L2_LABELS.has(label)) throw notA('l2', lines, 0);
    p = colon + 1;
    while (p < e && l.charCodeAt(p) === 32) p++;
    p = p > colon + 1 ? MAC_LINE.matchAt(l, p, e) : -1;
    if (p < 0) throw notA('l2', lines, 0);
    const r: L2MacRecord = { label: label as L2MacRecord['label'], swIfIndex: MAC_LINE.n(0), dst: MAC_LINE.s(1), src: MAC_LINE.s(2) };
    if (p !== e) {
      if (BD.matchAt(l, p, e) !== e) throw notA('l2', lines, 0);
      r.bdIndex = BD.n(0);
    }
    expectEnd(lines, 1);
    return r;
  },
  toFields(r, out) {
    out.sw_if_index = r.swIfIndex;
    out['eth.dst'] = r.dst;
    out['eth.src'] = r.src;
    if (r.bdIndex !== undefined) out.bd_index = r.bdIndex;
  },
};

export interface L2ClassifyRecord {
  swIfIndex: number;
  table: number;
  offset: number;
  next: number;
}

const CLASSIFY_RE = /^l2-classify: sw_if_index (-?\d+), table (-?\d+), offset ([0-9a-f]+), next (-?\d+)$/;

export const l2Classify: NodeKind<L2ClassifyRecord> = {
  kind: 'l2-classify',
  format: (r) => [`  l2-classify: sw_if_index ${dec(r.swIfIndex)}, table ${dec(r.table)}, offset ${hexn(r.offset)}, next ${dec(r.next)}`],
  parse(lines) {
    const t = trimAll(lines);
    const m = match(CLASSIFY_RE, t, 0, 'l2-classify');
    expectEnd(t, 1);
    return { swIfIndex: Number(m[1]), table: Number(m[2]), offset: parseInt(m[3], 16), next: Number(m[4]) };
  },
  toFields(r, out) {
    out.sw_if_index = r.swIfIndex;
    out.table = r.table;
    out.offset = r.offset;
    out.next = r.next;
  },
};

export interface L2OutputRecord {
  label: 'l2-output' | 'l2-output-vtr';
  /** TX sw_if_index. */
  swIfIndex: number;
  dst: string;
  src: string;
  /** 12 bytes starting at the ethertype, lowercase hex. */
  data: string;
}

const OUTPUT_RE = new RegExp(`^(l2-output|l2-output-vtr): sw_if_index (-?\\d+) dst ${MAC} src ${MAC} data((?: [0-9a-f]{2})*)$`);

export const l2Output: NodeKind<L2OutputRecord> = {
  kind: 'l2-output',
  format(r) {
    const bytes = Array.from(fromHex(r.data), (b) => b.toString(16).padStart(2, '0')).join(' ');
    return [`  ${r.label}: sw_if_index ${dec(r.swIfIndex)} dst ${r.dst} src ${r.src} data ${bytes}`];
  },
  parse(lines) {
    const t = trimAll(lines);
    const m = match(OUTPUT_RE, t, 0, 'l2-output');
    expectEnd(t, 1);
    return { label: m[1] as L2OutputRecord['label'], swIfIndex: Number(m[2]), dst: m[3], src: m[4], data: m[5].replace(/ /g, '') };
  },
  toFields(r, out) {
    out.sw_if_index = r.swIfIndex;
    out['eth.dst'] = r.dst;
    out['eth.src'] = r.src;
    out.data = r.data;
  },
};

/** The 12 `data` bytes as l2-output takes them: from the ethertype of the frame at `off`. */
export function l2OutputData(frame: Uint8Array, off = 0): string {
  return hex(frame.subarray(off + 12, off + 24));
}
