// A frame its capture cut (tcpdump -s: caplen < original length) is a normal capture: the bytes past
// the captured ones are unknown, not absent. A field lying (partly) past them is unknown - neither a
// match nor a difference - whichever side states it: the full frame's TCP options against the cut
// one's missing ones, the cut frame's `payload.*` (the dissector's payload of the captured part only,
// or the stub of a header it cut, `truncated: tcp.options`) against the full frame's.

import type { Packet } from '../wire/packet.js';
import type { Layer } from '../suite/peers.js';
import { cutAt } from '../io/frame-length.js';
import { fieldSpan, layerNamed, splitNesting } from './field-offsets.js';

export interface DissectedSide {
  packet: Packet | undefined;
  layers: readonly Layer[];
}

/**
 * Where a field's bytes are: its own span (field-offsets.ts), else its layer's (TCP options, a
 * computed payload length). `bounded`: the span is the payload's, which ends where the capture does.
 */
function spanOf(layers: readonly Layer[], key: string): { end: number; bounded: boolean } | undefined {
  const own = fieldSpan(layers, key);
  if (own) return { end: own[0] + own[1], bounded: false };
  const { level, rest } = splitNesting(key);
  const dot = rest.indexOf('.');
  if (dot < 0) return undefined;
  const proto = rest.slice(0, dot);
  const l = layerNamed(layers, proto, level);
  return l ? { end: l.offset + l.length, bounded: proto === 'payload' } : undefined;
}

/** The keys of `keys` whose bytes lie past what a cut side captured (by either side's layers). */
export function cutFields(keys: readonly string[], sides: readonly DissectedSide[]): Set<string> {
  const out = new Set<string>();
  for (const cut of sides) {
    const captured = cut.packet && cutAt(cut.packet);
    if (captured === undefined) continue;
    for (const k of keys) {
      for (const side of sides) {
        const span = spanOf(side.layers, k);
        // The cut side's payload reaching its captured end goes on past it (its length and hash are the captured part's).
        if (span && (span.end > captured || (side === cut && span.bounded && span.end >= captured))) {
          out.add(k);
          break;
        }
      }
    }
  }
  return out;
}
