// Replay packets through a VPP scenario. Inputs are a capture (pcap/pcapng) or a VPP trace, whose
// entry frames are rebuilt from its records (entry-frame.ts); what comes out is rendered as VPP
// `show trace` text, JSON stage records or pcapng by replay-output.ts, a part at a time. The CLI
// (harness/cli/replay.ts) is a thin wrapper over these functions.

import { open } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import type { Injection, InjectionPoint } from '../../harness/model.js';
import type { PacketTrace } from '../../harness/stage.js';
import type { Packet } from '../../harness/wire/packet.js';
import { InputError } from '../../harness/io/input-error.js';
import { detectCaptureFormat, readCapture } from '../../harness/io/capture.js';
import { readCaptureFrames } from '../../harness/io/frames.js';
import { microseconds } from './replay-output.js';
import { withoutFcs } from '../../harness/io/without-fcs.js';
import { pickByLabel } from '../../harness/suite/sources.js';
import { type EntryFrame, entryFrameOf, tracePackets, tracePacketsOfFile } from './entry-frame.js';
import { type Continuation, withoutContinuations } from '../../harness/vpp-trace/continuation.js';
import type { TraceWarning } from '../../harness/vpp-trace/trace-file.js';
import { shownLength } from '../../harness/vpp-trace/shown-length.js';
import type { VppInstance } from './index.js';

export interface ReplayInput {
  packet: Packet;
  at: InjectionPoint;
  /** `file packet N`, for messages. */
  origin: string;
  /**
   * The input's packet number, when the user picked packets by number (replay --packets): what it
   * produces is numbered so (its traces' `Packet N`, its frames' comment), not by output position.
   */
  number?: number;
}

export interface ReplayResult {
  /** Each trace, numbered (PacketTrace.number) by its input's number when that has one. */
  traces: Array<{ instance: string; trace: PacketTrace }>;
  /**
   * Each transmitted packet, the instance that sent it, the time of the input packet that made it (ns
   * since the epoch), if it had one, that input's number, if it has one (ReplayInput.number), and
   * how many of its last bytes come from input bytes no trace record showed, if any (unshownTail).
   */
  outputs: Array<{ instance: string; packet: Packet; timestampNs?: bigint; number?: number; unshownTail?: number }>;
}

/** Is this file a capture (by its magic), rather than trace text? */
export async function isCapture(file: string): Promise<boolean> {
  const fh = await open(file, 'r');
  try {
    const head = new Uint8Array(8);
    const { bytesRead } = await fh.read(head, 0, 8, 0);
    return detectCaptureFormat(head.subarray(0, bytesRead)) !== undefined;
  } finally {
    await fh.close();
  }
}

/** The packets a capture holds, all read (the CLI streams captures: captureParts); each enters at `at` (its interface defaults to the capture's interface name). */
export async function inputsFromCapture(file: string, at: InjectionPoint): Promise<ReplayInput[]> {
  const packets: Packet[] = [];
  for await (const batch of readCapture(file)) for (const p of batch) packets.push(p);
  return inputsFromPackets(packets, file, at);
}

/** inputsFromCapture of packets already read (a batch of a streamed capture, frames picked by number); `file` names it in messages. */
export function inputsFromPackets(packets: readonly Packet[], file: string, at: InjectionPoint): ReplayInput[] {
  return packets.map((p, i) => {
    const interfaceName = at.interface ?? p.meta.interfaceName;
    return { packet: withoutFcs(p), at: { ...at, ...(interfaceName !== undefined ? { interface: interfaceName } : {}) }, origin: `${file} packet ${p.meta.frame ?? i + 1}` };
  });
}

/**
 * The entry frames of a VPP trace's packet traces (all, or those whose `Packet N` label - position
 * when the file prints none - is in `packets`), each at its first node and the interface its first
 * record names (hw_if_index resolved in the scenario), unless `at` says otherwise. `warn` hears the
 * trace reader's warnings before any packet is refused, so the damaged line is on screen too.
 */
export function inputsFromTrace(file: string, inst: VppInstance, at: InjectionPoint, packets?: number[], warn?: (w: TraceWarning) => void): ReplayInput[] {
  return inputsFromTraceText(file, readFileSync(file, 'utf8'), inst, at, packets, warn);
}

/**
 * inputsFromTrace of the trace's text, already read (the CLI reads it through
 * harness/vpp-trace/read-text.ts, which refuses bytes that are not UTF-8); `file` names it in messages.
 */
export function inputsFromTraceText(file: string, text: string, inst: VppInstance, at: InjectionPoint, packets?: number[], warn?: (w: TraceWarning) => void): ReplayInput[] {
  const read = tracePackets(text, file);
  return inputsOfTracePackets(read.packets, read.warnings, file, inst, at, packets, warn);
}

/**
 * inputsFromTraceText of a trace file (`name` in messages), streamed: only the entry frames are kept
 * (entry-frame.ts tracePacketsOfFile), not the text nor its packet traces. `bytes` are the file's
 * when the caller reads them already (stdin it has peeked at).
 */
export async function inputsFromTraceFile(path: string, name: string, inst: VppInstance, at: InjectionPoint, packets?: number[], warn?: (w: TraceWarning) => void, bytes?: AsyncIterable<Uint8Array>): Promise<ReplayInput[]> {
  const wanted = packets && new Set(packets);
  const read = await tracePacketsOfFile(path, name, wanted && ((label) => wanted.has(label)), bytes);
  return inputsOfTracePackets(read.packets, read.warnings, name, inst, at, packets, warn);
}

/** The replay inputs of a trace's packets: an entry frame already rebuilt, or rebuilt (or refused) from its trace now. */
function inputsOfTracePackets(all: ReadonlyArray<{ label: number; line?: number; entry?: EntryFrame; trace?: PacketTrace; refused?: InputError; continues?: Continuation }>, warnings: Iterable<TraceWarning>, file: string, inst: VppInstance, at: InjectionPoint, packets?: number[], warn?: (w: TraceWarning) => void): ReplayInput[] {
  // The warnings go by once (a streamed read's may be spooled, entry-frame.ts): heard, and of them
  // kept only what a refused frame's words need (a record not understood: requireWholeEntry).
  const refusing = all.some((p) => p.trace !== undefined);
  const records: TraceWarning[] = [];
  for (const w of warnings) {
    warn?.(w);
    if (refusing && w.code === 'record') records.push(w);
  }
  if (all.length === 0) throw new InputError('no packet trace in this file (expected VPP `show trace` text or a pcap/pcapng capture)', { file }, 'replay.no-packets');
  // A packet that continues a replayed one through a tunnel is not a new input (continuation.ts).
  const chosen = withoutContinuations(packets ? pickByLabel(all, packets, file) : all, warn);
  return chosen.map((p) => {
    if (p.refused) throw p.refused;
    const e = p.entry ?? entryFrameOf(p.trace!, p.label, file, records);
    let itf = at.interface ?? e.interfaceName;
    if (itf === undefined && e.hwIfIndex !== undefined) {
      itf = inst.interfaceByHwIndex(at.instance, e.hwIfIndex);
      if (itf === undefined) throw noSuchHwIndex(inst, at.instance, e, file);
    }
    return { packet: e.packet, at: { ...at, node: at.node ?? e.node, ...(itf !== undefined ? { interface: itf } : {}) }, origin: `${file} packet ${e.number}` };
  });
}

/** A hw_if_index the instance lacks: the trace, packet and line, the index, and the interfaces there are. */
function noSuchHwIndex(inst: VppInstance, instance: string | undefined, e: EntryFrame, file: string): InputError {
  const vm = inst.vm(instance);
  const has = [...vm.interfaces.values()].map((i) => `${i.name} ${i.hwIfIndex}`).join(', ');
  return new InputError(`the ${e.node} record names hw_if_index ${e.hwIfIndex}, which no interface of instance ${vm.name} has (hw_if_index: ${has}): give --interface`, { file, packet: e.number, line: e.line }, 'replay.interface');
}

/**
 * Inject the inputs in order through one instance. With `traces: false` (a caller that wants the
 * transmitted frames only: `--format pcap`) tracing is switched off, which gives the same frames
 * (test/vpp-perf/trace-off.test.ts), and each run of inputs at the same injection point goes through
 * injectBatch, which reads their session slots ahead.
 */
export function replay(inst: VppInstance, inputs: readonly ReplayInput[], opts: { traces?: boolean } = {}): ReplayResult {
  const result: ReplayResult = { traces: [], outputs: [] };
  for (const part of replayParts(inst, inputs, opts)) {
    for (const t of part.traces) result.traces.push(t);
    for (const p of part.outputs) result.outputs.push(p);
  }
  return result;
}

/** Inputs replayed per part of replayParts: what they produce is written before the next part runs. */
const PART_INPUTS = 256;

/**
 * replay() a part at a time: the results of each PART_INPUTS inputs, made when the caller asks for
 * them, so a replay written out as it runs holds one part's traces, not all (a 50 MB trace's
 * traces and their text peaked at ~550 MB). injectBatch runs each packet to completion as inject
 * does, so cutting its runs at the parts' edges changes no result.
 */
export function* replayParts(inst: VppInstance, inputs: readonly ReplayInput[], opts: { traces?: boolean } = {}): Generator<ReplayResult> {
  const traced = opts.traces !== false;
  if (!traced) inst.setTracing(false);
  for (let first = 0; first < inputs.length; first += PART_INPUTS) {
    const part: ReplayResult = { traces: [], outputs: [] };
    const collect = (r: Injection, input: Packet, number: number | undefined): void => {
      for (const t of r.traces) part.traces.push({ instance: inst.instanceOf(t) ?? '?', trace: number !== undefined ? { ...t, number } : t });
      const timestampNs = input.meta.timestampNs;
      const tail = unshownTail(input);
      for (const p of r.outputs)
        part.outputs.push({ instance: inst.instanceOf(p) ?? '?', packet: p, ...(timestampNs !== undefined ? { timestampNs } : {}), ...(number !== undefined ? { number } : {}), ...(tail > 0 ? { unshownTail: tail } : {}) });
    };
    const end = Math.min(inputs.length, first + PART_INPUTS);
    if (traced) for (let i = first; i < end; i++) collect(inst.inject(inputs[i].packet, inputs[i].at), inputs[i].packet, inputs[i].number);
    else
      for (let start = first; start < end; ) {
        const at = inputs[start].at;
        let stop = start + 1;
        while (stop < end && samePoint(inputs[stop].at, at)) stop++;
        // injectBatch runs the packets in order: the k-th result is input start + k's.
        let k = start;
        inst.injectBatch(
          inputs.slice(start, stop).map((i) => i.packet),
          at,
          (r, p) => collect(r, p, inputs[k++].number),
        );
        start = stop;
      }
    yield part;
  }
}

/**
 * A capture replayed as it is read (not read whole into packets first: a 1 M-frame capture held
 * ~1 GB that way): checked first by scanCapture, then read again for the replay, so bad input is
 * still reported before any output.
 */
export interface CaptureInput {
  /** What to open (a capture spooled from stdin is opened through its descriptor). */
  path: string;
  /** The capture in messages. */
  name: string;
  /** Where its frames enter; a frame's own interface where this names none. */
  at: InjectionPoint;
  /**
   * The frames the checking read counted: a replay read finding more (a capture still being
   * written) stops with an error rather than replay frames nobody checked.
   */
  frames?: number;
}

/** The replay read has gone past the frames the checking read counted. */
function grownSinceChecked(c: CaptureInput, seen: number): boolean {
  return c.frames !== undefined && seen > c.frames;
}

function grownError(c: CaptureInput): InputError {
  return new InputError(`the capture grew while it was replayed (${c.frames} frames when checked): replay a finished capture`, { file: c.name, packet: c.frames! + 1 }, 'replay.capture-grew');
}

/** What one read of a capture found, before anything runs. */
export interface CaptureScan {
  frames: number;
  /** The first frame whose link type is not Ethernet, and its link type. */
  notEthernet?: { frame: number; linkType: number };
  /** The interface names the frames arrive on (undefined: a frame of a classic pcap names none), each with its first frame, in that order. */
  interfaces: Map<string | undefined, number>;
  /** Some frame carries FCS octets, which the model does not take (withoutFcs). */
  fcs: boolean;
}

/**
 * Read the capture through once, keeping nothing of its frames: what the checks before a replay need
 * (link types, interface names, the frame count) and the reader's faults, named at `name`.
 */
export async function scanCapture(path: string, name: string): Promise<CaptureScan> {
  const scan: CaptureScan = { frames: 0, interfaces: new Map(), fcs: false };
  const seen: boolean[] = [];
  try {
    for await (const b of readCaptureFrames(path)) {
      for (let i = 0; i < b.count; i++) {
        const id = b.interfaceId[i];
        if (seen[id] !== true) {
          seen[id] = true;
          const itf = b.interfaces[id];
          const frame = b.firstFrame + i;
          if (itf.linkType !== 1 && scan.notEthernet === undefined) scan.notEthernet = { frame, linkType: itf.linkType };
          if (!scan.interfaces.has(itf.name)) scan.interfaces.set(itf.name, frame);
        }
        if (!scan.fcs && (b.fcsLength(i) ?? 0) !== 0) scan.fcs = true;
      }
      scan.frames += b.count;
    }
  } catch (e) {
    throw e instanceof InputError && e.where.file === path && path !== name ? e.inFile(name) : e;
  }
  return scan;
}

/** The frames numbered `numbers` (all within the capture), copied, in that order (a number twice: the frame twice). */
export async function captureFramesNumbered(path: string, numbers: readonly number[]): Promise<Packet[]> {
  const wanted = new Map<number, Packet>();
  for (const n of numbers) wanted.set(n, NOT_READ);
  for await (const batch of readCapture(path, { transient: true }))
    for (const p of batch) if (wanted.has(p.meta.frame!)) wanted.set(p.meta.frame!, { ...p, data: p.data.slice() });
  return numbers.map((n) => wanted.get(n)!);
}

const NOT_READ: Packet = { data: new Uint8Array(0), meta: { linkType: 1 } };

/**
 * replayParts of a capture, a read batch at a time (transient buffers: a batch's parts are rendered
 * before the next is read, and the model copies what it keeps).
 */
export async function* captureParts(inst: VppInstance, c: CaptureInput, opts: { traces?: boolean } = {}): AsyncGenerator<ReplayResult> {
  let seen = 0;
  for await (const batch of readCapture(c.path, { transient: true })) {
    if (grownSinceChecked(c, (seen += batch.length))) throw grownError(c);
    yield* replayParts(inst, inputsFromPackets(batch, c.name, c.at), opts);
  }
}

/**
 * A capture whose frames carry no FCS, replayed with tracing off straight from the read buffers
 * (VppInstance.injectFrames: no Packet per input frame, as the model's benchmark runs them): `out`
 * hears each transmitted frame, its instance and interface, and the time of the input frame that
 * made it, in us; `afterBatch` runs after each read batch (the caller writes out what `out` gathered).
 */
export async function replayCaptureFrames(inst: VppInstance, c: CaptureInput, out: (instance: string, itf: string, bytes: Uint8Array, us: number) => void, afterBatch?: () => Promise<void>): Promise<void> {
  inst.setTracing(false);
  let seen = 0;
  for await (const frames of readCaptureFrames(c.path)) {
    if (grownSinceChecked(c, (seen += frames.count))) throw grownError(c);
    inst.injectFrames(frames, c.at, (i, outputs, instances) => {
      if (outputs.length === 0) return;
      const us = microseconds(frames.timestampNs(i));
      for (let k = 0; k < outputs.length; k++) out(instances[k], outputs[k].meta.interfaceName ?? '?', outputs[k].data, us);
    });
    await afterBatch?.();
  }
}

/**
 * How many of the last bytes of every frame `input` makes come from its bytes no trace record showed
 * (0 for a captured frame, or a trace's frame shown to its end): the input frame's bytes past the
 * last one a record shows (shown-length.ts). The model never moves a packet's bytes in its buffer:
 * it rewrites them in place and pushes or pops headers in front (ethernet/ip4 rewrite, NAT44, VXLAN
 * encap and decap, the echo reply, a frame crossing a link to another instance), so the input's
 * last bytes stay the last bytes of what it transmits. The one node that cuts the end, ip4-icmp-error
 * (the offending packet cut at 576 bytes, vpp-facts §5.4), transmits fewer of them: counted from the
 * end, the cut then drops some shown bytes too, never keeps an unshown one. (Its ICMP checksum, over
 * the whole quoted packet, is no evidence either when bytes were unshown; a pcapng cannot mark a
 * field unknown.)
 */
function unshownTail(input: Packet): number {
  return input.data.length - shownLength(input);
}

function samePoint(a: InjectionPoint, b: InjectionPoint): boolean {
  return a.instance === b.instance && a.interface === b.interface && a.node === b.node;
}

export { outputsPcapng, showTraceText, stagesJsonText } from './replay-output.js';
