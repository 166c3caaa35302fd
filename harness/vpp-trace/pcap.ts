// `dpconform trace to-pcap`: one packet per stage that shows packet bytes, with the node name and
// the stage text as the pcapng packet comment, so a VPP trace opens in Wireshark. A packet ends
// after the last byte a record shows (captured length; the original length is the whole frame's);
// gaps before that are zeros (the comment lists the known ranges).

import type { Packet } from '../wire/packet.js';
import { writePcapng } from '../io/pcapng.js';
import { OUTPUT_SINK_OPTIONS, outputTarget } from '../io/output-target.js';
import { stageBody } from './format.js';
import type { TraceFile, VppPacketTrace } from './trace-file.js';
import { packetOf, stagePacket } from './reconstruct.js';
import { outlineOf, type TraceOutline } from './trace-outline.js';
import { shownLength, snaplenCut } from './shown-length.js';
import { stageFrameLengths } from './frame-lengths.js';

/** h:m:s:u since VPP start as nanoseconds (relative time; Wireshark shows it from 1970). */
function stageNs(time: string | undefined): bigint {
  const m = time && /^(\d+):(\d\d):(\d\d):(\d{6})$/.exec(time);
  if (m) return ((BigInt(m[1]) * 60n + BigInt(m[2])) * 60n + BigInt(m[3])) * 1_000_000_000n + BigInt(m[4]) * 1000n;
  if (time && /^\d+\.\d+$/.test(time)) {
    const [s, f] = time.split('.');
    return BigInt(s) * 1_000_000_000n + BigInt(f.padEnd(9, '0').slice(0, 9));
  }
  const d = time ? Date.parse(time) : NaN;
  return Number.isNaN(d) ? 0n : BigInt(d) * 1_000_000n;
}

export function tracePackets(f: TraceFile): { packets: Packet[]; linkTypes: number[] } {
  const linkTypes: number[] = [];
  return { packets: [...stagePackets(outlineOf(f), linkTypes)], linkTypes };
}

/**
 * The link types of a packet's stage packets not yet in `linkTypes`, added in order: a first pass
 * over a file learns the pcapng interfaces, which come before its packets.
 */
export function addLinkTypes(p: VppPacketTrace, linkTypes: number[]): void {
  for (const s of p.stages) {
    const linkType = stagePacket(s)?.meta.linkType;
    if (linkType !== undefined && !linkTypes.includes(linkType)) linkTypes.push(linkType);
  }
}

/** Frames a pcapng of a trace holds, and the traced packets they are stages of. */
export interface FramesWritten {
  frames: number;
  packets: number;
}

/** The pcapng packets of an outline's stages, one at a time, counted in `written`; a link type not in `linkTypes` is added. */
function* stagePackets(f: TraceOutline, linkTypes: number[], written: FramesWritten = { frames: 0, packets: 0 }): Generator<Packet> {
  let n = 0;
  for (const t of f.threads) for (const p of t.packets()) {
    n++;
    const frames = p.stages.map((s) => packetOf(f, s));
    if (frames.some((x) => x !== undefined)) written.packets++;
    const lengths = stageFrameLengths(p, frames);
    for (const [i, s] of p.stages.entries()) {
      const pkt = frames[i];
      if (!pkt) continue;
      let ifId = linkTypes.indexOf(pkt.meta.linkType);
      if (ifId < 0) ifId = linkTypes.push(pkt.meta.linkType) - 1;
      const known = pkt.known?.ranges().map(([o, l]) => `${o}-${o + l - 1}`).join(',');
      const comment = [`packet ${p.number ?? n} ${s.node}${s.line ? ` (line ${s.line})` : ''}`, `${s.time ?? ''}: ${s.node}`, ...stageBody(s), `known bytes: ${known}`].join('\n');
      // Cut after the last byte a record shows, the whole frame's length as the original length
      // (shown-length.ts; a stage that states none takes its packet's, frame-lengths.ts).
      const data = snaplenCut(pkt.data, shownLength(pkt));
      written.frames++;
      yield { data, known: pkt.known, meta: { ...pkt.meta, interfaceId: ifId, timestampNs: stageNs(s.time), comment, origLength: lengths[i] ?? pkt.data.length } };
    }
  }
}

export async function writeTracePcapng(f: TraceFile, out: string): Promise<number> {
  const { packets, linkTypes } = tracePackets(f);
  await writePcapngOf(packets, linkTypes, out);
  return packets.length;
}

/**
 * writeTracePcapng of an outline whose link types a first pass found (addLinkTypes), a packet at a
 * time: how many frames it wrote (one per stage that shows bytes) and of how many traced packets.
 */
export async function writeOutlinePcapng(f: TraceOutline, linkTypes: number[], out: string): Promise<FramesWritten> {
  const written = { frames: 0, packets: 0 };
  await writePcapngOf(stagePackets(f, linkTypes, written), [...linkTypes], out);
  return written;
}

/** `out`: a path, or `-` for stdout (output-target.ts). */
function writePcapngOf(packets: Iterable<Packet>, linkTypes: number[], out: string): Promise<void> {
  return writePcapng(outputTarget(out), packets, { nanosecond: true, interfaces: (linkTypes.length ? linkTypes : [1]).map((linkType) => ({ linkType, name: `vpp-trace-linktype-${linkType}` })) }, OUTPUT_SINK_OPTIONS);
}
