// The captured frames of one device, found by flow key: each prediction used to filter the
// device's whole list for its key (`list.filter(... flowKey ...)`, the key of every captured frame
// recomputed per prediction), quadratic in the capture size. Here each key's frames are one bucket
// in capture order, and a prediction takes the same frame the scan took: the first unmatched one
// whose IP id is the predicted one, else the first unmatched one.

import type { Packet } from '../wire/packet.js';
import { ipId } from './flow-key.js';

export interface Captured {
  packet: Packet;
  device: string;
  /** The capture file (its name and the frame number name the frame: capturedRef). */
  file: string;
  matched: boolean;
}

/** file:frame, made when a result names the frame (a string per captured frame was memory for nothing). */
export const capturedRef = (c: Captured): string => `${c.file}:${c.packet.meta.frame}`;

interface Bucket {
  items: Captured[];
  /** Items before it are all matched (a flow's frames are mostly matched in order). */
  head: number;
}

export class CapturedByFlow {
  private readonly buckets = new Map<string, Bucket>();

  add(key: string, c: Captured): void {
    const b = this.buckets.get(key);
    if (b) b.items.push(c);
    else this.buckets.set(key, { items: [c], head: 0 });
  }

  /** The unmatched frame of `key` a prediction with IP id `id` (undefined: unknown) is compared with. */
  best(key: string, id: number | undefined): Captured | undefined {
    const b = this.buckets.get(key);
    if (!b) return undefined;
    while (b.head < b.items.length && b.items[b.head].matched) b.head++;
    let first: Captured | undefined;
    for (let i = b.head; i < b.items.length; i++) {
      const x = b.items[i];
      if (x.matched) continue;
      if (id === undefined || ipId(x.packet) === id) return x;
      first ??= x;
    }
    return first;
  }
}
