// acl-plugin-{in,out}-ip4-{fa,l2} and ip6 variants (vpp-facts §9, 18.01 form):
//   acl-plugin: sw_if_index {sw}, next index {n}, action: {a}, match: acl {acl} rule {rule} trace_bits {bits:08x}
//   pkt info {w0:016x} ... {w5:016x}                   (2 literal spaces: column 2)
//    {input|output} sw_if_index {sw} (lsb16 {lsb}) l3 {ip4|ip6}[ non-initial fragment] {src} -> {dst} l4 proto {p} l4_valid {0|1} port {p0} -> {p1} tcp flags ({valid|invalid}) {f:02x} rsvd {r:x}
// (3 literal spaces: column 3). The 5-tuple line is decoded from the pkt info words by VPP; both are
// kept as printed so a model's words and its decoded line are each compared.

import { dec, hex64, hexn, hexw } from '../format/vppinfra.js';
import { type NodeKind, expectEnd, match, trimAll } from './kind.js';

export interface AclRecord {
  swIfIndex: number;
  nextIndex: number;
  /** 0 deny, 1 permit, 2 permit+reflect, 3 existing session. */
  action: number;
  /** -1 = none (session hit or no match). */
  acl: number;
  /** Rule index, or the session pool index on a session hit; -1 = none. */
  rule: number;
  traceBits: number;
  /** The six 64-bit words of the 5-tuple. */
  pktInfo: bigint[];
  direction: 'input' | 'output';
  lsb16: number;
  l3: 'ip4' | 'ip6';
  nonInitialFragment: boolean;
  src: string;
  dst: string;
  proto: number;
  l4Valid: number;
  port0: number;
  port1: number;
  tcpFlagsValid: boolean;
  tcpFlags: number;
  rsvd: number;
}

const L1 = /^acl-plugin: sw_if_index (-?\d+), next index (-?\d+), action: (-?\d+), match: acl (-?\d+) rule (-?\d+) trace_bits ([0-9a-f]+)$/;
const L2 = /^pkt info((?: [0-9a-f]{16}){6})$/;
const L3 =
  /^(input|output) sw_if_index (-?\d+) \(lsb16 (\d+)\) l3 (ip4|ip6)( non-initial fragment)? (\S+) -> (\S+) l4 proto (\d+) l4_valid (\d+) port (\d+) -> (\d+) tcp flags \((valid|invalid)\) ([0-9a-f]+) rsvd ([0-9a-f]+)$/;

export const acl: NodeKind<AclRecord> = {
  kind: 'acl',
  format: (r) => [
    `  acl-plugin: sw_if_index ${dec(r.swIfIndex)}, next index ${dec(r.nextIndex)}, action: ${dec(r.action)}, match: acl ${dec(r.acl)} rule ${dec(r.rule)} trace_bits ${hexw(r.traceBits, 8)}`,
    `  pkt info ${r.pktInfo.map(hex64).join(' ')}`,
    `   ${r.direction} sw_if_index ${dec(r.swIfIndex)} (lsb16 ${r.lsb16}) l3 ${r.l3}${r.nonInitialFragment ? ' non-initial fragment' : ''} ${r.src} -> ${r.dst}` +
      ` l4 proto ${r.proto} l4_valid ${r.l4Valid} port ${r.port0} -> ${r.port1} tcp flags (${r.tcpFlagsValid ? 'valid' : 'invalid'}) ${hexw(r.tcpFlags, 2)} rsvd ${hexn(r.rsvd)}`,
  ],
  parse(lines) {
    const t = trimAll(lines);
    const a = match(L1, t, 0, 'acl-plugin');
    const b = match(L2, t, 1, 'pkt info');
    const c = match(L3, t, 2, 'acl 5-tuple');
    expectEnd(t, 3);
    return {
      swIfIndex: Number(a[1]),
      nextIndex: Number(a[2]),
      action: Number(a[3]),
      acl: Number(a[4]),
      rule: Number(a[5]),
      traceBits: parseInt(a[6], 16),
      pktInfo: b[1].trim().split(' ').map((w) => BigInt('0x' + w)),
      direction: c[1] as AclRecord['direction'],
      lsb16: Number(c[3]),
      l3: c[4] as AclRecord['l3'],
      nonInitialFragment: c[5] !== undefined,
      src: c[6],
      dst: c[7],
      proto: Number(c[8]),
      l4Valid: Number(c[9]),
      port0: Number(c[10]),
      port1: Number(c[11]),
      tcpFlagsValid: c[12] === 'valid',
      tcpFlags: parseInt(c[13], 16),
      rsvd: parseInt(c[14], 16),
    };
  },
  toFields(r, out) {
    out.sw_if_index = r.swIfIndex;
    out.next_index = r.nextIndex;
    out.action = r.action;
    out.acl = r.acl;
    out.rule = r.rule;
    out.trace_bits = r.traceBits;
    r.pktInfo.forEach((w, i) => (out[`pkt_info.${i}`] = w));
    out.direction = r.direction;
    out.lsb16 = r.lsb16;
    out.l3 = r.l3;
    out.non_initial_fragment = r.nonInitialFragment;
    out.src = r.src;
    out.dst = r.dst;
    out.proto = r.proto;
    out.l4_valid = r.l4Valid;
    out.port0 = r.port0;
    out.port1 = r.port1;
    out.tcp_flags_valid = r.tcpFlagsValid;
    out.tcp_flags = r.tcpFlags;
    out.rsvd = r.rsvd;
  },
};
