// Reading what a case names: inputs become packets to inject, goldens become stage traces or
// captured packets. One function per direction so the runner does not care about file formats.

import type { Packet } from '../wire/packet.js';
import type { PacketTrace } from '../stage.js';
import type { InjectionPoint } from '../model.js';
import { requireWholeEntry } from '../vpp-trace/entry-complete.js';
import { type LabelledPacket, markContinuations, withoutContinuations } from '../vpp-trace/continuation.js';
import { TunnelIndex } from '../vpp-trace/stitch.js';
import type { VppPacketTrace } from '../vpp-trace/trace-file.js';
import { InputError, type InputLocation } from '../io/input-error.js';
import { dirname, relative } from 'node:path';
import { rejectDirectory } from '../io/not-a-directory.js';
import { withoutFcs } from '../io/without-fcs.js';
import type { InputSpec, SourceKind, StatedAt } from './case-spec.js';
import { stagesFromJson } from './stage-json.js';
import { captureReader, traceReader } from './peers.js';
import { readTraceText } from '../vpp-trace/read-text.js';
import { readTraceFile } from '../vpp-trace/read.js';
import { allWarnings } from '../vpp-trace/spooled.js';
import { allPackets, type TraceWarning } from '../vpp-trace/trace-file.js';

/**
 * Where the VPP trace reader's warnings go (a damaged line it kept as raw text...). The CLI commands
 * that read traces (diff, replay) print them, one line each, as `trace parse` does; a library
 * caller (run's workers) hears nothing unless it sets one. Returns the one it replaces.
 */
let onTraceWarning: ((file: string, w: TraceWarning) => void) | undefined;
export function setTraceWarningListener(listener: typeof onTraceWarning): typeof onTraceWarning {
  const before = onTraceWarning;
  onTraceWarning = listener;
  return before;
}

/**
 * Stage traces from a VPP trace or a JSON stage-records file. A VPP trace is streamed and its stages
 * carry no packet: a comparison builds them for the traces it compares (stage-packets.ts).
 *
 * A file with no packet trace in it is bad input, never "0 packets": compared against anything it
 * would report every packet missing (or, against itself, a clean result) for a file that is not a
 * trace at all. Same message as `dpconform trace parse`.
 */
export async function readTraces(file: string, kind: SourceKind): Promise<PacketTrace[]> {
  rejectDirectory(file, kind === 'stages' ? 'a JSON stage-records file' : 'a VPP trace file');
  if (kind === 'capture') throw new InputError('a capture holds packets, not stage traces', { file }, 'run.wrong-kind');
  if (kind !== 'stages') return vppTraces(file);
  // JSON stage records are text too: the same check (a name in one would have lost its bytes alike).
  const traces = stagesFromJson(await readTraceText(file), file);
  if (traces.length) return traces;
  throw new InputError('no packet trace found (`traces` is empty)', { file, key: 'traces' }, 'stages.empty');
}

async function vppTraces(file: string): Promise<PacketTrace[]> {
  const tf = await readTraceFile(file, { keepSegments: false });
  tellTraceWarnings(file, allWarnings(tf));
  const traces = [...allPackets(tf)];
  if (traces.length) return traces;
  throw noPacketTrace(file, tf.lines);
}

/** The VPP trace reader's warnings about `file`, to the listener (setTraceWarningListener). */
export function tellTraceWarnings(file: string, warnings: Iterable<TraceWarning>): void {
  if (onTraceWarning) for (const w of warnings) onTraceWarning(file, w);
}

/** A trace whose threads all say `No packets in trace buffer` (readTraceFile takes them for a trace). */
export function noPacketTrace(file: string, lines: number): InputError {
  return new InputError('no VPP trace found (no `HH:MM:SS:uuuuuu: node` line)', { file, line: Math.max(lines, 1) }, 'trace.empty');
}

export async function readCapturePackets(file: string): Promise<Packet[]> {
  const read = await captureReader(file);
  const out: Packet[] = [];
  for await (const batch of read(file)) out.push(...batch);
  return out;
}

export interface Injectable {
  packet: Packet;
  at: InjectionPoint;
  /** Where it came from, for messages: `file packet N`. */
  origin: string;
}

/**
 * The packets an input injects, in order, each with its injection point. `packets:` picks a VPP
 * trace's packets by their `Packet N` labels (position when the file prints none), as `replay
 * --packets` does: with numbering gaps a position is not what a person reads in the file. Frames of
 * a capture and records of a stage file go by position.
 */
export async function readInputPackets(input: InputSpec): Promise<Injectable[]> {
  const found: Array<{ packet: Packet; at: InjectionPoint; label: number; line?: number; ref?: LabelledPacket }> = [];
  /** A VPP trace's packets that are inputs (not continuations of a replayed one); undefined for other kinds. */
  let kept: Set<LabelledPacket> | undefined;
  if (input.kind === 'capture') {
    for (const p of await readCapturePackets(input.file)) {
      found.push({ packet: withoutFcs(p), at: { ...(p.meta.interfaceName ? { interface: p.meta.interfaceName } : {}), ...input.at }, label: found.length + 1 });
    }
    // As a trace or stage file with no packet is refused (readTraces): a capture input with no frame
    // replayed nothing, and the case failed on the golden packets the model never saw.
    if (!found.length) throw new InputError('the capture holds no packet: an input replays at least one', { file: input.file }, 'run.empty-input');
  } else {
    const traces = await readTraces(input.file, input.kind);
    const reader = input.kind === 'trace' ? await traceReader(input.file) : undefined;
    const refs: LabelledPacket[] = traces.map((t, i) => ({ label: reader ? (t.number ?? i + 1) : i + 1, line: t.line }));
    // A VPP trace's packets that continue a replayed one through a tunnel are left out, as replay
    // leaves them out (continuation.ts), before their frames are checked.
    if (reader) {
      const index = new TunnelIndex<LabelledPacket>();
      traces.forEach((t, i) => index.add(t as VppPacketTrace, refs[i]));
      markContinuations(index);
      const asked = input.packets && new Set(input.packets);
      kept = new Set(withoutContinuations(refs.filter((r) => !asked || asked.has(r.label)), (w) => tellTraceWarnings(input.file, [w])));
    }
    traces.forEach((t, i) => {
      const label = refs[i].label;
      const packet = reader ? reader.entryPacket(t, label, input.file) : t.stages.find((s) => s.packet)?.packet;
      if (kept?.has(refs[i])) requireWholeEntry(t, packet, { file: input.file, packet: label });
      if (!packet) throw new InputError('no packet can be rebuilt from this trace', { file: input.file, packet: t.number ?? i + 1, line: t.line }, 'run.no-entry-packet');
      // A trace says where its packet entered: the first node.
      found.push({ packet, at: { ...(t.stages[0] ? { node: t.stages[0].node } : {}), ...input.at }, label, line: t.line, ref: refs[i] });
    });
  }
  const numbered = found.map((f) => ({ packet: f.packet, at: f.at, origin: `${input.file} packet ${f.label}`, label: f.label, line: f.line, ref: f.ref }));
  const picked = !input.packets ? numbered : input.kind !== 'trace' ? pickPackets(numbered, input.packets, input.file, input.packetsAt) : pickByLabel(numbered, input.packets, input.file, input.packetsAt);
  const inputs = kept;
  return inputs ? picked.filter((p) => inputs.has(p.ref!)) : picked;
}

/**
 * A VPP trace's packet traces by their `Packet N` labels, in the order asked. A label missing names
 * the labels there are; a label two packets carry (two threads, or two traces pasted one after the
 * other) is refused with their lines rather than one of them picked silently.
 */
export function pickByLabel<T extends { label: number; line?: number }>(items: readonly T[], numbers: readonly number[], file: string, stated?: StatedAt): T[] {
  const { where, holder } = packetsAsked(file, 'the trace', stated, { file });
  return numbers.map((n) => {
    const found = items.filter((p) => p.label === n);
    if (found.length === 1) return found[0];
    if (found.length > 1) throw new InputError(`packet ${n} requested but ${holder} has ${found.length} packets labelled Packet ${n} (lines ${found.map((p) => p.line).join(', ')}: several threads or sections)`, where, 'run.ambiguous-packet');
    const labels = items.map((p) => p.label);
    const shown = labels.length > 8 ? `${labels.slice(0, 8).join(', ')}, ...` : labels.join(', ');
    throw new InputError(`packet ${n} requested but ${holder} has no Packet ${n} (it labels its ${labels.length} packet(s) ${shown})`, where, 'run.no-such-packet');
  });
}

/** Items by 1-based packet number, in the order asked; a number past the end is reported where it was asked. */
export function pickPackets<T>(items: readonly T[], numbers: readonly number[], file: string, stated?: StatedAt): T[] {
  const { where, holder } = packetsAsked(file, 'the file', stated, { file, key: 'packets' });
  return numbers.map((n) => {
    const f = items[n - 1];
    if (f === undefined) throw new InputError(`packet ${n} requested but ${holder} holds ${items.length}`, where, 'run.no-such-packet');
    return f;
  });
}

/**
 * Where a packet number that `file` lacks is reported: at case.yaml's `packets:` when a case asked
 * (the file named in the reason, relative to the case), else `otherwise` (replay --packets). It was the
 * data file with case.yaml's line: `input.pcap (line 9, key packets)`, a line no capture has.
 */
function packetsAsked(file: string, self: string, stated: StatedAt | undefined, otherwise: InputLocation): { where: InputLocation; holder: string } {
  if (!stated) return { where: otherwise, holder: self };
  return { where: { ...stated }, holder: relative(dirname(stated.file), file) || file };
}
