// IPv6 extension headers (RFC 8200 §4): hop-by-hop and destination options (§4.3, §4.6; same
// shape), routing (§4.4; type-specific data kept raw, segment-routing addresses read on demand) and
// fragment (§4.5). Each starts with Next Header; all but the fragment header carry a length in
// 8-octet units not counting the first 8.

import { u16, u32, setU16, setU32 } from './bytes.js';
import { WireError, ensureLength } from './wire-error.js';
import { IpProtocol } from './ipv4.js';

export const IPV6_FRAGMENT_HEADER_LEN = 8;

/** One TLV option inside a hop-by-hop or destination options header. Pad1 has no length or data. */
export interface Ipv6Option {
  type: number;
  data: Uint8Array;
}

export interface Ipv6OptionsRepr {
  nextHeader: number;
  options: Ipv6Option[];
}

export interface Ipv6RoutingRepr {
  nextHeader: number;
  routingType: number;
  segmentsLeft: number;
  /** Everything after the first 4 bytes (type-specific), length a multiple of 8 minus 4. */
  data: Uint8Array;
}

export interface Ipv6FragmentRepr {
  nextHeader: number;
  reserved: number;
  /** In 8-octet units. */
  fragmentOffset: number;
  /** The two reserved bits next to M. */
  res: number;
  more: boolean;
  id: number;
}

export const IPV6_OPTION_PAD1 = 0;
export const IPV6_OPTION_PADN = 1;

/** Length in bytes of an extension header with a Hdr Ext Len byte at off+1. */
export function extHeaderLength(b: Uint8Array, off: number): number {
  return (b[off + 1] + 1) * 8;
}

export function parseIpv6Options(b: Uint8Array, off = 0): Ipv6OptionsRepr {
  ensureLength(b, off, 8, 'IPv6 options header');
  const len = extHeaderLength(b, off);
  ensureLength(b, off, len, 'IPv6 options header');
  const options: Ipv6Option[] = [];
  let p = off + 2;
  while (p < off + len) {
    const type = b[p];
    if (type === IPV6_OPTION_PAD1) {
      options.push({ type, data: new Uint8Array(0) });
      p += 1;
      continue;
    }
    if (p + 2 > off + len || p + 2 + b[p + 1] > off + len) throw new WireError(`IPv6 option ${type} overruns its header`, p);
    options.push({ type, data: b.slice(p + 2, p + 2 + b[p + 1]) });
    p += 2 + b[p + 1];
  }
  return { nextHeader: b[off], options };
}

export function ipv6OptionsLength(r: Ipv6OptionsRepr): number {
  let n = 2;
  for (const o of r.options) n += o.type === IPV6_OPTION_PAD1 ? 1 : 2 + o.data.length;
  return n;
}

/** Emits the options as given; they must fill a multiple of 8 bytes (add Pad1/PadN yourself). */
export function emitIpv6Options(r: Ipv6OptionsRepr, out?: Uint8Array, off = 0): Uint8Array {
  const len = ipv6OptionsLength(r);
  if (len % 8 !== 0) throw new WireError(`IPv6 options header of ${len} bytes is not a multiple of 8`);
  const b = out ?? new Uint8Array(len);
  ensureLength(b, off, len, 'IPv6 options output buffer');
  b[off] = r.nextHeader;
  b[off + 1] = len / 8 - 1;
  let p = off + 2;
  for (const o of r.options) {
    b[p++] = o.type;
    if (o.type === IPV6_OPTION_PAD1) continue;
    b[p++] = o.data.length;
    b.set(o.data, p);
    p += o.data.length;
  }
  return b;
}

export class Ipv6RoutingView {
  constructor(
    readonly b: Uint8Array,
    readonly off = 0,
  ) {}
  get nextHeader(): number { return this.b[this.off]; }
  get length(): number { return extHeaderLength(this.b, this.off); }
  get routingType(): number { return this.b[this.off + 2]; }
  get segmentsLeft(): number { return this.b[this.off + 3]; }
  set segmentsLeft(v: number) { this.b[this.off + 3] = v; }
  /** Number of 16-byte addresses for types 0 and 4 (SRH): data after 8 bytes / 16. */
  get addressCount(): number { return (this.length - 8) >> 4; }
  addressOffset(i: number): number { return this.off + 8 + 16 * i; }
}

export function parseIpv6Routing(b: Uint8Array, off = 0): Ipv6RoutingRepr {
  ensureLength(b, off, 8, 'IPv6 routing header');
  const len = extHeaderLength(b, off);
  ensureLength(b, off, len, 'IPv6 routing header');
  return { nextHeader: b[off], routingType: b[off + 2], segmentsLeft: b[off + 3], data: b.slice(off + 4, off + len) };
}

export function emitIpv6Routing(r: Ipv6RoutingRepr, out?: Uint8Array, off = 0): Uint8Array {
  const len = 4 + r.data.length;
  if (len % 8 !== 0) throw new WireError(`IPv6 routing header of ${len} bytes is not a multiple of 8`);
  const b = out ?? new Uint8Array(len);
  ensureLength(b, off, len, 'IPv6 routing output buffer');
  b[off] = r.nextHeader;
  b[off + 1] = len / 8 - 1;
  b[off + 2] = r.routingType;
  b[off + 3] = r.segmentsLeft;
  b.set(r.data, off + 4);
  return b;
}

export class Ipv6FragmentView {
  constructor(
    readonly b: Uint8Array,
    readonly off = 0,
  ) {}
  get nextHeader(): number { return this.b[this.off]; }
  set nextHeader(v: number) { this.b[this.off] = v; }
  get reserved(): number { return this.b[this.off + 1]; }
  get offsetWord(): number { return u16(this.b, this.off + 2); }
  set offsetWord(v: number) { setU16(this.b, this.off + 2, v); }
  get fragmentOffset(): number { return this.offsetWord >> 3; }
  get res(): number { return (this.offsetWord >> 1) & 3; }
  get more(): boolean { return (this.offsetWord & 1) !== 0; }
  get id(): number { return u32(this.b, this.off + 4); }
  set id(v: number) { setU32(this.b, this.off + 4, v); }
}

export function parseIpv6Fragment(b: Uint8Array, off = 0): Ipv6FragmentRepr {
  ensureLength(b, off, IPV6_FRAGMENT_HEADER_LEN, 'IPv6 fragment header');
  const v = new Ipv6FragmentView(b, off);
  return { nextHeader: v.nextHeader, reserved: v.reserved, fragmentOffset: v.fragmentOffset, res: v.res, more: v.more, id: v.id };
}

export function emitIpv6Fragment(r: Ipv6FragmentRepr, out?: Uint8Array, off = 0): Uint8Array {
  const b = out ?? new Uint8Array(IPV6_FRAGMENT_HEADER_LEN);
  ensureLength(b, off, IPV6_FRAGMENT_HEADER_LEN, 'IPv6 fragment output buffer');
  const v = new Ipv6FragmentView(b, off);
  v.nextHeader = r.nextHeader;
  b[off + 1] = r.reserved;
  v.offsetWord = ((r.fragmentOffset & 0x1fff) << 3) | ((r.res & 3) << 1) | (r.more ? 1 : 0);
  v.id = r.id;
  return b;
}

/** Next Header values that are IPv6 extension headers this module knows how to skip. */
export function isIpv6ExtensionHeader(nh: number): boolean {
  return nh === IpProtocol.HOPOPT || nh === IpProtocol.IPV6_ROUTE || nh === IpProtocol.IPV6_FRAG || nh === IpProtocol.IPV6_OPTS;
}
