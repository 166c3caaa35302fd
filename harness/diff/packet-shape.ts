// What the comparison of a captured packet with a byte-identical copy of itself depends on, as one
// number: `dpconform diff` of two captures compares each such pair only once per shape and shares
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

/**
 * Numbers the shapes of a diff's packets: equal numbers, equal shapes. A shape is written as a list of
 * numbers (names and field keys by their number here; checksum_valid with its value), hashed, and
 * told apart from the shapes with its hash by comparing the lists.
 */
export class ShapeNumbers {
  private readonly names = new Map<string, number>();
  private readonly byHash = new Map<number, number[]>();
  private readonly shapes: Int32Array[] = [];
  private list: number[] = [];

  /** The packet's shape number (see the file comment), or -1 when it has none (a NaN field). */
  of(p: Packet, layers: readonly Layer[]): number {
    const list = this.list;
    list.length = 0;
    list.push(p.data.length, frameLength(p));
    if (!this.layers(layers)) return -1;
    let h = 0x811c9dc5;
    for (let i = 0; i < list.length; i++) h = Math.imul(h ^ list[i], 0x01000193);
    let same = this.byHash.get(h);
    if (!same) this.byHash.set(h, (same = []));
    for (const n of same) {
      const s = this.shapes[n];
      if (s.length !== list.length) continue;
      let i = 0;
      while (i < s.length && s[i] === list[i]) i++;
      if (i === s.length) return n;
    }
    same.push(this.shapes.length);
    this.shapes.push(Int32Array.from(list));
    return this.shapes.length - 1;
  }

  private layers(layers: readonly Layer[]): boolean {
    const list = this.list;
    for (const l of layers) {
      list.push(-1, this.name(l.name), l.offset, l.length);
      for (const k in l.fields) {
        const v = l.fields[k];
        if (v === undefined) continue;
        if (typeof v === 'number' && v !== v) return false;
        list.push(this.name(k !== 'checksum_valid' ? k : v === true ? 'checksum_valid=true' : v === false ? 'checksum_valid=false' : `${k}=${String(v)}`));
      }
      if (l.quoted) {
        list.push(-2);
        if (!this.layers(l.quoted)) return false;
        list.push(-3);
      }
    }
    return true;
  }

  private name(s: string): number {
    let n = this.names.get(s);
    if (n === undefined) this.names.set(s, (n = this.names.size));
    return n;
  }
}

/** Two packets whose comparison is that of a packet with itself: the same bytes, read the same way. */
export function sameCapturedPacket(a: Packet, b: Packet): boolean {
  if (a.known || b.known || a.meta.linkType !== b.meta.linkType) return false;
  if ((a.meta as CaptureMeta).fcsLength !== (b.meta as CaptureMeta).fcsLength) return false;
  return a.data.length === b.data.length && Buffer.compare(a.data, b.data) === 0;
}
