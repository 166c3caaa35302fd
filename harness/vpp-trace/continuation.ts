// A packet trace that is another packet of the same file after a VXLAN tunnel: the decap end of a
// stitch (stitch.ts, the pairs `trace parse` counts), e.g. the peer's dpdk-input record of the frame
// packet 1 sent. Replaying packet 1 through a scenario holding both nodes takes it there; injected as
// an input of its own it was sent again (TTL 252 on the worker, dropped), and its frame, shown only
// to the outer UDP header, was replayed with a VXLAN header of zeros. Used by every replay of a trace
// (`dpconform replay`, `replay --case`: models/vpp/replay.ts; a case's trace input in `run`:
// suite/sources.ts), so they leave out the same packets with the same words.

import type { PacketRef, TunnelIndex } from './stitch.js';
import type { TraceWarning } from './trace-file.js';

export interface Continuation {
  /** The label of the packet it continues (the encap end), and the tunnel's VNI. */
  of: number;
  vni: number;
}

/** A packet of a trace file: its `Packet N` label (position when the file prints none), and what stitching says of it. */
export interface LabelledPacket extends PacketRef {
  label: number;
  line?: number;
  continues?: Continuation;
}

/** Mark each packet of `index` that continues another through a tunnel: the first encap (in packet order) its decap pairs with. */
export function markContinuations<P extends LabelledPacket>(index: TunnelIndex<P>): void {
  for (const s of index.eachStitch()) s.to.packet.continues ??= { of: s.from.packet.label, vni: s.vni };
}

/**
 * `picked` without the packets that continue another of them, each left out told to `warn`. A
 * continuation picked without the packet it continues is an input of its own (its frame is then
 * checked like any other: entry-complete.ts).
 */
export function withoutContinuations<P extends LabelledPacket>(picked: readonly P[], warn?: (w: TraceWarning) => void): P[] {
  const replayed = new Set(picked.map((p) => p.label));
  return picked.filter((p) => {
    if (!p.continues || !replayed.has(p.continues.of)) return true;
    const { of, vni } = p.continues;
    warn?.({ line: p.line ?? 0, code: 'stitched', message: `packet ${p.label} is packet ${of} after VXLAN vni ${vni} (a stitch, as trace parse counts them): not replayed as a new input, packet ${of}'s replay takes it there` });
    return false;
  });
}
