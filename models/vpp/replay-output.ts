// What a replay prints, made a part of its results at a time (replay.ts replayParts): VPP `show
// trace` text, JSON stage records, or the transmitted frames as pcapng (one pcapng interface per
// instance/interface). Each part's output is handed out as soon as its place in the output is
// known; what must wait for the end goes to a Spool (memory, then a temporary file), so a replay
// holds no more than a part's traces whatever the input's size.
//
// Documented choices for the text form:
//  * Models have no clock: every node header prints `00:00:00:000000` (NO_TIME), so the output is
//    still VPP's layout and parses back with `dpconform trace`.
//  * One `show trace` per VPP instance, in scenario order. With more than one instance each is
//    preceded by `{instance}:` and a dashed underline (the way seed 004 labels its two-node traces),
//    which the trace reader skips as prose. Packets are numbered from 1 per instance, thread 0
//    `vpp_main` only (the model runs every node on the main thread). No 50-packet display limit.
//  * Packets picked by number (replay --packets 1,3) keep their numbers, as `show trace` keeps VPP's:
//    each trace an input makes (in any instance) is `Packet N` of its input N, in JSON `number: N`,
//    and each frame it makes carries the pcapng comment `input packet N`. A list not in increasing
//    order (or an input whose frames come back to its instance) prints a number again or lower, which
//    the trace reader reads as a new trace section, as it reads two VPPs' traces pasted together.

import { encodeEpb, encodeInterfaceBlock, encodePcapngPreamble, encodeSectionHeader, epbLength } from '../../harness/io/pcapng.js';
import { Spool } from '../../harness/io/spool.js';
import { STAGES_FORMAT, traceToJson } from '../../harness/suite/stage-json.js';
import { stageText } from '../../harness/vpp-trace/format.js';
import { snaplenCut } from '../../harness/vpp-trace/shown-length.js';
import type { ReplayResult } from './replay.js';

/** A piece of output: text (VPP, JSON) or bytes (pcapng, or text a spool read back). */
export type OutputPiece = string | Uint8Array;

export interface ReplayRenderer {
  /** The next part of the results; returns the output that can be written now. */
  add(part: ReplayResult): OutputPiece[];
  /** The rest of the output, once every part is in (read as it is iterated). */
  finish(): Iterable<OutputPiece>;
  /** Free what is held for the end (spool files), whether finished or not. */
  dispose(): void;
}

export type ReplayFormat = 'vpp' | 'json' | 'pcap';

export function replayRenderer(format: ReplayFormat, instanceOrder: readonly string[]): ReplayRenderer {
  if (format === 'json') return new StagesJsonRenderer();
  if (format === 'pcap') return new PcapngRenderer();
  return new ShowTraceRenderer(instanceOrder);
}

const THREAD_HEADER = '------------------- Start of thread 0 vpp_main -------------------\n';

/**
 * `show trace` text, one section per instance that traced something (see the header). A section's
 * heading says which instance only when several traced, which is known at the end: each instance's
 * packets wait in their own spool, unless the scenario has one instance (printed as they come).
 */
class ShowTraceRenderer implements ReplayRenderer {
  private readonly sections = new Map<string, { packets: number; spool: Spool }>();

  constructor(private readonly order: readonly string[]) {}

  add(part: ReplayResult): OutputPiece[] {
    const now: OutputPiece[] = [];
    for (const { instance, trace } of part.traces) {
      const direct = this.order.length === 1 && instance === this.order[0];
      let s = this.sections.get(instance);
      if (!s) {
        this.sections.set(instance, (s = { packets: 0, spool: new Spool() }));
        if (direct) now.push(THREAD_HEADER);
      }
      const lines = [`Packet ${trace.number ?? ++s.packets}`, ''];
      for (const stage of trace.stages) stageText(stage, lines); // a stage without time prints NO_TIME
      lines.push('');
      const text = lines.join('\n') + '\n';
      if (direct) now.push(text);
      else s.spool.add(text);
    }
    return now;
  }

  *finish(): Generator<OutputPiece> {
    const used = this.order.filter((n) => this.sections.has(n));
    if (used.length === 0) yield THREAD_HEADER + 'No packets in trace buffer\n';
    if (this.order.length === 1) return; // printed as they came
    for (const [i, name] of used.entries()) {
      if (used.length > 1) yield `${i ? '\n' : ''}${name}:\n${'-'.repeat(name.length + 1)}\n`;
      yield THREAD_HEADER;
      yield* this.sections.get(name)!.spool.drain();
    }
  }

  dispose(): void {
    for (const s of this.sections.values()) s.spool.dispose();
  }
}

/**
 * JSON stage records (harness/suite/stage-json.ts format, one-space indent), each trace also naming
 * its instance: the document written a trace at a time, as JSON.stringify lays it out whole.
 */
class StagesJsonRenderer implements ReplayRenderer {
  private traces = 0;

  add(part: ReplayResult): OutputPiece[] {
    return part.traces.map(({ instance, trace }) => {
      const text = JSON.stringify({ ...traceToJson(trace, this.traces), instance }, null, 1);
      // An element of `traces` sits two levels deep; JSON strings hold no raw newline to indent.
      return `${this.traces++ === 0 ? JSON_HEAD : ','}\n  ${text.replaceAll('\n', '\n  ')}`;
    });
  }

  *finish(): Generator<OutputPiece> {
    yield this.traces === 0 ? `${JSON_HEAD}]\n}\n` : '\n ]\n}\n';
  }

  dispose(): void {}
}

const JSON_HEAD = `{\n "format": ${JSON.stringify(STAGES_FORMAT)},\n "version": 1,\n "traces": [`;

/**
 * The transmitted frames as pcapng: one interface per `instance/interface`, in order of first use,
 * each interface block written just before the first frame on it (so the file streams: nothing
 * waits for the end; a file with no frame at all is a section with one unnamed Ethernet interface,
 * as encodePcapngPreamble writes it). Each frame is stamped with the time of the input frame that
 * made it (the model takes no time; frames it sends across a link to another instance count as made
 * by that input too), in the interfaces' default resolution, microseconds (if_tsresol 6); an input
 * without a time (a frame rebuilt from a VPP trace, whose node headers count from VPP's start, not
 * from the epoch; a pcapng simple packet block) gives 0.
 */
export class PcapngRenderer implements ReplayRenderer {
  /** Interface id by instance, then interface name (no `instance/interface` string made per frame). */
  private readonly ids = new Map<string, Map<string, number>>();
  private interfaces = 0;
  /** Blocks not yet handed out. */
  private block = new Uint8Array(BLOCK_BYTES);
  private used = 0;
  /** Blocks ready to hand out (add returns them). */
  private ready: OutputPiece[] = [];

  add(part: ReplayResult): OutputPiece[] {
    for (const { instance, packet, timestampNs, number, unshownTail } of part.outputs) this.frame(instance, packet.meta.interfaceName ?? '?', packet.data, microseconds(timestampNs), number, unshownTail);
    return this.take();
  }

  /** The blocks written so far that were not handed out yet (the streamed replay writes them as it goes). */
  take(): OutputPiece[] {
    const out = this.ready;
    this.ready = [];
    return out;
  }

  /**
   * A frame `instance` transmitted on `itf`, stamped `us` microseconds since the epoch: an Enhanced
   * Packet Block without options, or with the comment `input packet N` when its input has a number
   * (ReplayInput.number). A frame whose last `unshownTail` bytes come from input bytes no trace
   * record showed (replay.ts unshownTail) ends before them, its whole length stated as its original
   * length: a capture cut by its snaplen, as `trace to-pcap` writes a trace's frames
   * (harness/vpp-trace/shown-length.ts). Written whole, those bytes were zeros that read as payload
   * and as a wrong TCP checksum.
   */
  frame(instance: string, itf: string, data: Uint8Array, us: number, number?: number, unshownTail = 0): void {
    const id = this.interfaceId(instance, itf);
    const comment = number === undefined ? undefined : utf8.encode(`input packet ${number}`);
    const captured = snaplenCut(data, data.length - unshownTail);
    const len = epbLength(captured.length, comment);
    if (this.used + len > this.block.length) this.flush(len);
    this.used = encodeEpb(this.block, this.used, id, us, captured, data.length, comment);
  }

  *finish(): Generator<OutputPiece> {
    if (this.interfaces === 0) {
      yield encodePcapngPreamble({ interfaces: [] });
      return;
    }
    this.flush(0);
    yield* this.take();
  }

  dispose(): void {}

  private interfaceId(instance: string, itf: string): number {
    // Most frames leave where the one before did (the same strings: the model's interface names).
    if (instance === this.lastInstance && itf === this.lastItf) return this.lastId;
    this.lastInstance = instance;
    this.lastItf = itf;
    return (this.lastId = this.lookUpInterfaceId(instance, itf));
  }

  private lastInstance = '';
  private lastItf = '';
  private lastId = 0;

  private lookUpInterfaceId(instance: string, itf: string): number {
    let byName = this.ids.get(instance);
    if (byName === undefined) this.ids.set(instance, (byName = new Map()));
    let id = byName.get(itf);
    if (id === undefined) {
      byName.set(itf, (id = this.interfaces++));
      // The section header before the first interface; an interface's block before its first frame.
      this.flush(0);
      if (id === 0) this.ready.push(encodeSectionHeader());
      this.ready.push(encodeInterfaceBlock({ linkType: 1, name: `${instance}/${itf}` }));
    }
    return id;
  }

  /** The blocks so far to `ready`; room for a block of `need` bytes after. */
  private flush(need: number): void {
    if (this.used) this.ready.push(this.block.slice(0, this.used));
    this.used = 0;
    if (need > this.block.length) {
      this.block = new Uint8Array(need);
    }
  }
}

const utf8 = new TextEncoder();

/** Packet blocks gathered before they go to the spool. */
const BLOCK_BYTES = 1 << 20;

/** A capture timestamp (ns since the epoch) in whole microseconds; 0 for none (or before the epoch, which a packet block cannot state). */
export function microseconds(ns: bigint | undefined): number {
  return ns === undefined || ns < 0n ? 0 : Number(ns / 1000n);
}

/** All the output as one text (VPP, JSON) or one block of bytes (pcap), for callers that want it whole. */
export function wholeOutput(pieces: Iterable<OutputPiece>, text: boolean): string | Uint8Array {
  const bytes = (p: OutputPiece) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : p);
  const all = Buffer.concat([...pieces].map(bytes));
  return text ? all.toString('utf8') : all;
}

/** A whole result rendered by `r`. */
function renderWhole(r: ReplayRenderer, result: ReplayResult, text: boolean): string | Uint8Array {
  try {
    return wholeOutput([...r.add(result), ...r.finish()], text);
  } finally {
    r.dispose();
  }
}

/** VPP `show trace` text of a whole result (see the header). */
export function showTraceText(r: ReplayResult, instanceOrder: readonly string[]): string {
  return renderWhole(new ShowTraceRenderer(instanceOrder), r, true) as string;
}

/** JSON stage records of a whole result, each trace also naming its instance. */
export function stagesJsonText(r: ReplayResult): string {
  return renderWhole(new StagesJsonRenderer(), r, true) as string;
}

/** The transmitted frames of a whole result as pcapng. */
export function outputsPcapng(r: ReplayResult): Uint8Array {
  return renderWhole(new PcapngRenderer(), r, false) as Uint8Array;
}
