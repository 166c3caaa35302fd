// Child process for bench/capture.ts: reads one capture with our reader and prints
// {packets, bytes, seconds, maxRssMiB} as JSON. Run alone so its peak RSS is the reader's own.
//
//   node dist/bench/capture-read.js FILE [batchSize]

import { pathToFileURL } from 'node:url';
import { readCapture } from '../harness/io/capture.js';

export interface ReadResult {
  packets: number;
  bytes: number;
  seconds: number;
  maxRssMiB: number;
}

export async function timeRead(path: string, batchSize?: number): Promise<ReadResult> {
  const t0 = process.hrtime.bigint();
  let packets = 0;
  let bytes = 0;
  for await (const batch of readCapture(path, { batchSize })) {
    packets += batch.length;
    // Touch every packet, as a consumer would (length and first byte).
    for (let i = 0; i < batch.length; i++) bytes += batch[i].data.length + (batch[i].data[0] & 0);
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  return { packets, bytes, seconds, maxRssMiB: process.resourceUsage().maxRSS / 1024 };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [path, batch] = process.argv.slice(2);
  const r = await timeRead(path, batch ? Number(batch) : undefined);
  process.stdout.write(JSON.stringify(r) + '\n');
}
