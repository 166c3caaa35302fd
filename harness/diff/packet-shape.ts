// What the comparison of a captured packet with a byte-identical copy of itself depends on, as one
// string: `dpconform diff` of two captures compares each such pair only once per shape and shares
// the result (diff-captures.ts), instead of dissecting and comparing every field of every pair.
//
// Why the shape is all it depends on (compare.ts, packet-stages.ts, field-offsets.ts): both stages
// are the same dissection of the same bytes, so every field value equals its partner and only these
// are read from the packets:
//   - which field keys the stage has and in which order (packetStage: each layer's fields that are
//     not undefined, plus payload.length/sha256), and so which masks match and which notes are made;
//   - the byte -> field key map over the frame (fieldKeysByByte, from layer names, offsets, lengths,
//     nesting and quoted layers) and the frame's length (frameLength, data.length);
//   - `checksum_valid` of each layer (checksumValidity, when a mask hides a field a checksum covers).
// A value equal to itself can still differ by valuesEqual: NaN. A packet holding one has no shape.

import { Buffer } from 'node:buffer';
import type { Packet } from '../wire/packet.js';
import type { Layer } from '../suite/peers.js';
import { frameLength } from '../io/frame-length.js';
import type { CaptureMeta } from '../io/capture-decoder.js';

function layerShape(l: Layer): string | undefined {
  let s = `${l.name}@${l.offset}+${l.length}:`;
  for (const k in l.fields) {
    const v = l.fields[k];
    if (v === undefined) continue;
    if (typeof v === 'number' && v !== v) return undefined;
    s += k === 'checksum_valid' ? `${k}=${v},` : `${k},`;
  }
  if (l.quoted) {
    s += '[';
    for (const q of l.quoted) {
      const qs = layerShape(q);
      if (qs === undefined) return undefined;
      s += qs + ';';
    }
    s += ']';
  }
  return s;
}

/** The packet's shape (see the file comment), or undefined when it has none (a NaN field). */
export function packetShape(p: Packet, layers: readonly Layer[]): string | undefined {
  let s = `${p.data.length}/${frameLength(p)}|`;
  for (const l of layers) {
    const ls = layerShape(l);
    if (ls === undefined) return undefined;
    s += ls + '|';
  }
  return s;
}

/** Two packets whose comparison is that of a packet with itself: the same bytes, read the same way. */
export function sameCapturedPacket(a: Packet, b: Packet): boolean {
  if (a.known || b.known || a.meta.linkType !== b.meta.linkType) return false;
  if ((a.meta as CaptureMeta).fcsLength !== (b.meta as CaptureMeta).fcsLength) return false;
  return a.data.length === b.data.length && Buffer.compare(a.data, b.data) === 0;
}
