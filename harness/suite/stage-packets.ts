// Stage packets built where a comparison uses them. A VPP trace is read with readTraceFile, which
// keeps no packet on its stages (a packet per stage was a quarter of a parsed trace, and `diff` of two
// 50 MB traces peaked at ~920 MB): one matched pair, or one case's goldens, get theirs built for their
// comparison. A pair that differs keeps them in its rows (reports print its bytes); an identical one
// drops its rows, and the packets with them.

import type { Packet } from '../wire/packet.js';
import type { PacketTrace, Stage } from '../stage.js';
import type { VppStage } from '../vpp-trace/nodes/index.js';
import { stagePacket } from '../vpp-trace/reconstruct.js';

/**
 * A stage's packet: the one it carries (capture, stage records) or the one its VPP record shows,
 * built now - what reconstruct.ts packetOf gives for a file read with packets on demand.
 */
export function stagePacketOf(s: Stage): Packet | undefined {
  return s.packet ?? stagePacket(s as VppStage);
}

/** The packet of the first stage that shows one. */
export function firstStagePacket(t: PacketTrace): Packet | undefined {
  for (const s of t.stages) {
    const p = stagePacketOf(s);
    if (p) return p;
  }
  return undefined;
}

/** Packets withStagePackets built from a VPP record (not carried by their file). */
const rebuilt = new WeakSet<Packet>();

/**
 * A packet built from its stage's VPP record (reconstruct.ts stagePacket): the bytes of the header
 * fields the record prints, laid out - nothing its fields do not say, and no length of the packet
 * (ethernet-input's is the 14 bytes of the Ethernet header it prints). For `diff`, whose stage records
 * from `replay --format json` carry the same fields and no packet (compare.ts rebuiltPacket).
 */
export function isRebuiltFromRecord(p: Packet): boolean {
  return rebuilt.has(p);
}

/** The trace with every stage's packet in place, as a compare needs them; the read trace is left without. */
export function withStagePackets<T extends PacketTrace>(t: T): T {
  const stages = t.stages.map((s) => {
    const packet = s.packet ? undefined : stagePacket(s as VppStage);
    if (!packet) return s;
    rebuilt.add(packet);
    return { ...s, packet };
  });
  return { ...t, stages };
}
