// The frame that entered a VPP trace's first node, for replaying a real trace through the model.
// The merge of what the first stages show is the harness's (harness/vpp-trace/entry.ts
// `entryPacket`, one implementation for the harness and the model); this adds only what a replay
// needs besides the bytes: the node to start at and the device the first record names (dpdk's
// interface name, virtio/tapcli's hw_if_index), and an error naming file, packet and line when the
// trace does not show the entering frame whole.

import type { Packet } from '../../harness/wire/packet.js';
import type { PacketTrace } from '../../harness/stage.js';
import { parseTraceWithPackets } from '../../harness/vpp-trace/parse-packets.js';
import { parseTraceStream } from '../../harness/vpp-trace/parse.js';
import { traceTextChunks } from '../../harness/vpp-trace/read-text.js';
import { packetChecksumWarnings } from '../../harness/vpp-trace/reconstruct.js';
import { allPackets, type TraceWarning } from '../../harness/vpp-trace/trace-file.js';
import { addWarning, allWarnings, type WarningsOf } from '../../harness/vpp-trace/spooled.js';
import { entryPacket } from '../../harness/vpp-trace/entry.js';
import { TunnelIndex } from '../../harness/vpp-trace/stitch.js';
import { type Continuation, type LabelledPacket, markContinuations, withoutContinuations } from '../../harness/vpp-trace/continuation.js';
import { requireWholeEntry } from '../../harness/vpp-trace/entry-complete.js';
import { InputError } from '../../harness/io/input-error.js';

export interface EntryFrame {
  /** The first node of the trace (where the frame entered). */
  node: string;
  packet: Packet;
  /** Device identity the first record prints: dpdk's interface name or virtio/tapcli hw_if_index. */
  interfaceName?: string;
  hwIfIndex?: number;
  /** The file's `Packet N` label (its position when the file prints none) and its line. */
  number: number;
  line?: number;
}

/** A trace's packet traces, before any entry frame is rebuilt (a replay rebuilds only those it picks). */
export interface TracePackets {
  /** `label`: the file's `Packet N` (its position when the file prints none). */
  packets: Array<{ trace: PacketTrace; label: number; line?: number; continues?: Continuation }>;
  /** What the trace reader said about damaged or unusual lines: the CLI prints them. */
  warnings: TraceWarning[];
}

/** Parse a `show trace` text; each packet numbered by its `Packet N` line, else by its position. */
export function tracePackets(text: string, file?: string): TracePackets {
  const tf = parseTraceWithPackets(text, file);
  const index = new TunnelIndex<TracePackets['packets'][number]>();
  const packets = [...allPackets(tf)].map((t, i) => {
    const p = { trace: t as PacketTrace, label: t.number ?? i + 1, line: t.line };
    index.add(t, p);
    return p;
  });
  markContinuations(index);
  return { packets, warnings: [...allWarnings(tf)] };
}

/** A packet trace of a streamed file: its entry frame, rebuilt as it was read, or (refused, or not picked) less. */
export interface StreamedTracePacket extends LabelledPacket {
  label: number;
  line?: number;
  /** The entry frame, when the packet was picked and its frame could be rebuilt. */
  entry?: EntryFrame;
  /** Kept only when a picked packet's frame was refused for a record not understood: entryFrameOf refuses it again once every warning is known. */
  trace?: PacketTrace;
  /**
   * Why a picked packet's frame was refused, when no warning can change the words (its headers
   * unstated, its frame short): kept instead of its trace, as every peer's record of a tunnelled
   * frame is refused so (a stitched continuation, seldom replayed) and a trace kept each was
   * most of a replay's memory.
   */
  refused?: InputError;
}

/**
 * tracePackets of a file (stdin for `-`), streamed: each packet trace's entry frame is rebuilt as
 * the packet completes and its stages are dropped, so a 50 MB trace is never held whole, nor a
 * packet per stage (they were most of the ~900 MB a replay of one peaked at). `picked` says which
 * `Packet N` labels are wanted (all when absent). The warnings are those of tracePackets, in its
 * order: the reader's, then the checksum findings packet by packet (reconstruct.ts). `bytes` are
 * the file's when the caller reads them already (stdin it has peeked at).
 */
export async function tracePacketsOfFile(file: string, name = file, picked?: (label: number) => boolean, bytes?: AsyncIterable<Uint8Array>): Promise<{ packets: StreamedTracePacket[]; warnings: Iterable<TraceWarning> }> {
  const packets: StreamedTracePacket[] = [];
  // Held as the reader holds its own (spooled.ts): a markdown paste or a trace of altered checksums
  // warns per line or stage, so an array of them all grew with the file.
  const checksums: WarningsOf & { warnings: TraceWarning[] } = { warnings: [] };
  const names = new NameCopies();
  // Only packets with a tunnel end are kept by the index, as their StreamedTracePacket.
  const tunnels = new TunnelIndex<StreamedTracePacket>();
  const tf = await parseTraceStream(traceTextChunks(file, bytes), {
    file: name,
    keepSegments: false,
    // Packets stay listed (their numbers tell a restarted numbering, as in tracePackets), their stages
    // are dropped below; keepPackets: false keeps only numbered ones for that, which differs when a
    // file mixes numbered and unnumbered packets.
    onPacket: (t) => {
      for (const w of packetChecksumWarnings(t)) addWarning(checksums, w);
      const p: StreamedTracePacket = { label: t.number ?? packets.length + 1, ...(t.line !== undefined ? { line: t.line } : {}) };
      packets.push(p);
      tunnels.add(t, p);
      if (!picked || picked(p.label)) {
        try {
          p.entry = names.unshared(entryFrameOf(t, p.label, name));
        } catch (e) {
          // refused: a record not understood is named at its warning's line, known only once the file is read
          if (e instanceof InputError && e.code !== 'replay.entry-not-understood') p.refused = e;
          else p.trace = { ...t };
        }
      }
      t.stages = [];
    },
  });
  markContinuations(tunnels);
  return { packets, warnings: readerThenChecksums(tf, checksums) };
}

/** The reader's warnings, then the checksum findings: once (what was spooled is read back once). */
function* readerThenChecksums(reader: WarningsOf, checksums: WarningsOf): Generator<TraceWarning> {
  yield* allWarnings(reader);
  yield* allWarnings(checksums);
}

/**
 * Names an entry frame keeps (its node, its device, its packet's interface), as strings of their own. The parser cuts them
 * out of the text chunk they were read from, and V8 keeps a cut of 13 characters or more
 * ('ethernet-input', 'GigabitEthernet0/8/0') as a view of the whole chunk: 14,501 entry frames of a
 * 50 MB trace held ~54 MB of chunks alive. One copy per distinct name, shared by every frame.
 */
class NameCopies {
  private readonly copies = new Map<string, string>();

  private copy(s: string): string {
    let c = this.copies.get(s);
    if (c === undefined) {
      c = Buffer.from(s, 'utf8').toString('utf8'); // a new flat string (the map's key too, so no chunk is kept)
      this.copies.set(c, c);
    }
    return c;
  }

  unshared(e: EntryFrame): EntryFrame {
    e.node = this.copy(e.node);
    if (e.interfaceName !== undefined) e.interfaceName = this.copy(e.interfaceName);
    const meta = e.packet.meta;
    if (meta.interfaceName !== undefined) meta.interfaceName = this.copy(meta.interfaceName);
    return e;
  }
}

/**
 * The entry frame of one packet trace whose stages carry reconstructed packets. Refused (naming
 * file, packet and line) when it cannot be rebuilt whole: replaying a 14-byte remnant of a 74-byte
 * frame gave a clean-looking trace of a different packet, exit 0.
 */
export function entryFrameOf(t: PacketTrace, number: number, file?: string, warnings: readonly TraceWarning[] = []): EntryFrame {
  const first = t.stages[0];
  if (!first) throw new InputError('a packet trace without records', { file, packet: number, line: t.line }, 'replay.empty-trace');
  const packet = entryPacket(t);
  requireWholeEntry(t, packet, { file, packet: number, warnings });
  if (!packet) throw new InputError('no record shows the bytes of the entering frame', { file, packet: number, line: t.line }, 'replay.no-entry-packet');
  const f = first.fields;
  return {
    node: first.node,
    packet,
    ...(typeof f.interface === 'string' ? { interfaceName: f.interface } : {}),
    ...(typeof f.hw_if_index === 'number' ? { hwIfIndex: f.hw_if_index } : {}),
    number,
    line: t.line,
  };
}

/** Every packet trace of a `show trace` text that is an input, as entry frames: not one that continues another through a tunnel (harness/vpp-trace/continuation.ts). */
export function entryFrames(text: string, file?: string): EntryFrame[] {
  const { packets, warnings } = tracePackets(text, file);
  return withoutContinuations(packets).map((p) => entryFrameOf(p.trace, p.label, file, warnings));
}
