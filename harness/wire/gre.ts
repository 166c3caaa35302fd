// GRE (RFC 2784 with the RFC 2890 key and sequence extensions). First word: C (checksum present),
// a reserved bit (RFC 1701's R), K (key present), S (sequence present), 9 more reserved bits,
// 3-bit version, then the protocol type (an EtherType). Optional, in this order: checksum +
// reserved1 (4 bytes, when C), key (4, when K), sequence number (4, when S). The checksum covers the
// GRE header and its payload (RFC 2784 §2.5).

import { u16, u32, setU16, setU32 } from './bytes.js';
import { checksumWithFieldZeroed, verifiesTo0xffff } from './checksum.js';
import { ensureLength } from './wire-error.js';

export const GRE_MIN_HEADER_LEN = 4;
export const GreFlag = { C: 0x8000, R: 0x4000, K: 0x2000, S: 0x1000 } as const;

export interface GreRepr {
  checksumPresent: boolean;
  keyPresent: boolean;
  sequencePresent: boolean;
  /** The reserved bits of the first word (mask 0x4ff8), normally 0. */
  reserved0: number;
  version: number;
  protocol: number;
  /** Present when checksumPresent. */
  checksum?: number;
  reserved1?: number;
  key?: number;
  sequence?: number;
}

export class GreView {
  constructor(
    readonly b: Uint8Array,
    readonly off = 0,
  ) {}
  get flagsVersion(): number { return u16(this.b, this.off); }
  set flagsVersion(v: number) { setU16(this.b, this.off, v); }
  get checksumPresent(): boolean { return (this.flagsVersion & GreFlag.C) !== 0; }
  get keyPresent(): boolean { return (this.flagsVersion & GreFlag.K) !== 0; }
  get sequencePresent(): boolean { return (this.flagsVersion & GreFlag.S) !== 0; }
  get reserved0(): number { return this.flagsVersion & 0x4ff8; }
  get version(): number { return this.flagsVersion & 7; }
  get protocol(): number { return u16(this.b, this.off + 2); }
  set protocol(v: number) { setU16(this.b, this.off + 2, v); }
  get headerLength(): number {
    return GRE_MIN_HEADER_LEN + (this.checksumPresent ? 4 : 0) + (this.keyPresent ? 4 : 0) + (this.sequencePresent ? 4 : 0);
  }
  get checksumOffset(): number { return this.off + 4; }
  get keyOffset(): number { return this.off + 4 + (this.checksumPresent ? 4 : 0); }
  get sequenceOffset(): number { return this.keyOffset + (this.keyPresent ? 4 : 0); }
  /** Only meaningful when checksumPresent. */
  get checksum(): number { return u16(this.b, this.off + 4); }
  set checksum(v: number) { setU16(this.b, this.off + 4, v); }
  get reserved1(): number { return u16(this.b, this.off + 6); }
  get key(): number { return u32(this.b, this.keyOffset); }
  set key(v: number) { setU32(this.b, this.keyOffset, v); }
  get sequence(): number { return u32(this.b, this.sequenceOffset); }
  set sequence(v: number) { setU32(this.b, this.sequenceOffset, v); }
  get payloadOffset(): number { return this.off + this.headerLength; }

  /** Checksum over `length` bytes (GRE header + payload), the field taken as zero. */
  computeChecksum(length: number): number { return checksumWithFieldZeroed(this.b, this.off, length, this.checksumOffset); }
  checksumValid(length: number): boolean { return verifiesTo0xffff(this.b, this.off, length); }
  fillChecksum(length: number): void { this.checksum = this.computeChecksum(length); }
}

export function greHeaderLength(r: Pick<GreRepr, 'checksumPresent' | 'keyPresent' | 'sequencePresent'>): number {
  return GRE_MIN_HEADER_LEN + (r.checksumPresent ? 4 : 0) + (r.keyPresent ? 4 : 0) + (r.sequencePresent ? 4 : 0);
}

export function parseGre(b: Uint8Array, off = 0, end = b.length): GreRepr {
  ensureLength(b, off, GRE_MIN_HEADER_LEN, 'GRE header', end);
  const v = new GreView(b, off);
  ensureLength(b, off, v.headerLength, 'GRE optional fields', end);
  const r: GreRepr = {
    checksumPresent: v.checksumPresent,
    keyPresent: v.keyPresent,
    sequencePresent: v.sequencePresent,
    reserved0: v.reserved0,
    version: v.version,
    protocol: v.protocol,
  };
  if (r.checksumPresent) {
    r.checksum = v.checksum;
    r.reserved1 = v.reserved1;
  }
  if (r.keyPresent) r.key = v.key;
  if (r.sequencePresent) r.sequence = v.sequence;
  return r;
}

/**
 * Writes the header; the checksum (when present) as in the Repr: fill it with
 * GreView.fillChecksum once the payload is in place (it covers the payload).
 */
export function emitGre(r: GreRepr, out?: Uint8Array, off = 0): Uint8Array {
  const len = greHeaderLength(r);
  const b = out ?? new Uint8Array(len);
  ensureLength(b, off, len, 'GRE output buffer');
  const v = new GreView(b, off);
  v.flagsVersion =
    (r.checksumPresent ? GreFlag.C : 0) | (r.keyPresent ? GreFlag.K : 0) | (r.sequencePresent ? GreFlag.S : 0) | (r.reserved0 & 0x4ff8) | (r.version & 7);
  v.protocol = r.protocol;
  if (r.checksumPresent) {
    v.checksum = r.checksum ?? 0;
    setU16(b, off + 6, r.reserved1 ?? 0);
  }
  if (r.keyPresent) v.key = r.key ?? 0;
  if (r.sequencePresent) v.sequence = r.sequence ?? 0;
  return b;
}
