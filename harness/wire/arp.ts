// ARP (RFC 826). Addresses print as MAC / IPv4 text when the lengths say Ethernet / IPv4, and as
// hex otherwise, so any ARP-shaped packet round-trips.

import { u16, setU16, hex, fromHex } from './bytes.js';
import { ip4ToBytes, ip4ToString, macToBytes, macToString } from './address.js';
import { WireError, ensureLength } from './wire-error.js';
import { EtherType } from './ethernet.js';

export const ARP_FIXED_LEN = 8;
export const ArpOperation = { REQUEST: 1, REPLY: 2, RARP_REQUEST: 3, RARP_REPLY: 4 } as const;
export const ArpHardware = { ETHERNET: 1 } as const;

export interface ArpRepr {
  hardwareType: number;
  protocolType: number;
  hardwareLength: number;
  protocolLength: number;
  operation: number;
  senderHardware: string;
  senderProtocol: string;
  targetHardware: string;
  targetProtocol: string;
}

function hwToString(b: Uint8Array, off: number, len: number): string {
  return len === 6 ? macToString(b, off) : hex(b, off, len);
}
function protoToString(b: Uint8Array, off: number, len: number, ptype: number): string {
  return len === 4 && ptype === EtherType.IPV4 ? ip4ToString(b, off) : hex(b, off, len);
}
function writeHw(s: string, len: number, b: Uint8Array, off: number): void {
  if (len === 6) macToBytes(s, b, off);
  else writeHex(s, len, b, off);
}
function writeProto(s: string, len: number, ptype: number, b: Uint8Array, off: number): void {
  if (len === 4 && ptype === EtherType.IPV4) ip4ToBytes(s, b, off);
  else writeHex(s, len, b, off);
}
function writeHex(s: string, len: number, b: Uint8Array, off: number): void {
  const bytes = fromHex(s);
  if (bytes.length !== len) throw new WireError(`ARP address '${s}' is not ${len} bytes`);
  b.set(bytes, off);
}

export class ArpView {
  constructor(
    readonly b: Uint8Array,
    readonly off = 0,
  ) {}
  get hardwareType(): number { return u16(this.b, this.off); }
  get protocolType(): number { return u16(this.b, this.off + 2); }
  get hardwareLength(): number { return this.b[this.off + 4]; }
  get protocolLength(): number { return this.b[this.off + 5]; }
  get operation(): number { return u16(this.b, this.off + 6); }
  set operation(v: number) { setU16(this.b, this.off + 6, v); }
  get senderHardwareOffset(): number { return this.off + 8; }
  get senderProtocolOffset(): number { return this.off + 8 + this.hardwareLength; }
  get targetHardwareOffset(): number { return this.off + 8 + this.hardwareLength + this.protocolLength; }
  get targetProtocolOffset(): number { return this.off + 8 + 2 * this.hardwareLength + this.protocolLength; }
  get length(): number { return ARP_FIXED_LEN + 2 * (this.hardwareLength + this.protocolLength); }
  get senderHardware(): string { return hwToString(this.b, this.senderHardwareOffset, this.hardwareLength); }
  set senderHardware(s: string) { writeHw(s, this.hardwareLength, this.b, this.senderHardwareOffset); }
  get senderProtocol(): string { return protoToString(this.b, this.senderProtocolOffset, this.protocolLength, this.protocolType); }
  set senderProtocol(s: string) { writeProto(s, this.protocolLength, this.protocolType, this.b, this.senderProtocolOffset); }
  get targetHardware(): string { return hwToString(this.b, this.targetHardwareOffset, this.hardwareLength); }
  set targetHardware(s: string) { writeHw(s, this.hardwareLength, this.b, this.targetHardwareOffset); }
  get targetProtocol(): string { return protoToString(this.b, this.targetProtocolOffset, this.protocolLength, this.protocolType); }
  set targetProtocol(s: string) { writeProto(s, this.protocolLength, this.protocolType, this.b, this.targetProtocolOffset); }
}

export function arpLength(r: Pick<ArpRepr, 'hardwareLength' | 'protocolLength'>): number {
  return ARP_FIXED_LEN + 2 * (r.hardwareLength + r.protocolLength);
}

export function parseArp(b: Uint8Array, off = 0): ArpRepr {
  ensureLength(b, off, ARP_FIXED_LEN, 'ARP header');
  const v = new ArpView(b, off);
  ensureLength(b, off, v.length, 'ARP addresses');
  return {
    hardwareType: v.hardwareType,
    protocolType: v.protocolType,
    hardwareLength: v.hardwareLength,
    protocolLength: v.protocolLength,
    operation: v.operation,
    senderHardware: v.senderHardware,
    senderProtocol: v.senderProtocol,
    targetHardware: v.targetHardware,
    targetProtocol: v.targetProtocol,
  };
}

export function emitArp(r: ArpRepr, out?: Uint8Array, off = 0): Uint8Array {
  const len = arpLength(r);
  const b = out ?? new Uint8Array(len);
  ensureLength(b, off, len, 'ARP output buffer');
  setU16(b, off, r.hardwareType);
  setU16(b, off + 2, r.protocolType);
  b[off + 4] = r.hardwareLength;
  b[off + 5] = r.protocolLength;
  const v = new ArpView(b, off);
  v.operation = r.operation;
  v.senderHardware = r.senderHardware;
  v.senderProtocol = r.senderProtocol;
  v.targetHardware = r.targetHardware;
  v.targetProtocol = r.targetProtocol;
  return b;
}
