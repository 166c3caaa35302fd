// Replay packets through a VPP scenario and render what came out: VPP `show trace` text, JSON stage
// records, or the transmitted frames as pcapng (one pcapng interface per instance/interface).
// Inputs are a capture (pcap/pcapng) or a VPP trace, whose entry frames are rebuilt from its records
// (entry-frame.ts). The CLI (harness/cli/replay.ts) is a thin wrapper over these functions.
//
// Documented choices for the text form:
//  * Models have no clock: every node header prints `00:00:00:000000` (NO_TIME), so the output is
//    still VPP's layout and parses back with `dpconform trace`.
//  * One `show trace` per VPP instance, in scenario order. With more than one instance each is
//    preceded by `{instance}:` and a dashed underline (the way seed 004 labels its two-node traces),
//    which the trace reader skips as prose. Packets are numbered from 1 per instance, thread 0
//    `vpp_main` only (the model runs every node on the main thread). No 50-packet display limit.

import { open } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import type { Injection, InjectionPoint } from '../../harness/model.js';
import type { PacketTrace } from '../../harness/stage.js';
import type { Packet } from '../../harness/wire/packet.js';
import { InputError } from '../../harness/io/input-error.js';
import { detectCaptureFormat, readCapture } from '../../harness/io/capture.js';
import { encodePcapng } from '../../harness/io/pcapng.js';
import { withoutFcs } from '../../harness/io/without-fcs.js';
import { stagesToJson } from '../../harness/suite/stage-json.js';
import { pickByLabel } from '../../harness/suite/sources.js';
import { stageText } from '../../harness/vpp-trace/format.js';
import { type EntryFrame, entryFrameOf, tracePackets, tracePacketsOfFile } from './entry-frame.js';
import type { TraceWarning } from '../../harness/vpp-trace/trace-file.js';
import type { VppInstance } from './index.js';

export interface ReplayInput {
  packet: Packet;
  at: InjectionPoint;
  /** `file packet N`, for messages. */
  origin: string;
}

export interface ReplayResult {
  traces: Array<{ instance: string; trace: PacketTrace }>;
  outputs: Array<{ instance: string; packet: Packet }>;
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

/** The packets a capture holds; each enters at `at` (its interface defaults to the capture's interface name). */
export async function inputsFromCapture(file: string, at: InjectionPoint): Promise<ReplayInput[]> {
  const packets: Packet[] = [];
  for await (const batch of readCapture(file)) for (const p of batch) packets.push(p);
  return inputsFromPackets(packets, file, at);
}

/** inputsFromCapture of a capture already read (stdin, read whole); `file` names it in messages. */
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
 * (entry-frame.ts tracePacketsOfFile), not the text nor its packet traces.
 */
export async function inputsFromTraceFile(path: string, name: string, inst: VppInstance, at: InjectionPoint, packets?: number[], warn?: (w: TraceWarning) => void): Promise<ReplayInput[]> {
  const wanted = packets && new Set(packets);
  const read = await tracePacketsOfFile(path, name, wanted && ((label) => wanted.has(label)));
  return inputsOfTracePackets(read.packets, read.warnings, name, inst, at, packets, warn);
}

/** The replay inputs of a trace's packets: an entry frame already rebuilt, or rebuilt (or refused) from its trace now. */
function inputsOfTracePackets(all: ReadonlyArray<{ label: number; line?: number; entry?: EntryFrame; trace?: PacketTrace }>, warnings: readonly TraceWarning[], file: string, inst: VppInstance, at: InjectionPoint, packets?: number[], warn?: (w: TraceWarning) => void): ReplayInput[] {
  if (warn) for (const w of warnings) warn(w);
  if (all.length === 0) throw new InputError('no packet trace in this file (expected VPP `show trace` text or a pcap/pcapng capture)', { file }, 'replay.no-packets');
  const chosen = packets ? pickByLabel(all, packets, file) : all;
  return chosen.map((p) => {
    const e = p.entry ?? entryFrameOf(p.trace!, p.label, file, warnings);
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
  const collect = (r: Injection): void => {
    for (const t of r.traces) result.traces.push({ instance: inst.instanceOf(t) ?? '?', trace: t });
    for (const p of r.outputs) result.outputs.push({ instance: inst.instanceOf(p) ?? '?', packet: p });
  };
  if (opts.traces !== false) {
    for (const input of inputs) collect(inst.inject(input.packet, input.at));
    return result;
  }
  inst.setTracing(false);
  for (let start = 0; start < inputs.length; ) {
    const at = inputs[start].at;
    let end = start + 1;
    while (end < inputs.length && samePoint(inputs[end].at, at)) end++;
    inst.injectBatch(
      inputs.slice(start, end).map((i) => i.packet),
      at,
      collect,
    );
    start = end;
  }
  return result;
}

function samePoint(a: InjectionPoint, b: InjectionPoint): boolean {
  return a.instance === b.instance && a.interface === b.interface && a.node === b.node;
}

/** VPP `show trace` text, one section per instance that traced something (see the header). */
export function showTraceText(r: ReplayResult, instanceOrder: readonly string[]): string {
  const used = instanceOrder.filter((n) => r.traces.some((t) => t.instance === n));
  const out: string[] = [];
  for (const name of used) {
    if (used.length > 1) {
      if (out.length) out.push('');
      out.push(`${name}:`, '-'.repeat(name.length + 1));
    }
    out.push('------------------- Start of thread 0 vpp_main -------------------');
    let n = 0;
    for (const t of r.traces) {
      if (t.instance !== name) continue;
      out.push(`Packet ${++n}`, '');
      for (const s of t.trace.stages) stageText(s, out); // a stage without time prints NO_TIME
      out.push('');
    }
  }
  if (used.length === 0) out.push('------------------- Start of thread 0 vpp_main -------------------', 'No packets in trace buffer');
  return out.join('\n') + '\n';
}

/** JSON stage records (harness/suite/stage-json.ts format), each trace also naming its instance. */
export function stagesJsonText(r: ReplayResult): string {
  const doc = JSON.parse(stagesToJson(r.traces.map((t) => t.trace))) as { traces: Array<Record<string, unknown>> };
  doc.traces.forEach((t, i) => (t.instance = r.traces[i].instance));
  return JSON.stringify(doc, null, 1) + '\n';
}

/** The transmitted frames as pcapng: one interface per `instance/interface`, in order of first use. */
export function outputsPcapng(r: ReplayResult): Uint8Array {
  const ids = new Map<string, number>();
  const packets: Packet[] = [];
  for (const { instance, packet } of r.outputs) {
    const name = `${instance}/${packet.meta.interfaceName ?? '?'}`;
    let id = ids.get(name);
    if (id === undefined) ids.set(name, (id = ids.size));
    // models have no clock: every frame is stamped 0, the order is the transmit order
    packets.push({ data: packet.data, meta: { ...packet.meta, interfaceId: id, timestampNs: 0n } });
  }
  return encodePcapng(packets, { interfaces: [...ids.keys()].map((name) => ({ linkType: 1, name })) });
}
