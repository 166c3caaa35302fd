// Ethernet header line (vpp-facts §3.1): `{TYPE}: {src} -> {dst}` - source first - plus one
// ` 802.1q vlan {tci}` / ` 802.1ad vlan {tci}` per tag, the label chosen by the FIRST tag's type for
// every tag (an 18.01 bug kept on purpose).

import { macToString } from '../../wire/address.js';
import { etherTypeName, etherTypeFromName } from './names.js';
import { LineTemplate, lineEnd, lineStart } from './scan.js';
import { hexw } from './vppinfra.js';

export const ETHERTYPE_VLAN = 0x8100;
export const ETHERTYPE_DOT1AD = 0x88a8;

export interface VlanTag {
  /** The tag's own TPID (0x8100 / 0x88a8). */
  tpid: number;
  /** vid | cfi<<12 | priority<<13, as on the wire. */
  tci: number;
}

export interface EthHeaderRecord {
  kind: 'eth';
  /** The inner ethertype (after up to two VLAN tags). */
  type: number;
  src: string;
  dst: string;
  vlans?: VlanTag[];
}

export function etherTypeText(t: number): string {
  return etherTypeName(t) ?? `0x${hexw(t, 4)}`;
}

function tciText(tci: number): string {
  const vid = tci & 0xfff;
  const cfi = (tci >> 12) & 1;
  const prio = tci >> 13;
  return `${vid}${prio ? ` priority ${prio}` : ''}${cfi ? ' cfi' : ''}`;
}

export function formatEthLine(h: EthHeaderRecord): string {
  let s = `${etherTypeText(h.type)}: ${h.src} -> ${h.dst}`;
  if (h.vlans?.length) {
    const label = h.vlans[0].tpid === ETHERTYPE_DOT1AD ? '802.1ad' : '802.1q';
    for (const v of h.vlans) s += ` ${label} vlan ${tciText(v.tci)}`;
  }
  return s;
}

const MAC = '[0-9a-f]{2}(?::[0-9a-f]{2}){5}';
const ETH_RE = new RegExp(`^(\\S+): (${MAC}) -> (${MAC})((?: 802\\.1(?:q|ad) vlan \\d+(?: priority \\d)?(?: cfi)?)*)$`);
const VLAN_RE = / (802\.1(?:q|ad)) vlan (\d+)(?: priority (\d))?( cfi)?/g;

const LINE = new LineTemplate('%s: %m -> %m');

export function parseEthLine(t: string): EthHeaderRecord | undefined {
  const e = lineEnd(t);
  const p = LINE.matchAt(t, lineStart(t), e);
  if (p < 0) return undefined;
  const name = LINE.s(0);
  if (name.includes(' ')) return undefined;
  const type = name.startsWith('0x') ? parseInt(name, 16) : etherTypeFromName(name);
  if (type === undefined || Number.isNaN(type)) return undefined;
  const h: EthHeaderRecord = { kind: 'eth', type, src: LINE.s(1), dst: LINE.s(2) };
  if (p === e) return h;
  // VLAN tags: rare, read with the regex.
  const m = ETH_RE.exec(t.slice(lineStart(t), e));
  if (!m) return undefined;
  h.vlans = [];
  for (const v of m[4].matchAll(VLAN_RE)) {
    const tci = Number(v[2]) | (v[4] ? 1 << 12 : 0) | (Number(v[3] ?? 0) << 13);
    // The printed label is the first tag's for all tags: the real TPIDs of later tags are unknowable.
    h.vlans.push({ tpid: v[1] === '802.1ad' ? ETHERTYPE_DOT1AD : ETHERTYPE_VLAN, tci });
  }
  return h;
}

/** Header bytes: 14 + 4 per tag. */
export function ethHeaderLength(h: EthHeaderRecord): number {
  return 14 + 4 * (h.vlans?.length ?? 0);
}

/** Decode as VPP does: up to two 0x8100/0x88a8 tags are skipped. Undefined when too short. */
export function ethFromBytes(b: Uint8Array, off = 0, max = b.length - off): EthHeaderRecord | undefined {
  if (max < 14 || b.length - off < 14) return undefined;
  let type = (b[off + 12] << 8) | b[off + 13];
  const vlans: VlanTag[] = [];
  let p = off + 14;
  while ((type === ETHERTYPE_VLAN || type === ETHERTYPE_DOT1AD) && vlans.length < 2) {
    if (p + 4 > off + max || p + 4 > b.length) return undefined;
    vlans.push({ tpid: type, tci: (b[p] << 8) | b[p + 1] });
    type = (b[p + 2] << 8) | b[p + 3];
    p += 4;
  }
  const h: EthHeaderRecord = { kind: 'eth', type, src: macToString(b, off + 6), dst: macToString(b, off) };
  if (vlans.length) h.vlans = vlans;
  return h;
}
