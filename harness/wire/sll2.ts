// Linux cooked capture v2 (LINKTYPE_LINUX_SLL2 = 276), 20 bytes: protocol, reserved, interface
// index, ARPHRD type, packet type, address length, 8-byte address field.

import { u16, u32, setU16, setU32 } from './bytes.js';
import { ensureLength } from './wire-error.js';
import { COOKED_ADDRESS_FIELD_LEN, cookedAddressText } from './link-address.js';

export const SLL2_HEADER_LEN = 20;

export interface Sll2Repr {
  protocol: number;
  reserved: number;
  interfaceIndex: number;
  arphrdType: number;
  packetType: number;
  addressLength: number;
  /** The whole 8-byte address field. */
  address: Uint8Array;
}

export class Sll2View {
  constructor(
    readonly b: Uint8Array,
    readonly off = 0,
  ) {}
  get protocol(): number { return u16(this.b, this.off); }
  set protocol(v: number) { setU16(this.b, this.off, v); }
  get reserved(): number { return u16(this.b, this.off + 2); }
  set reserved(v: number) { setU16(this.b, this.off + 2, v); }
  get interfaceIndex(): number { return u32(this.b, this.off + 4); }
  set interfaceIndex(v: number) { setU32(this.b, this.off + 4, v); }
  get arphrdType(): number { return u16(this.b, this.off + 8); }
  set arphrdType(v: number) { setU16(this.b, this.off + 8, v); }
  get packetType(): number { return this.b[this.off + 10]; }
  set packetType(v: number) { this.b[this.off + 10] = v; }
  get addressLength(): number { return this.b[this.off + 11]; }
  set addressLength(v: number) { this.b[this.off + 11] = v; }
  get addressText(): string { return cookedAddressText(this.b, this.off + 12, this.addressLength); }
  get payloadOffset(): number { return this.off + SLL2_HEADER_LEN; }
}

export function parseSll2(b: Uint8Array, off = 0): Sll2Repr {
  ensureLength(b, off, SLL2_HEADER_LEN, 'Linux cooked (SLL2) header');
  const v = new Sll2View(b, off);
  return {
    protocol: v.protocol,
    reserved: v.reserved,
    interfaceIndex: v.interfaceIndex,
    arphrdType: v.arphrdType,
    packetType: v.packetType,
    addressLength: v.addressLength,
    address: b.slice(off + 12, off + 12 + COOKED_ADDRESS_FIELD_LEN),
  };
}

export function emitSll2(r: Sll2Repr, out?: Uint8Array, off = 0): Uint8Array {
  const b = out ?? new Uint8Array(SLL2_HEADER_LEN);
  ensureLength(b, off, SLL2_HEADER_LEN, 'SLL2 output buffer');
  const v = new Sll2View(b, off);
  v.protocol = r.protocol;
  v.reserved = r.reserved;
  v.interfaceIndex = r.interfaceIndex;
  v.arphrdType = r.arphrdType;
  v.packetType = r.packetType;
  v.addressLength = r.addressLength;
  b.fill(0, off + 12, off + 20);
  b.set(r.address.subarray(0, COOKED_ADDRESS_FIELD_LEN), off + 12);
  return b;
}
