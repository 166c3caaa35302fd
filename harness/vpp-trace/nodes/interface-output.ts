// `<if>-output` (vpp-facts §4.5): the interface name (or `sw_if_index: {n}` for a deleted interface)
// then the recursive Ethernet decode of 124 bytes from current data, at column 2.

import { type HeaderChain, formatHeaders, headersToFields, parseHeaders } from '../format/headers.js';
import { dec } from '../format/vppinfra.js';
import { type NodeKind, RecordError, expectEnd, trimAll } from './kind.js';

export interface InterfaceOutputRecord {
  ifName?: string;
  /** Printed instead of the name when the interface was deleted. */
  swIfIndex?: number;
  headers: HeaderChain;
}

export const interfaceOutput: NodeKind<InterfaceOutputRecord> = {
  kind: 'interface-output',
  format: (r) => [r.ifName !== undefined ? `  ${r.ifName}` : `  sw_if_index: ${dec(r.swIfIndex ?? -1)}`, ...formatHeaders(r.headers, 2)],
  parse(lines) {
    const t = trimAll(lines);
    const r: InterfaceOutputRecord = { headers: [] };
    const del = /^sw_if_index: (-?\d+)$/.exec(t[0] ?? '');
    if (del) r.swIfIndex = Number(del[1]);
    else if (t[0] && !/\s/.test(t[0])) r.ifName = t[0];
    else throw new RecordError(`not an interface name: '${t[0] ?? ''}'`, 0);
    const h = parseHeaders(t, 1, 'eth');
    expectEnd(t, h.next);
    r.headers = h.headers;
    return r;
  },
  toFields(r, out) {
    out.interface = r.ifName ?? r.swIfIndex ?? null;
    headersToFields(r.headers, out);
  },
};
