// Nodes whose record is only a header decode (vpp-facts §4.5, §5.1, §5.4):
//   ethernet-input          one Ethernet line at column 2 (no maximum: no recursion)
//   ip4-input[-no-checksum], ip6-input, ip4-icmp-error    IP decode at column 2
//   ip4-local, ip4-drop, ip4-arp, ip4-glean, ip4-midchain, ip4-punt    IP decode at column 4
// The column is the registry's (nodes/index.ts), so one record type serves them all.

import { type HeaderChain, formatHeaders, headersToFields, parseHeaders } from '../format/headers.js';
import { type NodeKind, expectEnd, notA } from './kind.js';

export interface HeaderDecodeRecord {
  headers: HeaderChain;
}

function kind(name: string, from: 'eth' | 'ip', defaultColumn: number): NodeKind<HeaderDecodeRecord> {
  return {
    kind: name,
    format: (r, column = defaultColumn) => formatHeaders(r.headers, column),
    parse(lines) {
      const h = parseHeaders(lines, 0, from);
      if (h.headers.length === 0) throw notA('header decode', lines, 0);
      expectEnd(lines, h.next);
      return { headers: h.headers };
    },
    toFields(r, out) {
      headersToFields(r.headers, out);
    },
  };
}

export const ethernetDecode = kind('ethernet-decode', 'eth', 2);
export const ipDecode = kind('ip-decode', 'ip', 2);
