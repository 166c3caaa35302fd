// Where tshark's reading differs from ours by its own interpretation, not by a bug on either side we
// could fix. Each excuse is narrow (one field, one condition) and says why. Anything else that
// differs is a mismatch the suite reports.

import type { Layer } from '../../harness/dissect/layer.js';
import type { Mismatch } from './compare.js';
import type { TsharkFrame, TsharkProto } from './tshark.js';

export interface QuirkContext {
  layer?: Layer;
  inQuote: boolean;
  proto?: TsharkProto;
  frame: TsharkFrame;
}

/** The IP datagram quoted by an ICMP/ICMPv6 error claims more bytes than the frame holds. */
export function quotedDatagramTruncated(frame: TsharkFrame): boolean {
  return frame.protocols.some((p) => {
    if (p.parent !== 'icmp' && p.parent !== 'icmpv6') return false;
    const get = (n: string) => Number(p.fields.get(n)?.[0]?.value ?? NaN);
    const claimed = p.name === 'ip' ? get('ip.len') : p.name === 'ipv6' ? 40 + get('ipv6.plen') : NaN;
    return claimed > frame.capLen - p.offset;
  });
}

export const TSHARK_QUIRKS: { id: string; why: string; applies: (m: Mismatch, ctx: QuirkContext) => boolean }[] = [
  {
    id: 'quoted-truncated-l4-checksum',
    why:
      'In an ICMP error quoting a datagram cut short (RFC 4443 §3.2 fills only the minimum MTU), tshark ' +
      'checks the quoted TCP/UDP checksum over the bytes that are there and calls it Bad; a checksum over ' +
      'bytes that are not there cannot be verified, so we make no claim.',
    applies: (m, ctx) =>
      ctx.inQuote && (m.field === 'checksum_valid' || m.field === 'checksum_status') && m.ours === '(absent)' &&
      (m.tshark === 'false' || m.tshark === 'invalid') && quotedDatagramTruncated(ctx.frame),
  },
  {
    id: 'quoted-tcp-len',
    why: 'tshark does not compute tcp.len for a TCP header quoted in an ICMP error; we do.',
    applies: (m, ctx) => ctx.inQuote && m.layer === 'tcp' && m.field === 'payload_length' && m.tshark === '(absent)',
  },
];

export function acceptTsharkQuirk(m: Mismatch, ctx: QuirkContext): boolean {
  return TSHARK_QUIRKS.some((q) => q.applies(m, ctx));
}
