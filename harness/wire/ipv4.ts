// IPv4 (RFC 791). The pattern every codec here follows, after smoltcp's `wire`:
//   - `Ipv4View`: typed accessors over bytes, read and written in place (what models use on a hot path);
//   - `Ipv4Repr`: a plain object, what a person means by "an IPv4 header";
//   - `parseIpv4` / `emitIpv4`: symmetric - emit(parse(b)) reproduces b byte for byte.

import { u16, setU16 } from './bytes.js';
import { ip4ToBytes, ip4ToString } from './address.js';
import { internetChecksum, incrementalUpdate16, sum16, fold16 } from './checksum.js';
import { WireError } from './wire-error.js';

export const IPV4_MIN_HEADER_LEN = 20;

export const IpProtocol = {
  HOPOPT: 0,
  ICMP: 1,
  IPIP: 4,
  TCP: 6,
  UDP: 17,
  IPV6: 41,
  IPV6_ROUTE: 43,
  IPV6_FRAG: 44,
  GRE: 47,
  ICMPV6: 58,
  IPV6_NONXT: 59,
  IPV6_OPTS: 60,
  MPLS_IN_IP: 137,
} as const;

export const Ipv4Flags = { RESERVED: 0x8000, DF: 0x4000, MF: 0x2000 } as const;

export interface Ipv4Repr {
  version: number;
  /** Header length in bytes (IHL * 4). */
  headerLength: number;
  tos: number;
  totalLength: number;
  id: number;
  /** The three flag bits as they sit in the flags/offset word (mask 0xe000). */
  flags: number;
  /** Fragment offset in 8-byte units. */
  fragmentOffset: number;
  ttl: number;
  protocol: number;
  checksum: number;
  src: string;
  dst: string;
  /** Option bytes (headerLength - 20 of them). */
  options: Uint8Array;
}

/** In-place view of an IPv4 header at `off` in `b`. No copies; setters keep nothing else in sync. */
export class Ipv4View {
  constructor(
    readonly b: Uint8Array,
    readonly off = 0,
  ) {}

  get version(): number { return this.b[this.off] >> 4; }
  get headerLength(): number { return (this.b[this.off] & 0x0f) * 4; }
  get tos(): number { return this.b[this.off + 1]; }
  set tos(v: number) { this.b[this.off + 1] = v; }
  get totalLength(): number { return u16(this.b, this.off + 2); }
  set totalLength(v: number) { setU16(this.b, this.off + 2, v); }
  get id(): number { return u16(this.b, this.off + 4); }
  set id(v: number) { setU16(this.b, this.off + 4, v); }
  /** The whole flags + fragment-offset word. */
  get flagsOffset(): number { return u16(this.b, this.off + 6); }
  set flagsOffset(v: number) { setU16(this.b, this.off + 6, v); }
  get flags(): number { return this.flagsOffset & 0xe000; }
  get fragmentOffset(): number { return this.flagsOffset & 0x1fff; }
  get dontFragment(): boolean { return (this.flagsOffset & Ipv4Flags.DF) !== 0; }
  get moreFragments(): boolean { return (this.flagsOffset & Ipv4Flags.MF) !== 0; }
  get isFragment(): boolean { return (this.flagsOffset & 0x3fff) !== 0; }
  get ttl(): number { return this.b[this.off + 8]; }
  set ttl(v: number) { this.b[this.off + 8] = v; }
  get protocol(): number { return this.b[this.off + 9]; }
  set protocol(v: number) { this.b[this.off + 9] = v; }
  get checksum(): number { return u16(this.b, this.off + 10); }
  set checksum(v: number) { setU16(this.b, this.off + 10, v); }
  get src(): string { return ip4ToString(this.b, this.off + 12); }
  set src(v: string) { ip4ToBytes(v, this.b, this.off + 12); }
  get dst(): string { return ip4ToString(this.b, this.off + 16); }
  set dst(v: string) { ip4ToBytes(v, this.b, this.off + 16); }
  /** Offset of the payload (the L4 header) in the underlying buffer. */
  get payloadOffset(): number { return this.off + this.headerLength; }

  /** The header checksum as it should be: computed over the header with the checksum field taken as zero. */
  computeChecksum(): number {
    return ~fold16(sum16(this.b, this.off, this.headerLength) - this.checksum) & 0xffff;
  }

  checksumValid(): boolean {
    return fold16(sum16(this.b, this.off, this.headerLength)) === 0xffff;
  }

  fillChecksum(): void {
    this.checksum = 0;
    this.checksum = internetChecksum(this.b, this.off, this.headerLength);
  }

  /** RFC 1624 eqn. 3 update after the TTL changes from `oldTtl` to the current value. */
  updateChecksumForTtl(oldTtl: number): void {
    const oldWord = (oldTtl << 8) | this.protocol;
    const newWord = (this.ttl << 8) | this.protocol;
    this.checksum = incrementalUpdate16(this.checksum, oldWord, newWord);
  }
}

export function parseIpv4(b: Uint8Array, off = 0): Ipv4Repr {
  if (b.length - off < IPV4_MIN_HEADER_LEN) throw new WireError(`IPv4 header truncated: ${b.length - off} bytes`, off);
  const v = new Ipv4View(b, off);
  if (v.version !== 4) throw new WireError(`IPv4 version is ${v.version}`, off);
  const hl = v.headerLength;
  if (hl < IPV4_MIN_HEADER_LEN) throw new WireError(`IPv4 header length ${hl} < 20`, off);
  if (b.length - off < hl) throw new WireError(`IPv4 options truncated: header length ${hl}, ${b.length - off} bytes`, off);
  return {
    version: 4,
    headerLength: hl,
    tos: v.tos,
    totalLength: v.totalLength,
    id: v.id,
    flags: v.flags,
    fragmentOffset: v.fragmentOffset,
    ttl: v.ttl,
    protocol: v.protocol,
    checksum: v.checksum,
    src: v.src,
    dst: v.dst,
    options: b.slice(off + IPV4_MIN_HEADER_LEN, off + hl),
  };
}

export interface EmitOptions {
  /** Keep repr.checksum as given instead of computing it (to emit a deliberately wrong one). */
  keepChecksum?: boolean;
}

/** Write the header into `out` at `off` (allocating when no buffer is given); returns the buffer. */
export function emitIpv4(r: Ipv4Repr, out?: Uint8Array, off = 0, opts: EmitOptions = {}): Uint8Array {
  const hl = r.headerLength;
  if (hl !== IPV4_MIN_HEADER_LEN + r.options.length || hl % 4 !== 0 || hl > 60) {
    throw new WireError(`IPv4 header length ${hl} does not fit ${r.options.length} option bytes`);
  }
  const b = out ?? new Uint8Array(hl);
  const v = new Ipv4View(b, off);
  b[off] = ((r.version & 0xf) << 4) | (hl / 4);
  v.tos = r.tos;
  v.totalLength = r.totalLength;
  v.id = r.id;
  v.flagsOffset = (r.flags & 0xe000) | (r.fragmentOffset & 0x1fff);
  v.ttl = r.ttl;
  v.protocol = r.protocol;
  v.src = r.src;
  v.dst = r.dst;
  b.set(r.options, off + IPV4_MIN_HEADER_LEN);
  if (opts.keepChecksum) v.checksum = r.checksum;
  else v.fillChecksum();
  return b;
}
