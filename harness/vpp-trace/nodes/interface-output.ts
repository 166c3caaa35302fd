// `<if>-output` (vpp-facts §4.5): the interface name (or `sw_if_index: {n}` for a deleted interface)
// then the recursive Ethernet decode of 124 bytes from current data, at column 2.

import { type HeaderChain, formatHeaders, headersToFields, parseHeaders } from '../format/headers.js';
import { dec } from '../format/vppinfra.js';
import { LineTemplate } from '../format/scan.js';
import { type NodeKind, RecordError, expectEnd } from './kind.js';

const DELETED = new LineTemplate('sw_if_index: %d');

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
    const r: InterfaceOutputRecord = { headers: [] };
    const first = lines[0] === undefined ? '' : lines[0].trim();
    if (DELETED.match(first)) r.swIfIndex = DELETED.n(0);
    else if (first && !/\s/.test(first)) r.ifName = first;
    else throw new RecordError(`not an interface name: '${first}'`, 0);
    const h = parseHeaders(lines, 1, 'eth');
    expectEnd(lines, h.next);
    r.headers = h.headers;
    return r;
  },
  toFields(r, out) {
    out.interface = r.ifName ?? r.swIfIndex ?? null;
    headersToFields(r.headers, out);
  },
};
