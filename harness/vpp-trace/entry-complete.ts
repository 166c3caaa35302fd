// Whether a trace shows the frame that entered its first node whole: replaying a 14-byte remnant of
// a 74-byte frame gives a clean-looking trace of another packet, exit 0. Used by every replay of a
// trace, `dpconform replay` (models/vpp/entry-frame.ts) and a case's trace inputs in `run`
// (suite/sources.ts), so both refuse the same traces with the same words.

import type { Packet } from '../wire/packet.js';
import type { PacketTrace } from '../stage.js';
import { InputError } from '../io/input-error.js';
import { entryBoundary } from './entry.js';
import { unstatedHeaderBytes } from './entry-headers.js';
import { lookupNode, type VppStage } from './nodes/index.js';
import type { TraceWarning } from './trace-file.js';

/**
 * The frame length the device record states, as the trace reader types it: virtio-input `len` (the
 * frame without the virtio header), af_packet's tpacket2_hdr `len`, pg-input's `{n} bytes`, dpdk's
 * mbuf `pkt_len` (all segments).
 */
export function statedLength(first: PacketTrace['stages'][number]): number | undefined {
  const n = first.fields.len ?? first.fields['mbuf.pkt_len'];
  return typeof n === 'number' ? n : undefined;
}

/**
 * A stage the entry frame is merged from whose record the reader could not decode (a field past its
 * C width, a mangled line): it was kept as raw text, so the frame would be rebuilt without its
 * bytes. The line named is the reader's warning's when known, else the stage's.
 */
function notUnderstood(t: PacketTrace, warnings: readonly TraceWarning[]): { stage: VppStage; line?: number } | undefined {
  const end = entryBoundary(t);
  for (let i = 0; i < end; i++) {
    const s = t.stages[i] as VppStage;
    if (s.record !== undefined || !lookupNode(s.node)) continue;
    const next = t.stages[i + 1]?.line ?? Infinity;
    const w = warnings.find((x) => x.code === 'record' && s.line !== undefined && x.line > s.line && x.line < next);
    return { stage: s, line: w?.line ?? s.line };
  }
  return undefined;
}

/**
 * Refuse (naming file, packet and line) a trace whose entry frame cannot be rebuilt whole: a record
 * it is merged from was not understood, it shows fewer bytes than the device record states, or a
 * header the replay reads has bytes no record states (entry-headers.ts).
 * `packet` is the frame entryPacket rebuilt, if any (checked for its length).
 */
export function requireWholeEntry(t: PacketTrace, packet: Packet | undefined, where: { file?: string; packet: number; warnings?: readonly TraceWarning[] }): void {
  const first = t.stages[0];
  if (!first) return;
  const bad = notUnderstood(t, where.warnings ?? []);
  if (bad) throw new InputError(`cannot rebuild the frame entering ${first.node}: the ${bad.stage.node} record is not understood (see the warning for this line)`, { file: where.file, packet: where.packet, line: bad.line }, 'replay.entry-not-understood');
  const stated = statedLength(first);
  if (packet && stated !== undefined && packet.data.length < stated) {
    throw new InputError(`cannot rebuild the frame entering ${first.node}: its record states ${stated} bytes, the trace shows ${packet.data.length}`, { file: where.file, packet: where.packet, line: first.line }, 'replay.entry-short');
  }
  const unstated = packet && unstatedHeaderBytes(packet);
  if (unstated) {
    const { what, bytes, unstatedCarried } = unstated;
    const at = bytes.map(([a, b]) => (a === b ? `${a}` : `${a}-${b}`)).join(', ');
    const carried = unstatedCarried ? `, nor the ${unstatedCarried}-byte frame it carries` : '';
    throw new InputError(`cannot rebuild the frame entering ${first.node}: no record shows its ${what} (frame ${bytes.length === 1 && bytes[0][0] === bytes[0][1] ? 'byte' : 'bytes'} ${at} of ${packet.data.length})${carried}`, { file: where.file, packet: where.packet, line: first.line }, 'replay.entry-unstated');
  }
}
