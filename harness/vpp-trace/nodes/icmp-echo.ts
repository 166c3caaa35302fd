// ip4-/ip6-icmp-echo-reply records (vnet/ip/ping.c format_icmp_echo_trace; 17.x/18.01-era copy
// liangfudeng/vpp @667cdb51, same in FDio/vpp @03a6213f): the echo identifier and sequence as
// received, and whether a `ping` run took the reply.

import { type NodeKind, expectEnd, match, trimAll } from './kind.js';

/** icmp_echo_trace_t (ping.h): the identifier and sequence as received, and whether a ping run took the reply. */
export interface IcmpEchoRecord {
  id: number;
  seq: number;
  bound: boolean;
}

const L1 = /^ICMP echo id (\d+) seq (\d+)( \(unknown\))?$/;

/**
 * format_icmp_echo_trace: `"ICMP echo id %d seq %d%s"` of clib_net_to_host_u16 (id), (seq), and
 * `t->bound ? "" : " (unknown)"`.
 */
export const icmpEcho: NodeKind<IcmpEchoRecord> = {
  kind: 'icmp-echo',
  format: (r) => [`  ICMP echo id ${r.id} seq ${r.seq}${r.bound ? '' : ' (unknown)'}`],
  parse(lines) {
    const t = trimAll(lines);
    const m = match(L1, t, 0, 'icmp-echo');
    expectEnd(t, 1);
    return { id: Number(m[1]), seq: Number(m[2]), bound: m[3] === undefined };
  },
  toFields(r, out) {
    out['icmp.id'] = r.id;
    out['icmp.seq'] = r.seq;
    out.bound = r.bound;
  },
};
