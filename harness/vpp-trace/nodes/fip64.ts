// ip6-fip64 / ip4-fip64 (Midonet VPP 16.09, vpp-facts §10.1). The third line starts at COLUMN 0:
//     source: {a} -> {b}
//       dest: {a} -> {b}
//   table_id: {t}
// (ip6-fip64: ip6 -> ip4 on both lines; ip4-fip64: ip4 -> ip6.)

import { dec } from '../format/vppinfra.js';
import { type NodeKind, expectEnd, match, trimAll } from './kind.js';

export interface Fip64Record {
  srcFrom: string;
  srcTo: string;
  dstFrom: string;
  dstTo: string;
  tableId: number;
}

export const fip64: NodeKind<Fip64Record> = {
  kind: 'fip64',
  format: (r) => [`  source: ${r.srcFrom} -> ${r.srcTo}`, `    dest: ${r.dstFrom} -> ${r.dstTo}`, `table_id: ${dec(r.tableId)}`],
  parse(lines) {
    const t = trimAll(lines);
    const a = match(/^source: (\S+) -> (\S+)$/, t, 0, 'fip64 source');
    const b = match(/^dest: (\S+) -> (\S+)$/, t, 1, 'fip64 dest');
    const c = match(/^table_id: (-?\d+)$/, t, 2, 'fip64 table_id');
    expectEnd(t, 3);
    return { srcFrom: a[1], srcTo: a[2], dstFrom: b[1], dstTo: b[2], tableId: Number(c[1]) };
  },
  toFields(r, out) {
    out.src_from = r.srcFrom;
    out.src_to = r.srcTo;
    out.dst_from = r.dstFrom;
    out.dst_to = r.dstTo;
    out.table_id = r.tableId;
  },
};

/** A body line at column 0 that still belongs to a fip64 record (the parser must not take it for prose). */
export const FIP64_COLUMN0_RE = /^table_id: -?\d+$/;
