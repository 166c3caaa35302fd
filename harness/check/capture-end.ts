// Where a capture ends: the model's timers still pending after the last input run up to there
// (ModelInstance.finish), since what the dataplane did later is not in the capture.

import type { Packet } from '../wire/packet.js';

/** Timestamp of the latest frame, undefined when none has one. */
export function captureEnd(packets: readonly Packet[]): bigint | undefined {
  let end: bigint | undefined;
  for (const p of packets) if (p.meta.timestampNs !== undefined && (end === undefined || p.meta.timestampNs > end)) end = p.meta.timestampNs;
  return end;
}
