// ip4-udp-lookup (vpp-facts §5.4): `UDP: src-port {s} dst-port {d}[ (no listener)]`.

import { type NodeKind, expectEnd, match, trimAll } from './kind.js';

export interface UdpLookupRecord {
  srcPort: number;
  dstPort: number;
  noListener: boolean;
}

const L1 = /^UDP: src-port (\d+) dst-port (\d+)( \(no listener\))?$/;

export const udpLookup: NodeKind<UdpLookupRecord> = {
  kind: 'udp-lookup',
  format: (r) => [`  UDP: src-port ${r.srcPort} dst-port ${r.dstPort}${r.noListener ? ' (no listener)' : ''}`],
  parse(lines) {
    const t = trimAll(lines);
    const a = match(L1, t, 0, 'udp-lookup');
    expectEnd(t, 1);
    return { srcPort: Number(a[1]), dstPort: Number(a[2]), noListener: a[3] !== undefined };
  },
  toFields(r, out) {
    out['udp.src_port'] = r.srcPort;
    out['udp.dst_port'] = r.dstPort;
    out.no_listener = r.noListener;
  },
};
