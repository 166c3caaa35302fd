// The captured frames of one device, in capture order and found by flow key: each prediction used
// to filter the device's whole list for its key (`list.filter(... flowKey ...)`, the key of every
// captured frame recomputed per prediction), quadratic in the capture size. Here each key's frames
// are one bucket in capture order, and a prediction takes the same frame the scan took: the first
// unmatched one whose IP id is the predicted one, else the first unmatched one.
//
// With check's window, frames older than the window are dropped (evictBefore): the unmatched ones
// are then reported, and memory is what the window holds.

import type { Packet } from '../wire/packet.js';
import { cutKeys, ipId, isCutKey } from './flow-key.js';

export interface Captured {
  packet: Packet;
  device: string;
  /** The capture file (its name and the frame number name the frame: capturedRef). */
  file: string;
  matched: boolean;
}

/** file:frame, made when a result names the frame (a string per captured frame was memory for nothing). */
export const capturedRef = (c: Captured): string => `${c.file}:${c.packet.meta.frame}`;

/** A list consumed from its head, compacted now and then (Array.shift is linear). */
class Queue<T> {
  items: T[] = [];
  head = 0;

  /** Drop the first `n` items. */
  drop(n: number): void {
    this.head += n;
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
  }

  get size(): number {
    return this.items.length - this.head;
  }
}

export class CapturedByFlow {
  private readonly buckets = new Map<string, Queue<Captured>>();
  private readonly order = new Queue<{ key: string; c: Captured }>();
  /** Frames ever added. */
  count = 0;
  /** Some frame's key is a cut one (flow-key.ts): a prediction may be one of them. */
  private cut = false;

  add(key: string, c: Captured): void {
    if (isCutKey(key)) this.cut = true;
    let b = this.buckets.get(key);
    if (!b) this.buckets.set(key, (b = new Queue()));
    b.items.push(c);
    this.order.items.push({ key, c });
    this.count++;
  }

  /**
   * The unmatched frame of `key` a prediction with IP id `id` (undefined: unknown) is compared with;
   * else one whose capture cut it (flow-key.ts cutKeys), the same packet as far as it shows.
   */
  best(key: string, id: number | undefined): Captured | undefined {
    const whole = this.bestOf(key, id);
    if (!this.cut || (whole && (id === undefined || ipId(whole.packet) === id))) return whole;
    let first = whole;
    for (const k of cutKeys(key)) {
      const c = this.bestOf(k, id);
      if (c && id !== undefined && ipId(c.packet) === id) return c;
      first ??= c;
    }
    return first;
  }

  private bestOf(key: string, id: number | undefined): Captured | undefined {
    const b = this.buckets.get(key);
    if (!b) return undefined;
    let first: Captured | undefined;
    let skipped = 0;
    for (let i = b.head; i < b.items.length; i++) {
      const x = b.items[i];
      if (x.matched) {
        // Matched frames at the head are never chosen again: dropped.
        if (first === undefined && i === b.head + skipped) skipped++;
        continue;
      }
      if (id === undefined || ipId(x.packet) === id) {
        b.drop(skipped);
        return x;
      }
      first ??= x;
    }
    b.drop(skipped);
    return first;
  }

  /** The frames still held, in capture order. */
  *held(): Iterable<Captured> {
    for (let i = this.order.head; i < this.order.items.length; i++) yield this.order.items[i].c;
  }

  /**
   * Let go of the frames captured before `t` (the device's capture is in time order), passing each
   * unmatched one to `unmatched` first.
   */
  evictBefore(t: bigint, unmatched: (c: Captured) => void): void {
    const o = this.order;
    let n = 0;
    for (let i = o.head; i < o.items.length; i++, n++) {
      const { key, c } = o.items[i];
      if ((c.packet.meta.timestampNs ?? 0n) >= t) break;
      if (!c.matched) unmatched(c);
      c.matched = true;
      // Gone with the matched frames of its key that an earlier eviction dropped.
      const b = this.buckets.get(key);
      if (!b) continue;
      // In time order within its bucket too: the older frames before it are matched or evicted.
      let k = b.head;
      while (k < b.items.length && b.items[k].matched) k++;
      b.drop(k - b.head);
      if (b.size === 0) this.buckets.delete(key);
    }
    o.drop(n);
  }
}
