// Linux cooked capture v1 (LINKTYPE_LINUX_SLL = 113), 16 bytes: packet type, ARPHRD type, address
// length, 8-byte address field, protocol (an EtherType for most ARPHRD types).

import { u16, setU16 } from './bytes.js';
import { ensureLength } from './wire-error.js';
import { COOKED_ADDRESS_FIELD_LEN, cookedAddressText } from './link-address.js';

export const SLL_HEADER_LEN = 16;

export interface SllRepr {
  packetType: number;
  arphrdType: number;
  addressLength: number;
  /** The whole 8-byte address field (bytes past addressLength kept so packets round-trip). */
  address: Uint8Array;
  protocol: number;
}

export class SllView {
  constructor(
    readonly b: Uint8Array,
    readonly off = 0,
  ) {}
  get packetType(): number { return u16(this.b, this.off); }
  set packetType(v: number) { setU16(this.b, this.off, v); }
  get arphrdType(): number { return u16(this.b, this.off + 2); }
  set arphrdType(v: number) { setU16(this.b, this.off + 2, v); }
  get addressLength(): number { return u16(this.b, this.off + 4); }
  set addressLength(v: number) { setU16(this.b, this.off + 4, v); }
  get addressOffset(): number { return this.off + 6; }
  get addressText(): string { return cookedAddressText(this.b, this.off + 6, this.addressLength); }
  get protocol(): number { return u16(this.b, this.off + 14); }
  set protocol(v: number) { setU16(this.b, this.off + 14, v); }
  get payloadOffset(): number { return this.off + SLL_HEADER_LEN; }
}

export function parseSll(b: Uint8Array, off = 0): SllRepr {
  ensureLength(b, off, SLL_HEADER_LEN, 'Linux cooked (SLL) header');
  const v = new SllView(b, off);
  return {
    packetType: v.packetType,
    arphrdType: v.arphrdType,
    addressLength: v.addressLength,
    address: b.slice(off + 6, off + 6 + COOKED_ADDRESS_FIELD_LEN),
    protocol: v.protocol,
  };
}

export function emitSll(r: SllRepr, out?: Uint8Array, off = 0): Uint8Array {
  const b = out ?? new Uint8Array(SLL_HEADER_LEN);
  ensureLength(b, off, SLL_HEADER_LEN, 'SLL output buffer');
  const v = new SllView(b, off);
  v.packetType = r.packetType;
  v.arphrdType = r.arphrdType;
  v.addressLength = r.addressLength;
  b.fill(0, off + 6, off + 14);
  b.set(r.address.subarray(0, COOKED_ADDRESS_FIELD_LEN), off + 6);
  v.protocol = r.protocol;
  return b;
}
