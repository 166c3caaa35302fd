// One timed pass of a capture through a model instance, and one timed read-only pass over the same
// capture, as the replay benchmarks measure them (replay.ts: the worst case; replay-connections.ts:
// the connection workload).
//
// The model copies each frame's bytes into its buffer and keeps no reference to them, and the
// replay keeps nothing it produces: the frames are read as offsets into the capture reader's
// recycled file buffers (readCaptureFrames), with no object per packet, and run by
// injectFramesCounting (tracing off, as a replay without `show trace` would).

import { readFileSync } from 'node:fs';
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
  /**
   * CPU time of the main thread alone (undefined where /proc is not there): the process's CPU time
   * also counts V8's background threads, whose JIT compiles and GC took ~17% of the samples of a
   * profiled connection replay from a cold start.
   */
  mainCpuSeconds: number | undefined;
  /** Share of the pass's packet groups the prefetch policy (models/vpp/prefetch-policy.ts) read ahead. */
  prefetchedShare: number;
  /**
   * The later half of the pass (from the first batch boundary at or past half the packets): by then
   * V8 has compiled the packet path, so its rate is the steady state's, and what the whole pass took
   * beyond that rate is the JIT's warm-up (the first ~20 k packets run unoptimised, 10-30 times slower).
   */
  laterHalf: { packets: number; seconds: number };
}

/** USER_HZ, the unit of /proc's utime and stime: 100 on every Linux architecture Node runs on. */
const CLOCK_TICKS = 100;

/** CPU seconds (user + system) the main thread has used so far, from /proc/self/task/<pid>/stat; 10 ms ticks. */
export function mainThreadCpuSeconds(): number | undefined {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    // After the command name in parentheses (which may hold spaces): state is field 3, utime 14, stime 15.
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / CLOCK_TICKS;
  } catch {
    return undefined;
  }
}

export async function replayPass(inst: VppInstance, capture: string, at: InjectionPoint): Promise<PassFigures> {
  let outputs = 0;
  let packets = 0;
  const policy = inst.prefetchPolicy;
  const groups0 = policy.groups;
  const prefetched0 = policy.prefetchedGroups;
  const main0 = mainThreadCpuSeconds();
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  // Packets and clock at each batch's end (one entry per ~1,000 packets, no per-packet cost).
  const marks: number[] = [0, t0];
  for await (const batch of readCaptureFrames(capture)) {
    outputs += inst.injectFramesCounting(batch, at);
    packets += batch.count;
    marks.push(packets, performance.now());
  }
  const cpu = process.cpuUsage(cpu0);
  const t1 = performance.now();
  const seconds = (t1 - t0) / 1000;
  let half = 0;
  while (marks[half] < packets / 2) half += 2;
  const main1 = mainThreadCpuSeconds();
  const groups = policy.groups - groups0;
  return {
    packets,
    outputs,
    seconds,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    mainCpuSeconds: main0 !== undefined && main1 !== undefined ? main1 - main0 : undefined,
    prefetchedShare: groups > 0 ? (policy.prefetchedGroups - prefetched0) / groups : 0,
    laterHalf: { packets: packets - marks[half], seconds: (t1 - marks[half + 1]) / 1000 },
  };
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

/** Shares as whole percents, run by run: `94% / 95% / 94%`. */
export function percents(shares: readonly number[]): string {
  return shares.map((x) => `${Math.round(x * 100)}%`).join(' / ');
}
