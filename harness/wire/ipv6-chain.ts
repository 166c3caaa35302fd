// Walks an IPv6 extension header chain (RFC 8200 §4.1) to the upper-layer header. Allocation-free
// per header when a callback is given; it stops at the first header it does not know (an upper
// layer), at No Next Header, or at a non-first fragment (whose payload is not a header).

import { IpProtocol } from './ipv4.js';
import { WireError } from './wire-error.js';
import { IPV6_FRAGMENT_HEADER_LEN, Ipv6FragmentView, extHeaderLength, isIpv6ExtensionHeader } from './ipv6-ext.js';

export interface Ipv6ChainEnd {
  /** Upper-layer protocol (Next Header of the last extension header). */
  protocol: number;
  /** Offset of the upper-layer header. */
  offset: number;
  /** Offset of the fragment header when there is one, else -1. */
  fragmentOffset: number;
  /** True when the upper layer is not a header: a fragment with a non-zero offset. */
  isLaterFragment: boolean;
}

/**
 * Walk from the first Next Header (`nh`, from the fixed header) at `off` up to `end` (the end of
 * the IPv6 payload or of the captured bytes). `visit(nh, off, len)` sees each extension header.
 * Throws WireError with the offset of a header that does not fit.
 */
export function walkIpv6Chain(b: Uint8Array, nh: number, off: number, end: number, visit?: (nh: number, off: number, len: number) => void): Ipv6ChainEnd {
  let fragmentOffset = -1;
  let isLaterFragment = false;
  while (isIpv6ExtensionHeader(nh) && !isLaterFragment) {
    if (end - off < 8) throw new WireError(`IPv6 extension header ${nh} truncated: ${Math.max(0, end - off)} bytes`, off);
    const len = nh === IpProtocol.IPV6_FRAG ? IPV6_FRAGMENT_HEADER_LEN : extHeaderLength(b, off);
    if (end - off < len) throw new WireError(`IPv6 extension header ${nh} of ${len} bytes truncated to ${end - off}`, off);
    visit?.(nh, off, len);
    if (nh === IpProtocol.IPV6_FRAG) {
      fragmentOffset = off;
      isLaterFragment = new Ipv6FragmentView(b, off).fragmentOffset !== 0;
    }
    nh = b[off];
    off += len;
  }
  return { protocol: nh, offset: off, fragmentOffset, isLaterFragment };
}
