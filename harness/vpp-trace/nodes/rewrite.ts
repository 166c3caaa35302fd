// ip4-rewrite / ip6-rewrite (vpp-facts §5.3, §5.4), recorded after the whole frame:
//   tx_sw_if_index {tx} dpo-idx {adj} : {adjacency} flow hash: 0x{h:08x}     (`adj-idx` on ip6-rewrite)
//   {hex dump at column 2: 60 bytes from current data for IPv4 (2 lines), 124 for IPv6 (4 lines)}
// For non-rewrite adjacencies the dump is empty and line 2 is just the two spaces.

import { fromHex } from '../../wire/bytes.js';
import { type Adjacency, formatAdjacency, parseAdjacency } from '../format/adjacency.js';
import { formatHexDump, parseHexDumpText } from '../format/hexdump.js';
import { dec, hexw } from '../format/vppinfra.js';
import { LineTemplate, lineEnd, lineStart } from '../format/scan.js';
import { type NodeKind, RecordError, expectEnd, notA } from './kind.js';

export interface RewriteRecord {
  /** -1 when TX is ~0 (an expired packet prints the RX FIB index instead - the model decides). */
  txSwIfIndex: number;
  /** `dpo-idx` (ip4-rewrite) or `adj-idx` (ip6-rewrite). */
  idxLabel: 'dpo-idx' | 'adj-idx';
  adjIndex: number;
  adjacency: Adjacency;
  flowHash: number;
  /** The dumped bytes, lowercase hex ('' = none). */
  dump: string;
}

const HEAD = new LineTemplate('tx_sw_if_index %d %s %d : ');
const TAIL = new LineTemplate(' flow hash: 0x%x');

export const rewrite: NodeKind<RewriteRecord> = {
  kind: 'rewrite',
  format: (r) => [
    `  tx_sw_if_index ${dec(r.txSwIfIndex)} ${r.idxLabel} ${dec(r.adjIndex)} : ${formatAdjacency(r.adjacency)} flow hash: 0x${hexw(r.flowHash, 8)}`,
    ...formatHexDump(fromHex(r.dump), 2),
  ],
  parse(lines) {
    // Line 1: the adjacency text runs up to the last ` flow hash: `.
    const l1 = lines[0] ?? '';
    const e = lineEnd(l1);
    const tail = l1.lastIndexOf(' flow hash: 0x', e);
    const p = tail < 0 ? -1 : HEAD.matchAt(l1, lineStart(l1), tail);
    const label = HEAD.s(1);
    if (p < 0 || (label !== 'dpo-idx' && label !== 'adj-idx') || TAIL.matchAt(l1, tail, e) !== e) throw notA('rewrite', lines, 0);
    const r = {
      txSwIfIndex: HEAD.n(0),
      idxLabel: label as RewriteRecord['idxLabel'],
      adjIndex: HEAD.n(2),
      adjacency: parseAdjacency(l1.slice(p, tail)),
      flowHash: TAIL.n(0),
      dump: '',
    };
    const d = parseHexDumpText(lines, 1);
    if (!d) throw new RecordError(`not a hex dump: '${(lines[1] ?? '').trim()}'`, 1);
    expectEnd(lines, d.next);
    r.dump = d.hex;
    return r;
  },
  toFields(r, out) {
    out.tx_sw_if_index = r.txSwIfIndex;
    out[r.idxLabel === 'dpo-idx' ? 'dpo_idx' : 'adj_idx'] = r.adjIndex;
    out.adj = formatAdjacency(r.adjacency);
    if (r.adjacency.kind !== 'other') {
      out['adj.kind'] = r.adjacency.kind;
      out['adj.link'] = r.adjacency.link;
      out['adj.if'] = r.adjacency.ifName;
    }
    if (r.adjacency.kind === 'rewrite' || r.adjacency.kind === 'incomplete') out['adj.next_hop'] = r.adjacency.nextHop;
    if (r.adjacency.kind === 'rewrite') out['adj.rewrite'] = r.adjacency.rewrite;
    out.flow_hash = r.flowHash;
    out.dump = r.dump;
  },
};
