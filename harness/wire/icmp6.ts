// ICMPv6 (RFC 4443). Same 8-byte shape as ICMPv4: type, code, checksum, a 4-byte word (echo id/seq,
// packet-too-big MTU, parameter-problem pointer, unused), then data. Errors (types < 128) quote as
// much of the invoking packet as fits in the minimum MTU. The checksum covers an IPv6
// pseudo-header (next header 58) plus the message, so computing it needs the addresses.

import { checksumWithFieldZeroed, pseudoHeaderSum6, verifiesTo0xffff } from './checksum.js';
import { ICMP_HEADER_LEN, IcmpHeaderView, emitIcmpHeader, idSeqWord, parseIcmpHeader, type IcmpRepr } from './icmp-header.js';
import { ensureLength } from './wire-error.js';
import { IpProtocol } from './ipv4.js';
import { ip6ToBytes } from './address.js';
import type { ChecksumEmitOptions } from './icmp4.js';

export const ICMP6_HEADER_LEN = ICMP_HEADER_LEN;

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

export type Icmp6Repr = IcmpRepr;

export class Icmp6View extends IcmpHeaderView {
  /** Packet too big: the MTU. */
  get mtu(): number { return this.rest; }
  /** Parameter problem: byte offset of the error in the quoted packet. */
  get pointer(): number { return this.rest; }

  /** `pseudoSum` from pseudoHeaderSum6(..., 58, length). */
  computeChecksum(length: number, pseudoSum: number): number { return checksumWithFieldZeroed(this.b, this.off, length, this.checksumOffset, pseudoSum); }
  checksumValid(length: number, pseudoSum: number): boolean { return verifiesTo0xffff(this.b, this.off, length, pseudoSum); }
  fillChecksum(length: number, pseudoSum: number): void { this.checksum = this.computeChecksum(length, pseudoSum); }
}

export function parseIcmp6(b: Uint8Array, off = 0, end = b.length): Icmp6Repr {
  ensureLength(b, off, ICMP6_HEADER_LEN, 'ICMPv6 header', end);
  return parseIcmpHeader(new Icmp6View(b, off), end);
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
  emitIcmpHeader(r, v);
  if (!opts.keepChecksum) {
    if (opts.src === undefined || opts.dst === undefined) throw new Error('emitIcmp6 needs src and dst to compute the checksum (or keepChecksum)');
    v.fillChecksum(len, icmp6PseudoSum(opts.src, opts.dst, len));
  }
  return b;
}

export function icmp6Echo(type: number, id: number, seq: number, data: Uint8Array = new Uint8Array(0)): Icmp6Repr {
  return { type, code: 0, checksum: 0, rest: idSeqWord(id, seq), payload: data };
}

/** An error quoting `original`; `mtu` for packet too big, `pointer` for parameter problem. */
export function icmp6Error(type: number, code: number, original: Uint8Array, extra: { mtu?: number; pointer?: number } = {}): Icmp6Repr {
  return { type, code, checksum: 0, rest: (extra.mtu ?? extra.pointer ?? 0) >>> 0, payload: original };
}
