// The second read of a bounded `diff` (diff-captures.ts, diff-traces.ts): both files read again side
// by side once their packets are matched, each pair compared as soon as both of its packets are in.
// A packet whose partner is still ahead is held (kept by `keep`: a copy where the reader recycles its
// buffers), so memory follows how far packets moved, not the files' sizes.

import { InputError } from '../io/input-error.js';
import type { PacketTrace } from '../stage.js';
import type { CompareOptions } from '../diff/compare.js';
import type { CaseDiff } from '../diff/types.js';
import { IdentityColumns, matchColumns, type IdentityPool } from '../diff/identity-columns.js';
import { comparePair, identityStage, isCutFrame, packetSetShell, type IdenticalDiffs, type PacketSetDiff } from '../diff/packet-match.js';
import { LabelMemo } from '../diff/label-memo.js';

/** Pulls one file's packets in order, batch by batch, counting positions (0-based). */
export class Cursor<T> {
  private readonly it: AsyncIterator<T[]>;
  position = 0;
  done = false;
  constructor(
    readonly file: string,
    read: AsyncIterable<T[]>,
    readonly expected: number,
    /** What the file is, in messages: `capture`, `trace`. */
    readonly what: string,
  ) {
    this.it = read[Symbol.asyncIterator]();
  }

  /** Stop reading (closes the file when the pairs were all found before its end). */
  async close(): Promise<void> {
    if (!this.done) await this.it.return?.();
  }

  /** The next batch (valid until the next pull), or undefined at the end. */
  async next(): Promise<T[] | undefined> {
    const r = await this.it.next();
    if (r.done) {
      this.done = true;
      // The file changed between the two reads: the pairs would name other packets.
      if (this.position !== this.expected) throw this.changed(`${this.expected} packets, then ${this.position}`);
      return undefined;
    }
    return r.value;
  }

  changed(how: string): InputError {
    return new InputError(`the ${this.what} changed while it was diffed (${how})`, { file: this.file }, 'diff.changed-while-reading');
  }
}

/**
 * Read `ca` and `cb` to the end of their pairs: `pair(i, j, a, b)` for each matched pair (positions
 * 0-based; partnerA[i] = j, partnerB[j] = i, -1 unmatched) when both packets are in; `skip` for each
 * unmatched packet. Returns the number of pairs made (fewer than `total` when a file changed).
 */
export async function pairSideBySide<T>(
  ca: Cursor<T>,
  cb: Cursor<T>,
  partnerA: Int32Array,
  partnerB: Int32Array,
  total: number,
  keep: (item: T) => T,
  pair: (i: number, j: number, a: T, b: T) => void,
  skip: (item: T) => void = () => {},
): Promise<number> {
  // Packets read whose partner is still ahead in the other file.
  const heldA = new Map<number, T>();
  const heldB = new Map<number, T>();
  // Held since their side's last pull: still in its batch, so kept (copied) only before that side is
  // pulled again - most are paired before, while the other side is read.
  const freshA: number[] = [];
  const freshB: number[] = [];
  let done = 0;
  try {
    while (done < total) {
      // Read the side the other one waits for; when neither waits, A. Only matched packets are kept.
      const readB = !cb.done && (ca.done || heldA.size > heldB.size);
      const c = readB ? cb : ca;
      const held = readB ? heldB : heldA;
      const fresh = readB ? freshB : freshA;
      for (const pos of fresh) {
        const item = held.get(pos);
        if (item !== undefined) held.set(pos, keep(item));
      }
      fresh.length = 0;
      const batch = await c.next();
      if (!batch) {
        if (ca.done && cb.done) break;
        continue;
      }
      for (const item of batch) {
        const pos = c.position++;
        if (pos >= c.expected) throw c.changed(`${c.expected} packets, then more`);
        const partner = readB ? partnerB[pos] : partnerA[pos];
        if (partner < 0) {
          skip(item);
          continue;
        }
        const waiting = readB ? heldA : heldB;
        const other = waiting.get(partner);
        // Held: kept before the next pull (a copy where the batch is recycled). Paired at once: the batch is valid until then.
        if (other === undefined) {
          held.set(pos, item);
          fresh.push(pos);
        } else {
          waiting.delete(partner);
          done++;
          if (readB) pair(partner, pos, other, item);
          else pair(pos, partner, item, other);
        }
      }
    }
  } finally {
    await Promise.all([ca.close(), cb.close()]);
  }
  return done;
}

/** What the first read kept of a file: each packet's identity (in columns) and (interned) label. */
export interface FileIndex {
  ids: IdentityColumns;
  labels: string[];
}

/**
 * Builds a file's index in the first read, a packet at a time. Flows, identity texts and labels are
 * shared between the files (`pool`, `labelPool`): the packets of a flow mostly share one label.
 */
export class FileIndexer {
  readonly index: FileIndex;

  constructor(
    pool: IdentityPool,
    private readonly labelPool: Map<string, string>,
  ) {
    this.index = { ids: new IdentityColumns(pool), labels: [] };
  }

  private readonly memo = new LabelMemo();

  add(t: PacketTrace): void {
    const s = identityStage(t);
    const f = s?.fields ?? {};
    const l = this.memo.label(t, f, this.index.ids.add(f, isCutFrame(s)));
    const shared = this.labelPool.get(l);
    if (shared === undefined) this.labelPool.set(l, l);
    this.index.labels.push(shared ?? l);
  }
}

/** How one kind of file is read again and its packets compared. */
export interface SecondRead<T> {
  /** What the files are, in messages: `capture`, `trace`. */
  what: string;
  /** Both files' packets again, in batches. */
  read(file: string): AsyncIterable<T[]>;
  /** A packet held for its partner, as kept (a copy where batches are recycled). */
  keep(item: T): T;
  /** A packet as compared (`position` 0-based). */
  trace(item: T, position: number): PacketTrace;
  /** After a pair's comparison: what its diff keeps must outlive the packets (report rows). */
  compared?(diff: CaseDiff, a: T, b: T): void;
  /** A packet of no pair, as it is passed. */
  skip?(item: T): void;
  /**
   * When the pair's comparison is that of one packet with itself, which is decided by its shape alone
   * (diff/packet-shape.ts): that shape's number, so it is compared once per shape and the result shared.
   */
  sameShape?(a: T, b: T, i: number, j: number): number | undefined;
}

/**
 * The diff of two files whose packets were indexed (first read): matched as diffPacketSets matches
 * traces, then compared pair by pair in a second read side by side. The same result as
 * diffPacketSets over all packets held at once.
 */
export async function diffSideBySide<T>(a: string, b: string, ia: FileIndex, ib: FileIndex, how: SecondRead<T>, compare: CompareOptions, progress?: (done: number, total: number, label: string) => void): Promise<PacketSetDiff> {
  const m = matchColumns(ia.ids, ib.ids);
  const nA = ia.ids.length;
  const nB = ib.ids.length;
  ia.ids.release();
  ib.ids.release();
  const d = packetSetShell(m, { a: ia.labels, b: ib.labels });

  // partner[i] of A / B (-1: unmatched) and the pair slot of each A packet.
  const partnerA = new Int32Array(nA).fill(-1);
  const partnerB = new Int32Array(nB).fill(-1);
  const slotA = new Int32Array(nA);
  for (let k = 0; k < m.matchA.length; k++) {
    partnerA[m.matchA[k]] = m.matchB[k];
    partnerB[m.matchB[k]] = m.matchA[k];
    slotA[m.matchA[k]] = k;
  }

  const total = d.pairs.length;
  let done = 0;
  const identical: IdenticalDiffs = new Map();
  // The diff of each shape's first pair of identical packets; null when it differed (never shared).
  const byShape = new Map<number, CaseDiff | null>();
  const pair = (i: number, j: number, pa: T, pb: T) => {
    if (progress && done % 1024 === 0) progress(done, total, 'comparing matched packets');
    done++;
    const shape = how.sameShape?.(pa, pb, i, j);
    const shared = shape === undefined ? undefined : byShape.get(shape);
    if (shared) {
      d.pairs[slotA[i]].diff = shared;
      return;
    }
    const diff = comparePair(d, slotA[i], how.trace(pa, i), how.trace(pb, j), compare, identical);
    how.compared?.(diff, pa, pb);
    if (shape !== undefined && shared === undefined) byShape.set(shape, diff.diffs.length ? null : diff);
  };
  const ca = new Cursor(a, how.read(a), nA, how.what);
  const cb = new Cursor(b, how.read(b), nB, how.what);
  await pairSideBySide(ca, cb, partnerA, partnerB, total, how.keep, pair, how.skip);
  if (done !== total) throw new InputError(`the ${how.what}s changed while they were diffed (${total} pairs, ${done} found again)`, { file: a }, 'diff.changed-while-reading');
  progress?.(total, total, 'comparing matched packets');
  return d;
}
