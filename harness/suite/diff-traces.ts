// `dpconform diff` of two VPP traces in bounded memory. Both traces were parsed whole (every packet's
// stages, fields, lines and records: ~0.9 GB for two 50 MB traces); instead, as for captures
// (diff-captures.ts):
//
//   1. Each trace is read once and every packet reduced to its identity and label (side-by-side.ts
//      FileIndexer); its stages are dropped as it completes. The reader's warnings and checksum
//      findings are told as readTraces tells them (the reader's, then packet by packet).
//   2. Packets are matched on those identities exactly as diffPacketSets matches traces.
//   3. Both traces are parsed again side by side (tracePacketStream); a pair is compared, its stage
//      packets built (stage-packets.ts), when both of its packets have been read; a packet whose
//      partner is ahead is held until it arrives. Stages of compared and unmatched packets are
//      dropped at once; a differing pair's report rows keep theirs.
//
// Results are those of diffPacketSets over both files read whole (test/harness/diff-traces.test.ts).

import type { CompareOptions } from '../diff/compare.js';
import type { PacketSetDiff } from '../diff/packet-match.js';
import type { PacketTrace } from '../stage.js';
import { rejectDirectory } from '../io/not-a-directory.js';
import { inputName } from '../io/read-handle.js';
import { sameFile } from '../io/same-file.js';
import { tracePacketStream } from '../vpp-trace/parse.js';
import { readTraceFile } from '../vpp-trace/read.js';
import { allWarnings } from '../vpp-trace/spooled.js';
import { traceTextChunks } from '../vpp-trace/read-text.js';
import { packetChecksumWarnings } from '../vpp-trace/reconstruct.js';
import type { TraceWarning, VppPacketTrace } from '../vpp-trace/trace-file.js';
import { IdentityPool } from '../diff/identity-columns.js';
import { diffSideBySide, FileIndexer, type FileIndex } from './side-by-side.js';
import { noPacketTrace, tellTraceWarnings } from './sources.js';
import { withStagePackets } from './stage-packets.js';

/** The first read: identities and labels; the warnings told as readTraces tells them. */
async function indexTrace(file: string, pool: IdentityPool, labelPool: Map<string, string>): Promise<FileIndex> {
  rejectDirectory(file, 'a VPP trace file');
  const indexer = new FileIndexer(pool, labelPool);
  const checksums: TraceWarning[] = [];
  // reconstruct: false - the checksums are checked here, packet by packet, before the stages go.
  const tf = await readTraceFile(file, {
    keepSegments: false,
    reconstruct: false,
    onPacket: (t) => {
      checksums.push(...packetChecksumWarnings(t));
      indexer.add(t);
      drop(t);
    },
  });
  tellTraceWarnings(file, allWarnings(tf));
  tellTraceWarnings(file, checksums);
  if (indexer.index.ids.length === 0) throw noPacketTrace(file, tf.lines);
  return indexer.index;
}

/** What a read packet trace holds beyond its place in the file: gone once it is indexed or compared. */
function drop(t: VppPacketTrace): void {
  t.stages = [];
  delete t.caption;
}

/**
 * A packet trace as `diff` compares it: a lone stage named `packet`, as diffFiles names it (before
 * its packet is built: the packet takes the stage's name as its interface), then its stage packets built.
 */
function compared(t: PacketTrace): PacketTrace {
  return withStagePackets(t.stages.length === 1 ? { ...t, stages: [{ ...t.stages[0], node: 'packet' }] } : t);
}

export async function diffTraces(a: string, b: string, compare: CompareOptions, progress?: (done: number, total: number | undefined, label: string) => void): Promise<PacketSetDiff> {
  const pool = new IdentityPool();
  const labelPool = new Map<string, string>();
  const ia = await indexTrace(a, pool, labelPool);
  // One file given twice (`diff x.trace x.trace`, or `./x.trace`): read once, so its warnings are told
  // once (they were printed twice and counted double); its packets are then simply matched with themselves.
  const ib = sameFile(a, b) ? ia : await indexTrace(b, pool, labelPool);
  labelPool.clear();
  return diffSideBySide<VppPacketTrace>(
    a,
    b,
    ia,
    ib,
    {
      what: 'trace',
      read: (file) => tracePacketStream(traceTextChunks(file), { file: inputName(file), keepSegments: false }),
      keep: (t) => t, // a parsed packet is its own: nothing is recycled
      trace: compared,
      compared: (_diff, pa, pb) => {
        drop(pa);
        drop(pb);
      },
      skip: drop,
    },
    compare,
    progress,
  );
}
