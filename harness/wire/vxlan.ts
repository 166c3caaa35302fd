// VXLAN (RFC 7348): 8 bytes after UDP port 4789. Flags byte with I (0x08) = VNI valid, 24 reserved
// bits, the 24-bit VNI, 8 reserved bits. Reserved bits are carried so odd packets round-trip.

import { u32, setU32 } from './bytes.js';
import { ensureLength } from './wire-error.js';

export const VXLAN_HEADER_LEN = 8;
export const VXLAN_FLAG_I = 0x08;

export interface VxlanRepr {
  flags: number;
  /** Bits 8..31 of the first word. */
  reserved1: number;
  vni: number;
  /** Last byte. */
  reserved2: number;
}

export class VxlanView {
  constructor(
    readonly b: Uint8Array,
    readonly off = 0,
  ) {}
  get flags(): number { return this.b[this.off]; }
  set flags(v: number) { this.b[this.off] = v; }
  get vniValid(): boolean { return (this.flags & VXLAN_FLAG_I) !== 0; }
  get reserved1(): number { return u32(this.b, this.off) & 0xffffff; }
  get vni(): number { return u32(this.b, this.off + 4) >>> 8; }
  set vni(v: number) { setU32(this.b, this.off + 4, (((v & 0xffffff) << 8) | this.reserved2) >>> 0); }
  get reserved2(): number { return this.b[this.off + 7]; }
  get payloadOffset(): number { return this.off + VXLAN_HEADER_LEN; }
}

export function parseVxlan(b: Uint8Array, off = 0): VxlanRepr {
  ensureLength(b, off, VXLAN_HEADER_LEN, 'VXLAN header');
  const v = new VxlanView(b, off);
  return { flags: v.flags, reserved1: v.reserved1, vni: v.vni, reserved2: v.reserved2 };
}

export function emitVxlan(r: VxlanRepr, out?: Uint8Array, off = 0): Uint8Array {
  const b = out ?? new Uint8Array(VXLAN_HEADER_LEN);
  ensureLength(b, off, VXLAN_HEADER_LEN, 'VXLAN output buffer');
  setU32(b, off, (((r.flags & 0xff) << 24) | (r.reserved1 & 0xffffff)) >>> 0);
  setU32(b, off + 4, (((r.vni & 0xffffff) << 8) | (r.reserved2 & 0xff)) >>> 0);
  return b;
}
