// VXLAN records (vpp-facts §7.2, §7.3):
//   vxlan4-encap:  VXLAN encap to vxlan_tunnel{t} vni {vni}
//   vxlan4-input:  VXLAN decap from vxlan_tunnel{t} vni {vni} next {n} error {e}
//                  VXLAN decap error - tunnel for vni {vni} does not exist      (no tunnel identified)

import { dec } from '../format/vppinfra.js';
import { type NodeKind, RecordError, expectEnd, match, trimAll } from './kind.js';

export interface VxlanEncapRecord {
  /** Tunnel pool index (the N of vxlan_tunnelN). */
  tunnel: number;
  vni: number;
}

const ENCAP_RE = /^VXLAN encap to vxlan_tunnel(\d+) vni (\d+)$/;

export const vxlanEncap: NodeKind<VxlanEncapRecord> = {
  kind: 'vxlan-encap',
  format: (r) => [`  VXLAN encap to vxlan_tunnel${r.tunnel} vni ${r.vni}`],
  parse(lines) {
    const t = trimAll(lines);
    const m = match(ENCAP_RE, t, 0, 'VXLAN encap');
    expectEnd(t, 1);
    return { tunnel: Number(m[1]), vni: Number(m[2]) };
  },
  toFields(r, out) {
    out.tunnel = r.tunnel;
    out.vni = r.vni;
  },
};

export type VxlanInputRecord = { tunnel: number; vni: number; next: number; error: number } | { tunnel?: undefined; vni: number };

const DECAP_RE = /^VXLAN decap from vxlan_tunnel(\d+) vni (\d+) next (-?\d+) error (-?\d+)$/;
const NO_TUNNEL_RE = /^VXLAN decap error - tunnel for vni (\d+) does not exist$/;

export const vxlanInput: NodeKind<VxlanInputRecord> = {
  kind: 'vxlan-input',
  format: (r) =>
    r.tunnel === undefined
      ? [`  VXLAN decap error - tunnel for vni ${r.vni} does not exist`]
      : [`  VXLAN decap from vxlan_tunnel${r.tunnel} vni ${r.vni} next ${dec(r.next)} error ${dec(r.error)}`],
  parse(lines) {
    const t = trimAll(lines);
    expectEnd(t, 1);
    const m = DECAP_RE.exec(t[0] ?? '');
    if (m) return { tunnel: Number(m[1]), vni: Number(m[2]), next: Number(m[3]), error: Number(m[4]) };
    const e = NO_TUNNEL_RE.exec(t[0] ?? '');
    if (e) return { vni: Number(e[1]) };
    throw new RecordError(`not a VXLAN decap line: '${t[0] ?? ''}'`, 0);
  },
  toFields(r, out) {
    out.vni = r.vni;
    if (r.tunnel === undefined) out.no_tunnel = true;
    else {
      out.tunnel = r.tunnel;
      out.next = r.next;
      out.error = r.error;
    }
  },
};
