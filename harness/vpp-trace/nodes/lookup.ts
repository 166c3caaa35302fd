// ip4-lookup / ip4-load-balance / ip6-lookup (vpp-facts §5.2, §5.4):
//   fib {fib} dpo-idx {dpo} flow hash: 0x{h:08x}
//   {IP decode at column 2: 60 bytes for IPv4, 124 for IPv6}

import { type HeaderChain, formatHeaders, headersToFields, parseHeaders } from '../format/headers.js';
import { dec, hexw } from '../format/vppinfra.js';
import { type NodeKind, expectEnd, match, trimAll } from './kind.js';

export interface LookupRecord {
  /** The FIB index printed (TX slot when set, else the RX interface's FIB; -1 = ~0). */
  fib: number;
  dpoIdx: number;
  flowHash: number;
  headers: HeaderChain;
}

const L1 = /^fib (-?\d+) dpo-idx (-?\d+) flow hash: 0x([0-9a-f]+)$/;

export const lookup: NodeKind<LookupRecord> = {
  kind: 'lookup',
  format: (r) => [`  fib ${dec(r.fib)} dpo-idx ${dec(r.dpoIdx)} flow hash: 0x${hexw(r.flowHash, 8)}`, ...formatHeaders(r.headers, 2)],
  parse(lines) {
    const t = trimAll(lines);
    const a = match(L1, t, 0, 'lookup');
    const h = parseHeaders(t, 1, 'ip');
    expectEnd(t, h.next);
    return { fib: Number(a[1]), dpoIdx: Number(a[2]), flowHash: parseInt(a[3], 16), headers: h.headers };
  },
  toFields(r, out) {
    out.fib = r.fib;
    out.dpo_idx = r.dpoIdx;
    out.flow_hash = r.flowHash;
    headersToFields(r.headers, out);
  },
};
