// One timed pass of a capture through a model instance, and one timed read-only pass over the same
// capture, as the replay benchmarks measure them (replay.ts: the worst case; replay-connections.ts:
// the connection workload).
//
// The model copies each frame's bytes into its buffer and keeps no reference to them, and the
// replay keeps nothing it produces: the frames are read as offsets into the capture reader's
// recycled file buffers (readCaptureFrames), with no object per packet, and run by
// injectFramesCounting (tracing off, as a replay without `show trace` would).

import type { InjectionPoint } from '../harness/model.js';
import { readCaptureFrames } from '../harness/io/frames.js';
import type { VppInstance } from '../models/vpp/index.js';

export interface PassFigures {
  packets: number;
  /** Frames the instance transmitted. */
  outputs: number;
  /** Wall time of the loop: capture read + model. */
  seconds: number;
  /**
   * CPU time (user + system) of the loop: what one core spends when it is not preempted, so less
   * disturbed by the other processes on shared cores than the wall time.
   */
  cpuSeconds: number;
}

export async function replayPass(inst: VppInstance, capture: string, at: InjectionPoint): Promise<PassFigures> {
  let outputs = 0;
  let packets = 0;
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  for await (const batch of readCaptureFrames(capture)) {
    outputs += inst.injectFramesCounting(batch, at);
    packets += batch.count;
  }
  const cpu = process.cpuUsage(cpu0);
  return { packets, outputs, seconds: (performance.now() - t0) / 1000, cpuSeconds: (cpu.user + cpu.system) / 1e6 };
}

/** The same loop with no model: every frame's length is summed (so the read is not optimised away). */
export async function readPass(capture: string): Promise<{ packets: number; bytes: number; seconds: number }> {
  let bytes = 0;
  let packets = 0;
  const t0 = performance.now();
  for await (const batch of readCaptureFrames(capture)) {
    for (let i = 0; i < batch.count; i++) bytes += batch.length[i];
    packets += batch.count;
  }
  return { packets, bytes, seconds: (performance.now() - t0) / 1000 };
}
