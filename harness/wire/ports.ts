// The two 16-bit ports that open a transport header: TCP (RFC 9293) and UDP (RFC 768) both start
// with source port, then destination port. Their views share these accessors (and the buffer and
// offset they read) instead of each repeating them; NAT models rewrite ports through either.

import { u16, setU16 } from './bytes.js';

export class PortsView {
  constructor(
    readonly b: Uint8Array,
    readonly off = 0,
  ) {}
  get srcPort(): number { return u16(this.b, this.off); }
  set srcPort(v: number) { setU16(this.b, this.off, v); }
  get dstPort(): number { return u16(this.b, this.off + 2); }
  set dstPort(v: number) { setU16(this.b, this.off + 2, v); }
}
