// The typed model of a `show trace` text: file -> threads -> packets -> stages. Segments keep the
// text around the traces (prose, fences, blank lines...) so a parsed paste prints back verbatim.

import type { PacketTrace } from '../stage.js';
import type { VppStage } from './nodes/index.js';
import type { SpooledWarnings } from './spooled.js';

export interface TraceWarning {
  /** 1-based line in the source text. */
  line: number;
  /** Stable kind: crlf, tab, shifted, no-packet-line, split-input-node, split-time, packet-restart, bad-node-header, elision, comment, fence, missing-node-header, orphan-line, record, checksum... */
  code: string;
  message: string;
}

export interface VppPacketTrace extends PacketTrace {
  stages: VppStage[];
  /** Prose right before the packet (`SYN from the client's node:`), when a document had some. */
  caption?: string;
  /** True when some of the packet's text was elided (`...`). */
  elided?: boolean;
}

export interface TraceThread {
  /** `Start of thread {index} {name}`; undefined when the text had no thread header. */
  index?: number;
  name?: string;
  line?: number;
  packets: VppPacketTrace[];
  /** `No packets in trace buffer`. */
  empty?: boolean;
}

export type SegmentRole = 'prose' | 'blank' | 'fence' | 'thread' | 'packet' | 'limit' | 'empty' | 'elision' | 'comment' | 'orphan';

export type Segment =
  | { kind: 'text'; role: SegmentRole; line: number; text: string }
  | {
      kind: 'stage';
      stage: VppStage;
      /** A stage whose header line was lost: its lines as found. */
      source?: string[];
      /** Elision and comment lines inside the stage, each after its first `at` body lines. */
      inside?: Array<{ at: number; line: number; role: SegmentRole; text: string }>;
    };

export interface TraceFile {
  file?: string;
  threads: TraceThread[];
  warnings: TraceWarning[];
  /** `Limiting display to N packets...` (VPP prints it before everything else). */
  limit?: { packets: number; line: number };
  /**
   * Set by readTraceFile, which checks every stage's checksums but keeps no per-stage packet (they
   * were ~a quarter of what a parsed 50 MB trace held): a stage's packet is built again where it is
   * printed (reconstruct.ts packetOf).
   */
  packetsOnDemand?: boolean;
  /** Source layout, when the parser kept it (keepSegments). */
  segments?: Segment[];
  lines: number;
  /**
   * Warnings past `warnings` (beyond spooled.ts WARNINGS_HELD: a markdown paste's prose lines, a
   * trace's altered checksums), kept in a Spool: read them with allWarnings / warningCount (spooled.ts).
   */
  moreWarnings?: SpooledWarnings;
  /** The text's last line had no newline after it. */
  unterminated?: boolean;
}

export function* allPackets(f: TraceFile): Generator<VppPacketTrace> {
  for (const t of f.threads) yield* t.packets;
}
