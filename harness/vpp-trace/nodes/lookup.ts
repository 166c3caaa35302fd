// ip4-lookup / ip4-load-balance / ip6-lookup (vpp-facts §5.2, §5.4):
//   fib {fib} dpo-idx {dpo} flow hash: 0x{h:08x}
//   {IP decode at column 2: 60 bytes for IPv4, 124 for IPv6}

import { type HeaderChain, formatHeaders, headersToFields, parseHeaders } from '../format/headers.js';
import { dec, hexw } from '../format/vppinfra.js';
import { LineTemplate } from '../format/scan.js';
import { type NodeKind, expectEnd, scan } from './kind.js';

export interface LookupRecord {
  /** The FIB index printed (TX slot when set, else the RX interface's FIB; -1 = ~0). */
  fib: number;
  dpoIdx: number;
  flowHash: number;
  headers: HeaderChain;
}

const L1 = new LineTemplate('fib %d dpo-idx %d flow hash: 0x%x');

export const lookup: NodeKind<LookupRecord> = {
  kind: 'lookup',
  format: (r) => [`  fib ${dec(r.fib)} dpo-idx ${dec(r.dpoIdx)} flow hash: 0x${hexw(r.flowHash, 8)}`, ...formatHeaders(r.headers, 2)],
  parse(lines) {
    const a = scan(L1, lines, 0, 'lookup');
    const fib = a.n(0);
    const dpoIdx = a.n(1);
    const flowHash = a.n(2);
    const h = parseHeaders(lines, 1, 'ip');
    expectEnd(lines, h.next);
    return { fib, dpoIdx, flowHash, headers: h.headers };
  },
  toFields(r, out) {
    out.fib = r.fib;
    out.dpo_idx = r.dpoIdx;
    out.flow_hash = r.flowHash;
    headersToFields(r.headers, out);
  },
};
