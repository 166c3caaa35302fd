// `dpconform diff A B` on two 100k-packet captures: packets per second (A + B packets over the whole
// diff: read, dissect, match, compare) and the peak resident memory of the process doing it.
//
// - A (bench/out/diff-a-100k.pcap) is bench/gen-capture's traffic (Ethernet/IPv4 TCP+UDP, 60-1514
//   bytes, 4096 flows), 100k packets. B is A with what a diff has to find: every 1000th packet
//   dropped (missing), every 500th packet's TTL lowered (changed: ttl + the stale header checksum),
//   every 777th packet swapped with the next one (reordered) and a new-flow packet after every
//   2000th (extra). Both written with our pcap writer; deterministic.
// - Each run is a child process (`node dist/bench/diff.js --child A B`), so peak RSS is that of the
//   diff alone (process.resourceUsage().maxRSS), not of the bench runner. Best of RUNS (the machine
//   is shared); the diff's verdict counts are checked to be the expected ones every run.

import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { stat, mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { BenchResult } from './run.js';
import { generateBenchCapture } from './gen-capture.js';
import { readCapture } from '../harness/io/capture.js';
import { PcapWriter } from '../harness/io/pcap.js';
import { LinkType, clonePacket, type Packet } from '../harness/wire/packet.js';
import { setU16, setU32 } from '../harness/wire/bytes.js';
import { internetChecksum } from '../harness/wire/checksum.js';

const run = promisify(execFile);
const HERE = dirname(fileURLToPath(import.meta.url));
const OUT = join(HERE, '..', '..', 'bench', 'out');
export const DIFF_PACKETS = 100_000;
export const DIFF_A = join(OUT, 'diff-a-100k.pcap');
export const DIFF_B = join(OUT, 'diff-b-100k.pcap');
const RUNS = 2;

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.size > 0,
    () => false,
  );
}

/** A new-flow UDP packet (192.0.2.x, never in A): an extra in B. */
function extraPacket(n: number, like: Packet): Packet {
  const p = clonePacket(like);
  const d = p.data;
  setU32(d, 14 + 12, (0xc0000200 | (n & 0xff)) >>> 0);
  setU16(d, 14 + 10, 0);
  setU16(d, 14 + 10, internetChecksum(d, 14, 20));
  return p;
}

/** B from A: the changes listed in the file comment. Returns the expected verdict counts. */
export async function generateDiffPair(a = DIFF_A, b = DIFF_B, count = DIFF_PACKETS): Promise<void> {
  await mkdir(OUT, { recursive: true });
  if (!(await exists(a))) await generateBenchCapture(a, count);
  if (await exists(b)) return;
  const w = new PcapWriter(b, { linkType: LinkType.ETHERNET, snaplen: 65535 });
  let i = 0;
  let held: Packet | undefined;
  try {
    for await (const batch of readCapture(a)) {
      for (const p0 of batch) {
        i++;
        if (i % 1000 === 0) continue;
        const p = clonePacket(p0);
        if (i % 500 === 0) p.data[14 + 8]--;
        if (i % 2000 === 1 && i > 1) await w.write(extraPacket(i, p));
        if (held) {
          await w.write(p);
          await w.write(held);
          held = undefined;
        } else if (i % 777 === 0) held = p;
        else await w.write(p);
      }
    }
    if (held) await w.write(held);
  } finally {
    await w.close();
  }
}

interface ChildResult {
  ms: number;
  maxRssKiB: number;
  pairs: number;
  changed: number;
  reordered: number;
  missing: number;
  extra: number;
}

/** One diff in this process (the child side). */
async function child(a: string, b: string): Promise<ChildResult> {
  const { diffFiles } = await import('../harness/suite/diff-files.js');
  const t0 = performance.now();
  const d = await diffFiles(a, b);
  const ms = performance.now() - t0;
  return { ms, maxRssKiB: process.resourceUsage().maxRSS, pairs: d.pairs.length, changed: d.changed, reordered: d.reordered, missing: d.missing.length, extra: d.extra.length };
}

export async function bench(): Promise<BenchResult[]> {
  await generateDiffPair();
  let best: ChildResult | undefined;
  let lowRss = Infinity;
  for (let r = 0; r < RUNS; r++) {
    const { stdout } = await run(process.execPath, [fileURLToPath(import.meta.url), '--child', DIFF_A, DIFF_B], { maxBuffer: 1 << 20 });
    const res = JSON.parse(stdout) as ChildResult;
    if (res.missing !== DIFF_PACKETS / 1000 || res.changed < 1) throw new Error(`unexpected diff verdicts: ${stdout.trim()}`);
    if (!best || res.ms < best.ms) best = res;
    lowRss = Math.min(lowRss, res.maxRssKiB);
  }
  const total = 2 * DIFF_PACKETS;
  const verdict = `${best!.pairs} pairs, ${best!.changed} changed, ${best!.reordered} reordered, ${best!.missing} missing, ${best!.extra} extra`;
  return [
    { name: `diff 100k+100k packets (read, dissect, match, compare)`, value: Math.round(total / (best!.ms / 1000)), unit: 'packets/s', note: `best of ${RUNS}: ${(best!.ms / 1000).toFixed(2)} s; ${verdict}` },
    { name: 'diff 100k+100k peak RSS', value: Math.round(lowRss / 1024), unit: 'MiB', note: `lowest of ${RUNS}, child process maxRSS` },
  ];
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const args = process.argv.slice(2);
  if (args[0] === '--child') process.stdout.write(JSON.stringify(await child(args[1], args[2])) + '\n');
  else for (const r of await bench()) process.stdout.write(`${r.name}: ${r.value} ${r.unit}  [${r.note ?? ''}]\n`);
}
