// ICMPv6 (RFC 4443). Same 8-byte shape as ICMPv4: type, code, checksum, a 4-byte word (echo id/seq,
// packet-too-big MTU, parameter-problem pointer, unused), then data. Errors (types < 128) quote as
// much of the invoking packet as fits in the minimum MTU. The checksum covers an IPv6
// pseudo-header (next header 58) plus the message, so computing it needs the addresses.

import { u16, u32, setU16, setU32 } from './bytes.js';
import { internetChecksum, pseudoHeaderSum6, verifiesTo0xffff } from './checksum.js';
import { ensureLength } from './wire-error.js';
import { IpProtocol } from './ipv4.js';
import { ip6ToBytes } from './address.js';
import type { ChecksumEmitOptions } from './icmp4.js';

export const ICMP6_HEADER_LEN = 8;

export const Icmp6Type = {
  DEST_UNREACHABLE: 1,
  PACKET_TOO_BIG: 2,
  TIME_EXCEEDED: 3,
  PARAM_PROBLEM: 4,
  ECHO_REQUEST: 128,
  ECHO_REPLY: 129,
  ROUTER_SOLICIT: 133,
  ROUTER_ADVERT: 134,
  NEIGHBOR_SOLICIT: 135,
  NEIGHBOR_ADVERT: 136,
  REDIRECT: 137,
} as const;

/** RFC 4443 §2.1: types 0-127 are errors; the four defined ones quote the invoking packet. */
export function isIcmp6Error(type: number): boolean {
  return type >= 1 && type <= 4;
}

export function icmp6HasIdSeq(type: number): boolean {
  return type === 128 || type === 129;
}

export interface Icmp6Repr {
  type: number;
  code: number;
  checksum: number;
  /** Bytes 4..7: echo id/seq, MTU (packet too big), pointer (param problem), or unused. */
  rest: number;
  payload: Uint8Array;
}

export class Icmp6View {
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
  get rest(): number { return u32(this.b, this.off + 4); }
  set rest(v: number) { setU32(this.b, this.off + 4, v); }
  get id(): number { return u16(this.b, this.off + 4); }
  set id(v: number) { setU16(this.b, this.off + 4, v); }
  get seq(): number { return u16(this.b, this.off + 6); }
  set seq(v: number) { setU16(this.b, this.off + 6, v); }
  /** Packet too big: the MTU. */
  get mtu(): number { return this.rest; }
  /** Parameter problem: byte offset of the error in the quoted packet. */
  get pointer(): number { return this.rest; }
  get payloadOffset(): number { return this.off + ICMP6_HEADER_LEN; }

  /** `pseudoSum` from pseudoHeaderSum6(..., 58, length). */
  computeChecksum(length: number, pseudoSum: number): number {
    const saved = this.checksum;
    this.checksum = 0;
    const c = internetChecksum(this.b, this.off, length, pseudoSum);
    this.checksum = saved;
    return c;
  }
  checksumValid(length: number, pseudoSum: number): boolean { return verifiesTo0xffff(this.b, this.off, length, pseudoSum); }
  fillChecksum(length: number, pseudoSum: number): void { this.checksum = this.computeChecksum(length, pseudoSum); }
}

export function parseIcmp6(b: Uint8Array, off = 0, end = b.length): Icmp6Repr {
  ensureLength(b, off, ICMP6_HEADER_LEN, 'ICMPv6 header', end);
  const v = new Icmp6View(b, off);
  return { type: v.type, code: v.code, checksum: v.checksum, rest: v.rest, payload: b.slice(off + ICMP6_HEADER_LEN, end) };
}

export interface Icmp6EmitOptions extends ChecksumEmitOptions {
  /** IPv6 source and destination for the pseudo-header; required unless keepChecksum. */
  src?: string;
  dst?: string;
}

/** The pseudo-header sum of an ICMPv6 message of `length` bytes between two addresses. */
export function icmp6PseudoSum(src: string, dst: string, length: number): number {
  const a = new Uint8Array(32);
  ip6ToBytes(src, a, 0);
  ip6ToBytes(dst, a, 16);
  return pseudoHeaderSum6(a, 0, 16, IpProtocol.ICMPV6, length);
}

export function emitIcmp6(r: Icmp6Repr, out?: Uint8Array, off = 0, opts: Icmp6EmitOptions = {}): Uint8Array {
  const len = ICMP6_HEADER_LEN + r.payload.length;
  const b = out ?? new Uint8Array(len);
  ensureLength(b, off, len, 'ICMPv6 output buffer');
  const v = new Icmp6View(b, off);
  v.type = r.type;
  v.code = r.code;
  v.rest = r.rest;
  b.set(r.payload, off + ICMP6_HEADER_LEN);
  v.checksum = r.checksum;
  if (!opts.keepChecksum) {
    if (opts.src === undefined || opts.dst === undefined) throw new Error('emitIcmp6 needs src and dst to compute the checksum (or keepChecksum)');
    v.fillChecksum(len, icmp6PseudoSum(opts.src, opts.dst, len));
  }
  return b;
}

export function icmp6Echo(type: number, id: number, seq: number, data: Uint8Array = new Uint8Array(0)): Icmp6Repr {
  return { type, code: 0, checksum: 0, rest: (((id & 0xffff) << 16) | (seq & 0xffff)) >>> 0, payload: data };
}

/** An error quoting `original`; `mtu` for packet too big, `pointer` for parameter problem. */
export function icmp6Error(type: number, code: number, original: Uint8Array, extra: { mtu?: number; pointer?: number } = {}): Icmp6Repr {
  return { type, code, checksum: 0, rest: (extra.mtu ?? extra.pointer ?? 0) >>> 0, payload: original };
}
