// ICMPv4 (RFC 792, RFC 1191 for the next-hop MTU). The 8-byte header is type, code, checksum and a
// 4-byte "rest of header" whose meaning depends on the type: echo id/seq, next-hop MTU, a
// parameter-problem pointer, a redirect gateway, or unused. Error messages quote the original
// datagram (IP header + at least 8 bytes) after the header; it is carried as `payload` and the
// dissector walks it as nested layers. The checksum covers the whole ICMP message.

import { u16 } from './bytes.js';
import { ip4ToString } from './address.js';
import { checksumWithFieldZeroed, verifiesTo0xffff } from './checksum.js';
import { ICMP_HEADER_LEN, IcmpHeaderView, emitIcmpHeader, idSeqWord, parseIcmpHeader, type IcmpRepr } from './icmp-header.js';
import { ensureLength } from './wire-error.js';

export const ICMP4_HEADER_LEN = ICMP_HEADER_LEN;

export const Icmp4Type = {
  ECHO_REPLY: 0,
  DEST_UNREACHABLE: 3,
  SOURCE_QUENCH: 4,
  REDIRECT: 5,
  ECHO_REQUEST: 8,
  TIME_EXCEEDED: 11,
  PARAM_PROBLEM: 12,
  TIMESTAMP: 13,
  TIMESTAMP_REPLY: 14,
} as const;

/** Error messages: their payload is the quoted original datagram. */
export function isIcmp4Error(type: number): boolean {
  return type === 3 || type === 4 || type === 5 || type === 11 || type === 12;
}

/** Messages whose rest-of-header is identifier + sequence number. */
export function icmp4HasIdSeq(type: number): boolean {
  return type === 0 || type === 8 || type === 13 || type === 14 || type === 15 || type === 16;
}

export type Icmp4Repr = IcmpRepr;

export class Icmp4View extends IcmpHeaderView {
  /** Destination unreachable / fragmentation needed (code 4): next-hop MTU (RFC 1191). */
  get nextHopMtu(): number { return u16(this.b, this.off + 6); }
  /** Parameter problem: octet offset of the error in the quoted datagram. */
  get pointer(): number { return this.b[this.off + 4]; }
  /** Redirect: the gateway address. */
  get gateway(): string { return ip4ToString(this.b, this.off + 4); }

  /** Checksum over `length` bytes of message (header + payload), the field taken as zero. */
  computeChecksum(length: number): number { return checksumWithFieldZeroed(this.b, this.off, length, this.checksumOffset); }
  checksumValid(length: number): boolean { return verifiesTo0xffff(this.b, this.off, length); }
  fillChecksum(length: number): void { this.checksum = this.computeChecksum(length); }
}

export function parseIcmp4(b: Uint8Array, off = 0, end = b.length): Icmp4Repr {
  ensureLength(b, off, ICMP4_HEADER_LEN, 'ICMP header', end);
  return parseIcmpHeader(new Icmp4View(b, off), end);
}

export interface ChecksumEmitOptions {
  /** Keep repr.checksum as given instead of computing it (to emit a deliberately wrong one). */
  keepChecksum?: boolean;
}

export function emitIcmp4(r: Icmp4Repr, out?: Uint8Array, off = 0, opts: ChecksumEmitOptions = {}): Uint8Array {
  const len = ICMP4_HEADER_LEN + r.payload.length;
  const b = out ?? new Uint8Array(len);
  ensureLength(b, off, len, 'ICMP output buffer');
  const v = new Icmp4View(b, off);
  emitIcmpHeader(r, v);
  if (!opts.keepChecksum) v.fillChecksum(len);
  return b;
}

/** An echo request (8) / reply (0) repr. */
export function icmp4Echo(type: number, id: number, seq: number, data: Uint8Array = new Uint8Array(0)): Icmp4Repr {
  return { type, code: 0, checksum: 0, rest: idSeqWord(id, seq), payload: data };
}

/**
 * An error repr quoting `original` (the offending datagram from its IP header, RFC 792: header +
 * the first 64 bits of data at least). `mtu` for fragmentation needed, `pointer` for param problem.
 */
export function icmp4Error(type: number, code: number, original: Uint8Array, extra: { mtu?: number; pointer?: number } = {}): Icmp4Repr {
  const rest = extra.pointer !== undefined ? (extra.pointer & 0xff) * 0x1000000 : (extra.mtu ?? 0) & 0xffff;
  return { type, code, checksum: 0, rest, payload: original };
}
