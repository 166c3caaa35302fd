// `dpconform diff` of two captures in bounded memory. Holding every packet's dissected fields cost
// ~1.1 GB for 100k + 100k packets; instead:
//
//   1. Each capture is read once (recycled buffers) and every packet reduced to its identity
//      (diff/packet-identity.ts: an interned flow string + one short string) and its label (interned:
//      the packets of a flow mostly share one). Dissection results are dropped at once.
//   2. Packets are matched on those identities exactly as diffPacketSets matches traces.
//   3. Both captures are read again side by side; a pair is compared (dissected again) when both of
//      its packets have been read. A packet whose partner is still ahead is copied and held until it
//      arrives, so memory follows how far packets moved (a batch or two for in-order captures), not
//      the capture size. Dissected fields only ever exist for the pair being compared.
//
// Results are the same as diffPacketSets over all traces (tested on random captures).

import { basename } from 'node:path';
import type { Packet } from '../wire/packet.js';
import { clonePacket } from '../wire/packet.js';
import type { PacketTrace } from '../stage.js';
import type { CompareOptions } from '../diff/compare.js';
import { comparePair, matchPackets, packetSetShell, traceIdentity, type IdenticalDiffs, type PacketSetDiff } from '../diff/packet-match.js';
import { FLOW, IDENTITY, type PacketIdentity } from '../diff/packet-identity.js';
import { packetStage } from '../diff/packet-stages.js';
import { LABEL_FIELDS, traceLabel } from '../diff/label.js';
import { InputError } from '../io/input-error.js';
import { captureReader, dissector, type Dissector } from './peers.js';

export type DiffProgress = (done: number, total: number | undefined, label: string) => void;

/**
 * A captured packet as `diff` compares it: one stage named `packet` (captures of one packet on two
 * interfaces differ in interface name only), numbered by frame, else by position in the file.
 */
function captureTrace(p: Packet, position: number, dissect: Dissector | undefined, only?: ReadonlySet<string>): PacketTrace {
  return { number: p.meta.frame ?? position, stages: [packetStage(p, 'packet', dissect, only)] };
}

/** The fields that say who a packet is and name it: all that matching needs. */
const WHO = new Set([...FLOW, ...IDENTITY, ...LABEL_FIELDS]);

interface CaptureIndex {
  ids: PacketIdentity[];
  labels: string[];
}

async function indexCapture(file: string, dissect: Dissector | undefined, flows: Map<string, string>, labelPool: Map<string, string>, progress?: DiffProgress, sizes: CaptureReadSizes = {}): Promise<CaptureIndex> {
  const read = await captureReader(file);
  const ids: PacketIdentity[] = [];
  const labels: string[] = [];
  for await (const batch of read(file, { ...sizes, transient: true })) {
    for (const p of batch) {
      const t = captureTrace(p, ids.length + 1, dissect, WHO);
      ids.push(traceIdentity(t, flows));
      const l = traceLabel(t);
      const shared = labelPool.get(l);
      if (shared === undefined) labelPool.set(l, l);
      labels.push(shared ?? l);
    }
    progress?.(ids.length, undefined, `reading ${basename(file)}`);
  }
  return { ids, labels };
}

/** Pulls one capture's packets in order, batch by batch, counting positions (0-based). */
class Cursor {
  private readonly it: AsyncIterator<Packet[]>;
  position = 0;
  done = false;
  constructor(
    readonly file: string,
    read: AsyncIterable<Packet[]>,
    readonly expected: number,
  ) {
    this.it = read[Symbol.asyncIterator]();
  }

  /** Stop reading (closes the file when the pairs were all found before its end). */
  async close(): Promise<void> {
    if (!this.done) await this.it.return?.();
  }

  /** The next batch (valid until the next pull), or undefined at the end. */
  async next(): Promise<Packet[] | undefined> {
    const r = await this.it.next();
    if (r.done) {
      this.done = true;
      // The file changed between the two reads: the pairs would name other packets.
      if (this.position !== this.expected) throw new InputError(`the capture changed while it was diffed (${this.expected} packets, then ${this.position})`, { file: this.file }, 'diff.changed-while-reading');
      return undefined;
    }
    return r.value;
  }
}

/** How the captures are read: packets per batch, bytes per file read (tests make them small). */
export interface CaptureReadSizes {
  batchSize?: number;
  chunkSize?: number;
}

export async function diffCaptures(a: string, b: string, compare: CompareOptions, progress?: DiffProgress, sizes: CaptureReadSizes = {}): Promise<PacketSetDiff> {
  const dissect = compare.dissect ?? (await dissector());
  const flows = new Map<string, string>();
  const labelPool = new Map<string, string>();
  // One after the other: one progress line at a time.
  const ia = await indexCapture(a, dissect, flows, labelPool, progress, sizes);
  const ib = await indexCapture(b, dissect, flows, labelPool, progress, sizes);
  flows.clear();
  labelPool.clear();
  const m = matchPackets(ia.ids, ib.ids);
  const nA = ia.ids.length;
  const nB = ib.ids.length;
  ia.ids.length = 0;
  ib.ids.length = 0;
  const d = packetSetShell(m, { a: ia.labels, b: ib.labels });

  // partner[i] of A / B (-1: unmatched) and the pair slot of each A packet.
  const partnerA = new Int32Array(nA).fill(-1);
  const partnerB = new Int32Array(nB).fill(-1);
  const slotA = new Int32Array(nA);
  m.matches.forEach(([i, j], k) => {
    partnerA[i] = j;
    partnerB[j] = i;
    slotA[i] = k;
  });
  m.matches.length = 0;

  const read = await captureReader(a);
  const ca = new Cursor(a, read(a, { ...sizes, transient: true }), nA);
  const cb = new Cursor(b, read(b, { ...sizes, transient: true }), nB);
  // Packets read whose partner is still ahead in the other capture (copies: batches are recycled).
  const heldA = new Map<number, Packet>();
  const heldB = new Map<number, Packet>();
  const total = d.pairs.length;
  let done = 0;
  const opts = { ...compare, dissect };
  const identical: IdenticalDiffs = new Map();
  const pair = (i: number, j: number, pa: Packet, pb: Packet) => {
    if (progress && done % 1024 === 0) progress(done, total, 'comparing matched packets');
    const diff = comparePair(d, slotA[i], captureTrace(pa, i + 1, dissect), captureTrace(pb, j + 1, dissect), opts, identical);
    // A differing pair keeps its stages (with their packets) for the report: own copies of the bytes.
    for (const t of diff.traces) for (const r of t.rows) for (const s of [r.golden, r.model]) if (s?.packet) s.packet = clonePacket(s.packet);
    done++;
  };
  try {
    await comparePairs();
  } finally {
    await Promise.all([ca.close(), cb.close()]);
  }
  if (done !== total) throw new InputError(`the captures changed while they were diffed (${total} pairs, ${done} found again)`, { file: a }, 'diff.changed-while-reading');
  progress?.(total, total, 'comparing matched packets');
  return d;

  async function comparePairs(): Promise<void> {
    while (done < total) {
      // Read the side the other one waits for; when neither waits, A. Only matched packets are kept.
      const readB = !cb.done && (ca.done || heldA.size > heldB.size);
      const c = readB ? cb : ca;
      const batch = await c.next();
      if (!batch) {
        if (ca.done && cb.done) break;
        continue;
      }
      for (const p0 of batch) {
        const pos = c.position++;
        if (pos >= c.expected) throw new InputError(`the capture changed while it was diffed (${c.expected} packets, then more)`, { file: c.file }, 'diff.changed-while-reading');
        const partner = readB ? partnerB[pos] : partnerA[pos];
        if (partner < 0) continue;
        const waiting = readB ? heldA : heldB;
        const other = waiting.get(partner);
        // Held: a copy (the batch is recycled). Compared at once: the batch's bytes are valid until the next pull.
        if (!other) (readB ? heldB : heldA).set(pos, clonePacket(p0));
        else {
          waiting.delete(partner);
          if (readB) pair(partner, pos, other, p0);
          else pair(pos, partner, p0, other);
        }
      }
    }
  }
}
