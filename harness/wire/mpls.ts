// MPLS label stack (RFC 3032): 4-byte entries of label (20 bits), traffic class (3, RFC 5462),
// bottom-of-stack (1) and TTL (8), top of stack first, ending at the entry with S set. What follows
// the stack is not typed by MPLS itself; the dissector guesses IPv4/IPv6 from the first nibble, as
// tshark and most routers do.

import { u32, setU32 } from './bytes.js';
import { WireError, ensureLength } from './wire-error.js';

export const MPLS_ENTRY_LEN = 4;
export const MplsLabel = { IPV4_EXPLICIT_NULL: 0, ROUTER_ALERT: 1, IPV6_EXPLICIT_NULL: 2, IMPLICIT_NULL: 3 } as const;

export interface MplsEntry {
  label: number;
  tc: number;
  bottom: boolean;
  ttl: number;
}

export class MplsEntryView {
  constructor(
    readonly b: Uint8Array,
    readonly off = 0,
  ) {}
  get word(): number { return u32(this.b, this.off); }
  set word(v: number) { setU32(this.b, this.off, v); }
  get label(): number { return this.word >>> 12; }
  set label(v: number) { this.word = (((v & 0xfffff) << 12) | (this.word & 0xfff)) >>> 0; }
  get tc(): number { return (this.b[this.off + 2] >> 1) & 7; }
  set tc(v: number) { this.b[this.off + 2] = (this.b[this.off + 2] & 0xf1) | ((v & 7) << 1); }
  get bottom(): boolean { return (this.b[this.off + 2] & 1) !== 0; }
  set bottom(v: boolean) { this.b[this.off + 2] = (this.b[this.off + 2] & 0xfe) | (v ? 1 : 0); }
  get ttl(): number { return this.b[this.off + 3]; }
  set ttl(v: number) { this.b[this.off + 3] = v; }
}

/** Number of entries up to and including bottom of stack; throws WireError if S never comes. */
export function mplsStackDepth(b: Uint8Array, off = 0, end = b.length): number {
  let n = 0;
  for (let p = off; ; p += MPLS_ENTRY_LEN) {
    if (end - p < MPLS_ENTRY_LEN) throw new WireError(`MPLS label stack truncated (no bottom-of-stack entry after ${n})`, p);
    n++;
    if (b[p + 2] & 1) return n;
  }
}

export function parseMpls(b: Uint8Array, off = 0, end = b.length): MplsEntry[] {
  const n = mplsStackDepth(b, off, end);
  const out: MplsEntry[] = [];
  for (let i = 0; i < n; i++) {
    const v = new MplsEntryView(b, off + MPLS_ENTRY_LEN * i);
    out.push({ label: v.label, tc: v.tc, bottom: v.bottom, ttl: v.ttl });
  }
  return out;
}

/** Emits entries as given (the bottom flags are the caller's, so malformed stacks can be built). */
export function emitMpls(stack: readonly MplsEntry[], out?: Uint8Array, off = 0): Uint8Array {
  const len = MPLS_ENTRY_LEN * stack.length;
  const b = out ?? new Uint8Array(len);
  ensureLength(b, off, len, 'MPLS output buffer');
  stack.forEach((e, i) => {
    setU32(b, off + MPLS_ENTRY_LEN * i, (((e.label & 0xfffff) << 12) | ((e.tc & 7) << 9) | (e.bottom ? 0x100 : 0) | (e.ttl & 0xff)) >>> 0);
  });
  return b;
}
