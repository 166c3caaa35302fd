// Where a trace's evidence of a frame ends. A record shows only the first bytes of a packet
// (ip4-rewrite dumps 60): a frame rebuilt from a trace is cut after the last byte a record shows,
// the whole frame's length kept as its original length - a capture truncated by its snaplen, as
// Wireshark and tcpdump -s understand it (written whole, the bytes past a dump were zeros, and a TCP
// checksum over them read as a fault of the dataplane). Used by `trace to-pcap` (pcap.ts) for each
// stage's packet and by `replay --format pcap` (models/vpp/replay-output.ts) for the frames a
// trace's packets make.

import type { Packet } from '../wire/packet.js';

/** Bytes up to the end of the last range the trace shows (all, when it shows every byte). */
export function shownLength(pkt: Packet): number {
  if (!pkt.known || pkt.known.isComplete()) return pkt.data.length;
  const ranges = pkt.known.ranges();
  if (ranges.length === 0) return pkt.data.length;
  const [o, l] = ranges[ranges.length - 1];
  return o + l;
}

/** The first `captured` bytes of a frame (all of it when that is its length or more; none below 0): the part a snaplen-cut capture holds. */
export function snaplenCut(data: Uint8Array, captured: number): Uint8Array {
  return captured < data.length ? data.subarray(0, Math.max(0, captured)) : data;
}
