// `dpconform diff` of two captures in bounded memory. Holding every packet's dissected fields cost
// ~1.1 GB for 100k + 100k packets; instead:
//
//   1. Each capture is read once (recycled buffers) and every packet reduced to its identity
//      (diff/packet-identity.ts: an interned flow string + one short string) and its label (interned:
//      the packets of a flow mostly share one). Dissection results are dropped at once.
//   2. Packets are matched on those identities exactly as diffPacketSets matches traces.
//   3. Both captures are read again side by side (side-by-side.ts); a pair is compared (dissected
//      again) when both of its packets have been read. A packet whose partner is still ahead is
//      copied and held until it arrives, so memory follows how far packets moved (a batch or two for
//      in-order captures), not the capture size. Dissected fields only ever exist for the pair being compared.
//
// Results are the same as diffPacketSets over all traces (tested on random captures).

import { basename } from 'node:path';
import type { Packet } from '../wire/packet.js';
import { clonePacket } from '../wire/packet.js';
import type { PacketTrace } from '../stage.js';
import type { CompareOptions } from '../diff/compare.js';
import type { PacketSetDiff } from '../diff/packet-match.js';
import { FLOW, IDENTITY } from '../diff/packet-identity.js';
import { packetStage } from '../diff/packet-stages.js';
import { ShapeNumbers, sameCapturedPacket } from '../diff/packet-shape.js';
import { safeDissect } from '../diff/checksums.js';
import { LABEL_FIELDS } from '../diff/label.js';
import { IdentityPool } from '../diff/identity-columns.js';
import { diffSideBySide, FileIndexer, type FileIndex } from './side-by-side.js';
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

/** A capture's index and each packet's shape number (-1: none), numbered in `shapes` (packet-shape.ts). */
async function indexCapture(file: string, dissect: Dissector | undefined, pool: IdentityPool, labelPool: Map<string, string>, shapes: ShapeNumbers, progress?: DiffProgress, sizes: CaptureReadSizes = {}): Promise<{ index: FileIndex; shapeOf: Int32Array }> {
  const read = await captureReader(file);
  const indexer = new FileIndexer(pool, labelPool);
  let shapeOf = new Int32Array(1024);
  let n = 0;
  for await (const batch of read(file, { ...sizes, transient: true })) {
    for (const p of batch) {
      // Dissected once for both: who the packet is, and its shape.
      const layers = dissect ? safeDissect(dissect, p) : [];
      indexer.add(captureTrace(p, indexer.index.ids.length + 1, dissect && (() => layers), WHO));
      if (n === shapeOf.length) {
        const more = new Int32Array(n * 2);
        more.set(shapeOf);
        shapeOf = more;
      }
      shapeOf[n++] = shapes.of(p, layers);
    }
    progress?.(indexer.index.ids.length, undefined, `reading ${basename(file)}`);
  }
  return { index: indexer.index, shapeOf: shapeOf.subarray(0, n) };
}

/** How the captures are read: packets per batch, bytes per file read (tests make them small). */
export interface CaptureReadSizes {
  batchSize?: number;
  chunkSize?: number;
}

export async function diffCaptures(a: string, b: string, compare: CompareOptions, progress?: DiffProgress, sizes: CaptureReadSizes = {}): Promise<PacketSetDiff> {
  const dissect = compare.dissect ?? (await dissector());
  const pool = new IdentityPool();
  const labelPool = new Map<string, string>();
  // One after the other: one progress line at a time.
  const shapes = new ShapeNumbers();
  const { index: ia, shapeOf: shapeA } = await indexCapture(a, dissect, pool, labelPool, shapes, progress, sizes);
  const { index: ib, shapeOf: shapeB } = await indexCapture(b, dissect, pool, labelPool, shapes, progress, sizes);
  labelPool.clear();
  const read = await captureReader(a);
  const opts = { ...compare, dissect };
  return diffSideBySide(
    a,
    b,
    ia,
    ib,
    {
      what: 'capture',
      read: (file) => read(file, { ...sizes, transient: true }),
      // A packet held for its partner is a copy: the batches are recycled.
      keep: clonePacket,
      trace: (p, position) => captureTrace(p, position + 1, dissect),
      // A differing pair keeps its stages (with their packets) for the report: own copies of the bytes.
      // Most pairs of a capture diff are the same bytes: compared once per shape (packet-shape.ts).
      sameShape: (pa, pb, i, j) => (shapeA[i] >= 0 && shapeA[i] === shapeB[j] && sameCapturedPacket(pa, pb) ? shapeA[i] : undefined),
      compared: (diff) => {
        for (const t of diff.traces) for (const r of t.rows) for (const s of [r.golden, r.model]) if (s?.packet) s.packet = clonePacket(s.packet);
      },
    },
    opts,
    progress,
  );
}
