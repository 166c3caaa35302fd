// Ethernet II (IEEE 802.3 frame with an EtherType) with any number of 802.1Q / 802.1ad tags.
// A tag is a TPID (0x8100 C-tag, 0x88a8 S-tag, or the pre-standard 0x9100) followed by a 16-bit TCI
// (PCP 3 bits, DEI 1 bit, VID 12 bits); the EtherType of the payload follows the last tag.

import { u16, setU16 } from './bytes.js';
import { macToBytes, macToString } from './address.js';
import { WireError, ensureLength } from './wire-error.js';

export const ETHERNET_HEADER_LEN = 14;
export const VLAN_TAG_LEN = 4;

export const EtherType = {
  IPV4: 0x0800,
  ARP: 0x0806,
  TEB: 0x6558,
  VLAN: 0x8100,
  IPV6: 0x86dd,
  MPLS: 0x8847,
  MPLS_MULTICAST: 0x8848,
  QINQ: 0x88a8,
  QINQ_OLD: 0x9100,
} as const;

export function isVlanTpid(t: number): boolean {
  return t === EtherType.VLAN || t === EtherType.QINQ || t === EtherType.QINQ_OLD;
}

export interface VlanTag {
  /** The TPID that introduced this tag (0x8100, 0x88a8, 0x9100). */
  tpid: number;
  pcp: number;
  dei: boolean;
  vid: number;
}

export interface EthernetRepr {
  dst: string;
  src: string;
  /** Outermost first. */
  tags: VlanTag[];
  /** The payload's EtherType, after the last tag. */
  etherType: number;
}

/** One 802.1Q tag in place; `off` is the TPID's offset. */
export class VlanTagView {
  constructor(
    readonly b: Uint8Array,
    readonly off: number,
  ) {}
  get tpid(): number { return u16(this.b, this.off); }
  set tpid(v: number) { setU16(this.b, this.off, v); }
  get tci(): number { return u16(this.b, this.off + 2); }
  set tci(v: number) { setU16(this.b, this.off + 2, v); }
  get pcp(): number { return this.b[this.off + 2] >> 5; }
  set pcp(v: number) { this.b[this.off + 2] = (this.b[this.off + 2] & 0x1f) | ((v & 7) << 5); }
  get dei(): boolean { return (this.b[this.off + 2] & 0x10) !== 0; }
  set dei(v: boolean) { this.b[this.off + 2] = (this.b[this.off + 2] & 0xef) | (v ? 0x10 : 0); }
  get vid(): number { return this.tci & 0x0fff; }
  set vid(v: number) { this.tci = (this.tci & 0xf000) | (v & 0x0fff); }
  /** The type word after this tag: the next TPID or the payload EtherType. */
  get nextType(): number { return u16(this.b, this.off + 4); }
}

export class EthernetView {
  constructor(
    readonly b: Uint8Array,
    readonly off = 0,
  ) {}
  get dst(): string { return macToString(this.b, this.off); }
  set dst(v: string) { macToBytes(v, this.b, this.off); }
  get src(): string { return macToString(this.b, this.off + 6); }
  set src(v: string) { macToBytes(v, this.b, this.off + 6); }
  /** The type word at byte 12: a TPID when tagged, else the payload EtherType. */
  get outerType(): number { return u16(this.b, this.off + 12); }
  set outerType(v: number) { setU16(this.b, this.off + 12, v); }
  /** Number of VLAN tags (walks the tag chain; stops at the end of the buffer). */
  get tagCount(): number {
    let n = 0;
    let p = this.off + 12;
    while (p + VLAN_TAG_LEN + 2 <= this.b.length && isVlanTpid(u16(this.b, p))) {
      n++;
      p += VLAN_TAG_LEN;
    }
    return n;
  }
  /** The i-th tag, outermost = 0 (not bounds-checked). */
  tag(i: number): VlanTagView { return new VlanTagView(this.b, this.off + 12 + VLAN_TAG_LEN * i); }
  get headerLength(): number { return ETHERNET_HEADER_LEN + VLAN_TAG_LEN * this.tagCount; }
  /** The payload EtherType after all tags. */
  get etherType(): number { return u16(this.b, this.off + this.headerLength - 2); }
  set etherType(v: number) { setU16(this.b, this.off + this.headerLength - 2, v); }
  get payloadOffset(): number { return this.off + this.headerLength; }
}

export function ethernetHeaderLength(r: EthernetRepr): number {
  return ETHERNET_HEADER_LEN + VLAN_TAG_LEN * r.tags.length;
}

export function parseEthernet(b: Uint8Array, off = 0): EthernetRepr {
  ensureLength(b, off, ETHERNET_HEADER_LEN, 'Ethernet header');
  const v = new EthernetView(b, off);
  const tags: VlanTag[] = [];
  let p = off + 12;
  while (isVlanTpid(u16(b, p))) {
    if (b.length - p < VLAN_TAG_LEN + 2) throw new WireError(`802.1Q tag truncated: ${b.length - p} bytes`, p);
    const t = new VlanTagView(b, p);
    tags.push({ tpid: t.tpid, pcp: t.pcp, dei: t.dei, vid: t.vid });
    p += VLAN_TAG_LEN;
  }
  return { dst: v.dst, src: v.src, tags, etherType: u16(b, p) };
}

export function emitEthernet(r: EthernetRepr, out?: Uint8Array, off = 0): Uint8Array {
  const len = ethernetHeaderLength(r);
  const b = out ?? new Uint8Array(len);
  ensureLength(b, off, len, 'Ethernet output buffer');
  const v = new EthernetView(b, off);
  v.dst = r.dst;
  v.src = r.src;
  let p = off + 12;
  for (const t of r.tags) {
    setU16(b, p, t.tpid);
    setU16(b, p + 2, ((t.pcp & 7) << 13) | (t.dei ? 0x1000 : 0) | (t.vid & 0x0fff));
    p += VLAN_TAG_LEN;
  }
  setU16(b, p, r.etherType);
  return b;
}
