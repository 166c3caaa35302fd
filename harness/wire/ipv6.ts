// IPv6 fixed header (RFC 8200 §3). Extension headers are in ipv6-ext.ts, the chain walk in ipv6-chain.ts.

import { u16, u32, setU16, setU32 } from './bytes.js';
import { ip6ToBytes, ip6ToString } from './address.js';
import { WireError, ensureLength } from './wire-error.js';

export const IPV6_HEADER_LEN = 40;

export interface Ipv6Repr {
  version: number;
  trafficClass: number;
  flowLabel: number;
  payloadLength: number;
  nextHeader: number;
  hopLimit: number;
  src: string;
  dst: string;
}

export class Ipv6View {
  constructor(
    readonly b: Uint8Array,
    readonly off = 0,
  ) {}
  get version(): number { return this.b[this.off] >> 4; }
  /** Version, traffic class and flow label as one word. */
  get firstWord(): number { return u32(this.b, this.off); }
  set firstWord(v: number) { setU32(this.b, this.off, v); }
  get trafficClass(): number { return (this.firstWord >>> 20) & 0xff; }
  set trafficClass(v: number) { this.firstWord = ((this.firstWord & 0xf00fffff) | ((v & 0xff) << 20)) >>> 0; }
  get flowLabel(): number { return this.firstWord & 0xfffff; }
  set flowLabel(v: number) { this.firstWord = ((this.firstWord & 0xfff00000) | (v & 0xfffff)) >>> 0; }
  get payloadLength(): number { return u16(this.b, this.off + 4); }
  set payloadLength(v: number) { setU16(this.b, this.off + 4, v); }
  get nextHeader(): number { return this.b[this.off + 6]; }
  set nextHeader(v: number) { this.b[this.off + 6] = v; }
  get hopLimit(): number { return this.b[this.off + 7]; }
  set hopLimit(v: number) { this.b[this.off + 7] = v; }
  get srcOffset(): number { return this.off + 8; }
  get dstOffset(): number { return this.off + 24; }
  get src(): string { return ip6ToString(this.b, this.off + 8); }
  set src(v: string) { ip6ToBytes(v, this.b, this.off + 8); }
  get dst(): string { return ip6ToString(this.b, this.off + 24); }
  set dst(v: string) { ip6ToBytes(v, this.b, this.off + 24); }
  get payloadOffset(): number { return this.off + IPV6_HEADER_LEN; }
}

export function parseIpv6(b: Uint8Array, off = 0): Ipv6Repr {
  ensureLength(b, off, IPV6_HEADER_LEN, 'IPv6 header');
  const v = new Ipv6View(b, off);
  if (v.version !== 6) throw new WireError(`IPv6 version is ${v.version}`, off);
  return {
    version: 6,
    trafficClass: v.trafficClass,
    flowLabel: v.flowLabel,
    payloadLength: v.payloadLength,
    nextHeader: v.nextHeader,
    hopLimit: v.hopLimit,
    src: v.src,
    dst: v.dst,
  };
}

export function emitIpv6(r: Ipv6Repr, out?: Uint8Array, off = 0): Uint8Array {
  const b = out ?? new Uint8Array(IPV6_HEADER_LEN);
  ensureLength(b, off, IPV6_HEADER_LEN, 'IPv6 output buffer');
  const v = new Ipv6View(b, off);
  v.firstWord = (((r.version & 0xf) << 28) | ((r.trafficClass & 0xff) << 20) | (r.flowLabel & 0xfffff)) >>> 0;
  v.payloadLength = r.payloadLength;
  v.nextHeader = r.nextHeader;
  v.hopLimit = r.hopLimit;
  v.src = r.src;
  v.dst = r.dst;
  return b;
}
