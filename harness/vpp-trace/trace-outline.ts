// A trace as its printers walk it: what comes before the packets (display limit, threads), the
// threads' packets one after the other, and what comes after (warnings). A TraceFile in memory is
// one (outlineOf); a file read twice is another (readTraceOutline): the first pass keeps the thread
// outline and the warnings, the second hands out each packet as it is parsed, so the printers
// (format.ts, show.ts, json.ts, pcap.ts) hold one packet at a time and print the same bytes either way.

import type { ParseOptions } from './parse.js';
import { tracePacketsSync } from './parse.js';
import { type ReadOptions, readTraceChunks } from './read.js';
import type { TwiceReadTrace } from './trace-source.js';
import type { TraceFile, TraceThread, VppPacketTrace } from './trace-file.js';
import type { WarningsOf } from './spooled.js';

export interface ThreadOutline {
  /** Index, name, line, empty (its `packets` are not the thread's: see packets()). */
  readonly thread: TraceThread;
  /** How many packets the thread holds. */
  readonly count: number;
  /** The thread's packets; threads are walked in order, each once. */
  packets(): Iterable<VppPacketTrace>;
}

export interface TraceOutline extends WarningsOf {
  readonly file?: string;
  readonly limit?: TraceFile['limit'];
  readonly threads: readonly ThreadOutline[];
  /** Stages' packets are built where printed (reconstruct.ts packetOf). */
  readonly packetsOnDemand?: boolean;
}

export function outlineOf(f: TraceFile): TraceOutline {
  return { ...f, threads: f.threads.map((t) => ({ thread: t, count: t.packets.length, packets: () => t.packets })) };
}

/** What a first pass saw: the file (no packets kept) and its outline for the second pass. */
export interface ReadOutline {
  file: TraceFile;
  outline: TraceOutline;
}

/**
 * Read `source` twice: the first pass is readTraceChunks keeping no packet (`opts.onPacket` sees
 * each; `firstPass` narrows what it decodes), the second parses with `secondPass` as the outline's
 * packets are walked.
 */
export async function readTraceOutline(source: TwiceReadTrace, opts: ReadOptions, secondPass: ParseOptions): Promise<ReadOutline> {
  const counts = new Map<TraceThread, number>();
  const file = await readTraceChunks(source.name, source.first(), {
    ...opts,
    keepPackets: false,
    keepSegments: false,
    onPacket: (p, th) => {
      counts.set(th, (counts.get(th) ?? 0) + 1);
      opts.onPacket?.(p, th);
    },
  });
  let packets: Iterator<VppPacketTrace> | undefined;
  /** Packets handed out so far. */
  let taken = 0;
  let start = 0;
  const threads = file.threads.map((t): ThreadOutline => {
    const count = counts.get(t) ?? 0;
    const from = start;
    start += count;
    const { packets: _, ...meta } = t;
    return {
      thread: { ...meta, packets: [] },
      count,
      packets: function* () {
        packets ??= tracePacketsSync(source.second(), { ...secondPass, file: source.name })[Symbol.iterator]();
        if (taken !== from) throw new Error(`trace outline: thread packets walked out of order (at ${taken}, thread starts at ${from})`);
        for (let i = 0; i < count; i++) {
          const next = packets.next();
          if (next.done) throw new Error(`trace outline: the second pass ended after ${taken} packets, the first saw ${start}`);
          taken++;
          yield next.value;
        }
      },
    };
  });
  return { file, outline: { file: file.file, limit: file.limit, threads, warnings: file.warnings, moreWarnings: file.moreWarnings, packetsOnDemand: true } };
}
