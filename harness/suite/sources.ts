// Reading what a case names: inputs become packets to inject, goldens become stage traces or
// captured packets. One function per direction so the runner does not care about file formats.

import { readFile } from 'node:fs/promises';
import type { Packet } from '../wire/packet.js';
import type { PacketTrace } from '../stage.js';
import type { InjectionPoint } from '../model.js';
import { InputError } from '../io/input-error.js';
import { rejectDirectory } from '../io/not-a-directory.js';
import type { InputSpec, SourceKind } from './case-spec.js';
import { stagesFromJson } from './stage-json.js';
import { captureReader, traceReader } from './peers.js';

/** Stage traces from a VPP trace or a JSON stage-records file. */
/**
 * A file with no packet trace in it is bad input, never "0 packets": compared against anything it
 * would report every packet missing (or, against itself, a clean result) for a file that is not a
 * trace at all. Same message as `dpconform trace parse`.
 */
export async function readTraces(file: string, kind: SourceKind): Promise<PacketTrace[]> {
  rejectDirectory(file, kind === 'stages' ? 'a JSON stage-records file' : 'a VPP trace file');
  const text = await readFile(file, 'utf8');
  if (kind === 'capture') throw new InputError('a capture holds packets, not stage traces', { file }, 'run.wrong-kind');
  const traces = kind === 'stages' ? stagesFromJson(text, file) : (await traceReader(file)).parse(text, file);
  if (traces.length) return traces;
  if (kind === 'stages') throw new InputError('no packet trace found (`traces` is empty)', { file, key: 'traces' }, 'stages.empty');
  const lines = text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
  throw new InputError('no VPP trace found (no `HH:MM:SS:uuuuuu: node` line)', { file, line: Math.max(lines, 1) }, 'trace.empty');
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

/** The packets an input injects, in order, each with its injection point. */
export async function readInputPackets(input: InputSpec): Promise<Injectable[]> {
  const found: Array<{ packet: Packet; at: InjectionPoint }> = [];
  if (input.kind === 'capture') {
    for (const p of await readCapturePackets(input.file)) {
      found.push({ packet: p, at: { ...(p.meta.interfaceName ? { interface: p.meta.interfaceName } : {}), ...input.at } });
    }
  } else {
    const traces = await readTraces(input.file, input.kind);
    const reader = input.kind === 'trace' ? await traceReader(input.file) : undefined;
    traces.forEach((t, i) => {
      const packet = reader ? reader.entryPacket(t, i + 1, input.file) : t.stages.find((s) => s.packet)?.packet;
      if (!packet) throw new InputError('no packet can be rebuilt from this trace', { file: input.file, packet: t.number ?? i + 1, line: t.line }, 'run.no-entry-packet');
      // A trace says where its packet entered: the first node.
      found.push({ packet, at: { ...(t.stages[0] ? { node: t.stages[0].node } : {}), ...input.at } });
    });
  }
  const numbered = found.map((f, i) => ({ ...f, origin: `${input.file} packet ${i + 1}` }));
  return input.packets ? pickPackets(numbered, input.packets, input.file, input.line) : numbered;
}

/** Items by 1-based packet number, in the order asked; a number past the end names the case line. */
export function pickPackets<T>(items: readonly T[], numbers: readonly number[], file: string, line: number | undefined): T[] {
  return numbers.map((n) => {
    const f = items[n - 1];
    if (f === undefined) throw new InputError(`packet ${n} requested but the file holds ${items.length}`, { file, line, key: 'packets' }, 'run.no-such-packet');
    return f;
  });
}
