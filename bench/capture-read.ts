// Child process for bench/capture.ts: reads one capture with our reader and prints
// {packets, bytes, seconds, cpuSeconds, maxRssMiB} as JSON. Run alone so its peak RSS is the reader's own.
//
//   node dist/bench/capture-read.js FILE [--transient | --frames] [batchSize]
//
// --transient: recycled file buffers (readCapture's `transient`), as streaming consumers read.
// --frames: readCaptureFrames (no object per packet), as the VPP model's replay reads.

import { pathToFileURL } from 'node:url';
import { readCapture } from '../harness/io/capture.js';
import { readCaptureFrames } from '../harness/io/frames.js';

export interface ReadResult {
  packets: number;
  bytes: number;
  seconds: number;
  /** CPU seconds (user + system, all threads incl. libuv's reads) over the read loop: less noisy than wall time on a shared machine. */
  cpuSeconds: number;
  maxRssMiB: number;
}

export async function timeRead(path: string, batchSize?: number, transient = false): Promise<ReadResult> {
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  let packets = 0;
  let bytes = 0;
  for await (const batch of readCapture(path, { batchSize, transient })) {
    packets += batch.length;
    // Touch every packet, as a consumer would (length and first byte).
    for (let i = 0; i < batch.length; i++) bytes += batch[i].data.length + (batch[i].data[0] & 0);
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = process.cpuUsage(cpu0);
  return { packets, bytes, seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, maxRssMiB: process.resourceUsage().maxRSS / 1024 };
}

/** The same loop over readCaptureFrames: every frame's length and first byte. */
export async function timeReadFrames(path: string, batchSize?: number): Promise<ReadResult> {
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  let packets = 0;
  let bytes = 0;
  for await (const b of readCaptureFrames(path, { batchSize })) {
    packets += b.count;
    const { bytes: buf, start, length } = b;
    for (let i = 0; i < b.count; i++) bytes += length[i] + (buf[start[i]] & 0);
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = process.cpuUsage(cpu0);
  return { packets, bytes, seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, maxRssMiB: process.resourceUsage().maxRSS / 1024 };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const args = process.argv.slice(2);
  const transient = args.includes('--transient');
  const frames = args.includes('--frames');
  const [path, batch] = args.filter((a) => !a.startsWith('--'));
  const batchSize = batch ? Number(batch) : undefined;
  const r = frames ? await timeReadFrames(path, batchSize) : await timeRead(path, batchSize, transient);
  process.stdout.write(JSON.stringify(r) + '\n');
}
