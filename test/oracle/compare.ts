// Field-by-field comparison of our dissection with tshark's, driven by the table in field-map.ts.

import type { FieldValue, Layer } from '../../harness/dissect/layer.js';
import { LAYER_ROWS, MAPPED_TSHARK_PROTOCOLS, tsharkValues, type FieldRow, type Kind } from './field-map.js';
import type { TsharkFrame, TsharkProto } from './tshark.js';

export interface Mismatch {
  layer: string;
  offset: number;
  field: string;
  ours: string;
  tshark: string;
  /** The tshark field(s) compared. */
  source: string;
}

/** How much a comparison looked at: a suite that compared nothing would pass vacuously. */
export interface CompareStats {
  layers: number;
  fields: number;
}

export function formatMismatch(m: Mismatch): string {
  return `${m.layer}@${m.offset} ${m.field}: ours ${m.ours} != tshark ${m.tshark} (${m.source})`;
}

/** Our layers with the packets quoted by ICMP errors spliced in after their ICMP layer. */
export function flattenLayers(layers: Layer[], inQuote = false): { layer: Layer; inQuote: boolean }[] {
  return layers.flatMap((l) => [{ layer: l, inQuote }, ...(l.quoted ? flattenLayers(l.quoted, true) : [])]);
}

/** A value as comparable text: numbers in decimal, booleans, lower-case strings, lists in order. */
function canon(v: FieldValue | undefined): string {
  if (v === undefined) return '(absent)';
  if (Array.isArray(v)) return `[${v.map(canon).join(',')}]`;
  if (typeof v === 'object') return JSON.stringify(v);
  if (typeof v === 'string') return v.toLowerCase();
  return String(v);
}

function tsharkValue(p: TsharkProto, row: FieldRow): FieldValue | undefined {
  if (row.tsharkGet) return row.tsharkGet(p);
  const vals = tsharkValues(p, row.tshark);
  if (!vals) return undefined;
  return convert(vals, row.kind);
}

function convert(vals: string[], kind: Kind): FieldValue | undefined {
  const v = vals[0];
  switch (kind) {
    case 'num':
      return Number(v);
    case 'str':
      return v;
    case 'bool':
      return v === '1' || v.toLowerCase() === 'true';
    case 'status':
      // 2 Unverified / 3 Not present: no claim either way.
      return v === '1' ? true : v === '0' || v === '4' ? false : undefined;
    case 'list':
      return vals.map((x) => (/^(0x[0-9a-f]+|\d+)$/i.test(x) ? Number(x) : x));
  }
}

/**
 * Everything that differs between our layers and tshark's frame: fields of matched layers, layers
 * only one side has. `accept` may excuse one mismatch (a documented tshark interpretation).
 */
export function compareDissection(
  ours: Layer[],
  theirs: TsharkFrame,
  accept: (m: Mismatch, ctx: { layer?: Layer; inQuote: boolean; proto?: TsharkProto; frame: TsharkFrame }) => boolean = () => false,
  stats: CompareStats = { layers: 0, fields: 0 },
): Mismatch[] {
  const out: Mismatch[] = [];
  const used = new Set<TsharkProto>();
  const push = (m: Mismatch, ctx: Parameters<typeof accept>[1]) => {
    if (!accept(m, ctx)) out.push(m);
  };
  for (const { layer, inQuote } of flattenLayers(ours)) {
    if (layer.name === 'payload') continue;
    const row = LAYER_ROWS.get(layer.name);
    if (!row) {
      push({ layer: layer.name, offset: layer.offset, field: '(layer)', ours: 'present', tshark: '?', source: 'no row in field-map.ts' }, { layer, inQuote, frame: theirs });
      continue;
    }
    const proto = theirs.protocols.find((p) => !used.has(p) && row.tshark.includes(p.name) && p.offset === layer.offset);
    if (!proto) {
      push({ layer: layer.name, offset: layer.offset, field: '(layer)', ours: 'present', tshark: '(absent)', source: row.tshark.join('|') }, { layer, inQuote, frame: theirs });
      continue;
    }
    used.add(proto);
    stats.layers++;
    const ctx = { layer, inQuote, proto, frame: theirs };
    if (row.sameLength && proto.length !== layer.length) {
      push({ layer: layer.name, offset: layer.offset, field: '(length)', ours: String(layer.length), tshark: String(proto.length), source: `${proto.name}_raw` }, ctx);
    }
    for (const fr of row.fields) {
      const a = fr.oursGet ? fr.oursGet(layer.fields) : layer.fields[fr.ours];
      const b = tsharkValue(proto, fr);
      if (a === undefined && b === undefined) continue;
      stats.fields++;
      if (canon(a) !== canon(b)) {
        push({ layer: layer.name, offset: layer.offset, field: fr.ours, ours: canon(a), tshark: canon(b), source: ([] as string[]).concat(fr.tshark).join('|') || 'derived' }, ctx);
      }
    }
  }
  for (const p of theirs.protocols) {
    if (used.has(p) || !MAPPED_TSHARK_PROTOCOLS.has(p.name)) continue;
    push({ layer: p.name, offset: p.offset, field: '(layer)', ours: '(absent)', tshark: 'present', source: p.name }, { inQuote: p.parent === 'icmp' || p.parent === 'icmpv6', proto: p, frame: theirs });
  }
  return out;
}
