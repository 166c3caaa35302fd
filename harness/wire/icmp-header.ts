// The 8-byte header ICMPv4 (RFC 792) and ICMPv6 (RFC 4443) share: type, code, checksum, and a
// 4-byte word whose meaning depends on the type (echo id/seq, MTU, pointer, gateway, unused).

import { u16, u32, setU16, setU32 } from './bytes.js';

export const ICMP_HEADER_LEN = 8;

export class IcmpHeaderView {
  constructor(
    readonly b: Uint8Array,
    readonly off = 0,
  ) {}
  get type(): number { return this.b[this.off]; }
  set type(v: number) { this.b[this.off] = v; }
  get code(): number { return this.b[this.off + 1]; }
  set code(v: number) { this.b[this.off + 1] = v; }
  get checksum(): number { return u16(this.b, this.off + 2); }
  set checksum(v: number) { setU16(this.b, this.off + 2, v); }
  get checksumOffset(): number { return this.off + 2; }
  get rest(): number { return u32(this.b, this.off + 4); }
  set rest(v: number) { setU32(this.b, this.off + 4, v); }
  get id(): number { return u16(this.b, this.off + 4); }
  set id(v: number) { setU16(this.b, this.off + 4, v); }
  get seq(): number { return u16(this.b, this.off + 6); }
  set seq(v: number) { setU16(this.b, this.off + 6, v); }
  get payloadOffset(): number { return this.off + ICMP_HEADER_LEN; }
}

/** What parse returns for either ICMP: the header fields and everything after them. */
export interface IcmpRepr {
  type: number;
  code: number;
  checksum: number;
  /** Bytes 4..7 as one number; see the views' typed accessors. */
  rest: number;
  /** Echo data, or the quoted original packet of an error. */
  payload: Uint8Array;
}

export function parseIcmpHeader(v: IcmpHeaderView, end: number): IcmpRepr {
  return { type: v.type, code: v.code, checksum: v.checksum, rest: v.rest, payload: v.b.slice(v.payloadOffset, end) };
}

/** Writes everything but the checksum field's final value (which the caller computes or keeps). */
export function emitIcmpHeader(r: IcmpRepr, v: IcmpHeaderView): void {
  v.type = r.type;
  v.code = r.code;
  v.rest = r.rest;
  v.b.set(r.payload, v.payloadOffset);
  v.checksum = r.checksum;
}

/** Echo-style rest-of-header: identifier and sequence number. */
export function idSeqWord(id: number, seq: number): number {
  return (((id & 0xffff) << 16) | (seq & 0xffff)) >>> 0;
}
