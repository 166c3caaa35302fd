// acl-plugin-{in,out}-ip4-{fa,l2} and ip6 variants (vpp-facts §9, 18.01 form):
//   acl-plugin: sw_if_index {sw}, next index {n}, action: {a}, match: acl {acl} rule {rule} trace_bits {bits:08x}
//   pkt info {w0:016x} ... {w5:016x}                   (2 literal spaces: column 2)
//    {input|output} sw_if_index {sw} (lsb16 {lsb}) l3 {ip4|ip6}[ non-initial fragment] {src} -> {dst} l4 proto {p} l4_valid {0|1} port {p0} -> {p1} tcp flags ({valid|invalid}) {f:02x} rsvd {r:x}
// (3 literal spaces: column 3). The 5-tuple line is decoded from the pkt info words by VPP; both are
// kept as printed so a model's words and its decoded line are each compared.
// 18.04+ (vpp-facts §9.2; `lcIndex` set): line 1 gains `lc_index: {lc}, ` after `acl-plugin: `, and
// the 5-tuple line starts `lc_index {lc} (lsb16 of sw_if_index {lsb}) l3 ...` - no direction word,
// so the direction is read from the is_input bit of the pkt info flag byte.

import { dec, hex64, hexn, hexw } from '../format/vppinfra.js';
import { LineTemplate, hexDigit, lineEnd, lineStart } from '../format/scan.js';
import { type NodeKind, RecordError, expectEnd, notA, scan } from './kind.js';

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
  /** 18.04+: the lookup context index, printed on line 1 and instead of the direction on line 3. */
  lcIndex?: number;
}

const L1 = new LineTemplate('acl-plugin: sw_if_index %d, next index %d, action: %d, match: acl %d rule %d trace_bits %x');
const L1_LC = new LineTemplate('acl-plugin: lc_index: %d, sw_if_index %d, next index %d, action: %d, match: acl %d rule %d trace_bits %x');
const L2 = new LineTemplate('pkt info %s %s %s %s %s %s');
const L3_HEAD = new LineTemplate('%s sw_if_index %d (lsb16 %u) l3 ');
const L3_HEAD_LC = new LineTemplate('lc_index %d (lsb16 of sw_if_index %u) l3 ');
const L3_TAIL = new LineTemplate(' %s -> %s l4 proto %u l4_valid %u port %u -> %u tcp flags (%s) %x rsvd %x');
const NON_INITIAL = ' non-initial fragment';

/** Words seen so far: a trace repeats the same few (addresses, zero words); BigInt parsing is slow. */
const WORDS = new Map<string, bigint>();
const WORDS_MAX = 1 << 16;

/** A pkt info word: exactly 16 lowercase hex digits. */
function word64(w: string, t: readonly string[]): bigint {
  let v = WORDS.get(w);
  if (v !== undefined) return v;
  if (w.length !== 16) throw notA('pkt info', t, 1);
  for (let k = 0; k < 16; k++) if (hexDigit(w.charCodeAt(k)) < 0) throw notA('pkt info', t, 1);
  v = BigInt('0x' + w);
  if (WORDS.size >= WORDS_MAX) WORDS.clear();
  WORDS.set(w, v);
  return v;
}

/** is_input, bit 1 of the flag byte (top byte of w5): the 18.04 5-tuple line no longer prints the direction. */
function directionOf(w5: bigint): AclRecord['direction'] {
  return (w5 >> 57n) & 1n ? 'input' : 'output';
}

function line1(r: AclRecord): string {
  const lc = r.lcIndex !== undefined ? `lc_index: ${dec(r.lcIndex)}, ` : '';
  return `  acl-plugin: ${lc}sw_if_index ${dec(r.swIfIndex)}, next index ${dec(r.nextIndex)}, action: ${dec(r.action)}, match: acl ${dec(r.acl)} rule ${dec(r.rule)} trace_bits ${hexw(r.traceBits, 8)}`;
}

function line3(r: AclRecord): string {
  const who = r.lcIndex !== undefined ? `lc_index ${dec(r.lcIndex)} (lsb16 of sw_if_index ${r.lsb16})` : `${r.direction} sw_if_index ${dec(r.swIfIndex)} (lsb16 ${r.lsb16})`;
  return (
    `   ${who} l3 ${r.l3}${r.nonInitialFragment ? NON_INITIAL : ''} ${r.src} -> ${r.dst}` +
    ` l4 proto ${r.proto} l4_valid ${r.l4Valid} port ${r.port0} -> ${r.port1} tcp flags (${r.tcpFlagsValid ? 'valid' : 'invalid'}) ${hexw(r.tcpFlags, 2)} rsvd ${hexn(r.rsvd)}`
  );
}

export const acl: NodeKind<AclRecord> = {
  kind: 'acl',
  format: (r) => [line1(r), `  pkt info ${r.pktInfo.map(hex64).join(' ')}`, line3(r)],
  parse(lines) {
    // Line 1: 18.01, or 18.04 with `lc_index: N, ` first (vpp-facts §9.2).
    const lc = !L1.match(lines[0]);
    const a = lc ? scan(L1_LC, lines, 0, 'acl-plugin') : L1;
    const o = lc ? 1 : 0;
    const swIfIndex = a.n(o);
    const nextIndex = a.n(o + 1);
    const action = a.n(o + 2);
    const aclIndex = a.n(o + 3);
    const rule = a.n(o + 4);
    const traceBits = a.n(o + 5);
    const lcIndex = lc ? a.n(0) : undefined;
    const b = scan(L2, lines, 1, 'pkt info');
    const pktInfo = [word64(b.s(0), lines), word64(b.s(1), lines), word64(b.s(2), lines), word64(b.s(3), lines), word64(b.s(4), lines), word64(b.s(5), lines)];
    // Line 3: who (direction + sw_if_index, or lc_index), l3, optional fragment note, then the 5-tuple.
    const l3 = lines[2];
    if (l3 === undefined) throw notA('acl 5-tuple', lines, 2);
    const e = lineEnd(l3);
    const h = lc ? L3_HEAD_LC : L3_HEAD;
    let p = h.matchAt(l3, lineStart(l3), e);
    let direction: AclRecord['direction'];
    let lsb16: number;
    if (lc) {
      if (h.n(0) !== lcIndex) throw new RecordError(`5-tuple lc_index ${h.n(0)} differs from the record's ${lcIndex}`, 2);
      direction = directionOf(pktInfo[5]);
      lsb16 = h.n(1);
    } else {
      direction = h.s(0) as AclRecord['direction'];
      if (p >= 0 && (h.n(1) !== swIfIndex || (direction !== 'input' && direction !== 'output'))) p = -1;
      lsb16 = h.n(2);
    }
    const family = p >= 0 && l3.startsWith('ip4', p) ? 'ip4' : p >= 0 && l3.startsWith('ip6', p) ? 'ip6' : undefined;
    if (family) p += 3;
    const nonInitialFragment = p >= 0 && l3.startsWith(NON_INITIAL, p);
    if (nonInitialFragment) p += NON_INITIAL.length;
    if (p < 0 || !family || L3_TAIL.matchAt(l3, p, e) !== e) throw notA('acl 5-tuple', lines, 2);
    const tv = L3_TAIL.s(6);
    if (tv !== 'valid' && tv !== 'invalid') throw notA('acl 5-tuple', lines, 2);
    expectEnd(lines, 3);
    // One literal (no spread): V8 builds a spread-then-extended object on a slow path, ~10 us each.
    const rec: AclRecord = {
      swIfIndex,
      nextIndex,
      action,
      acl: aclIndex,
      rule,
      traceBits,
      pktInfo,
      direction,
      lsb16,
      l3: family,
      nonInitialFragment,
      src: L3_TAIL.s(0),
      dst: L3_TAIL.s(1),
      proto: L3_TAIL.n(2),
      l4Valid: L3_TAIL.n(3),
      port0: L3_TAIL.n(4),
      port1: L3_TAIL.n(5),
      tcpFlagsValid: tv === 'valid',
      tcpFlags: L3_TAIL.n(7),
      rsvd: L3_TAIL.n(8),
    };
    if (lcIndex !== undefined) rec.lcIndex = lcIndex;
    return rec;
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
    if (r.lcIndex !== undefined) out.lc_index = r.lcIndex;
  },
};
