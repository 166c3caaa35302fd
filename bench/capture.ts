// Capture reader benchmark (issue 2, "Done when"): packets per second and peak RSS of our reader on
// the generated 1,000,000-packet pcap (and its pcapng twin), beside capinfos and tshark on the same
// file in the same run.
//
// - Ours runs in a child process (bench/capture-read.ts) so its peak RSS is the reader's alone; the
//   rate is timed inside it around the read loop (no Node start-up), best of RUNS.
// - `capinfos -c` is its cheapest full read (counts every record, no hashes): best of RUNS, whole
//   process time. tshark's cheapest full read here is `-q -z io,stat,0` (measured cheaper than
//   `-T fields -e frame.number`); it dissects every packet, so it runs once.
// - Every tool reads the file once beforehand, so all read it from the page cache.

import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import type { BenchResult } from './run.js';
import type { ReadResult } from './capture-read.js';
import { BENCH_PACKETS, ensureBenchCapture, ensureBenchCapturePcapng } from './gen-capture.js';

const run = promisify(execFile);
const RUNS = 3;

async function timed(cmd: string, args: string[]): Promise<number> {
  const t0 = process.hrtime.bigint();
  await run(cmd, args, { maxBuffer: 64 << 20 });
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

async function best<T>(n: number, f: () => Promise<T>, key: (t: T) => number): Promise<T> {
  let top: T | undefined;
  for (let i = 0; i < n; i++) {
    const r = await f();
    if (top === undefined || key(r) < key(top)) top = r;
  }
  return top!;
}

async function ours(file: string): Promise<ReadResult> {
  const child = fileURLToPath(new URL('./capture-read.js', import.meta.url));
  const { stdout } = await run(process.execPath, [child, file]);
  const r = JSON.parse(stdout) as ReadResult;
  if (r.packets !== BENCH_PACKETS) throw new Error(`our reader saw ${r.packets} packets, expected ${BENCH_PACKETS}`);
  return r;
}

/** Seconds for `cmd`, or undefined when the tool is not installed. */
async function tool(cmd: string, args: string[], runs: number): Promise<number | undefined> {
  try {
    await run('which', [cmd]);
  } catch {
    return undefined;
  }
  return best(runs, () => timed(cmd, args), (s) => s);
}

/** Our reader and both tools on one file. */
async function measure(file: string, label: string): Promise<{ pps: BenchResult; rss: BenchResult }> {
  await ours(file); // warm the page cache
  const mine = await best(RUNS, () => ours(file), (r) => r.seconds);
  const capinfos = await tool('capinfos', ['-c', file], RUNS);
  const tshark = await tool('tshark', ['-n', '-r', file, '-q', '-z', 'io,stat,0'], 1);
  const pps = (s: number) => BENCH_PACKETS / s;
  const compare: Array<{ name: string; value: number }> = [];
  if (capinfos !== undefined) compare.push({ name: 'capinfos -c', value: pps(capinfos) });
  if (tshark !== undefined) compare.push({ name: 'tshark io,stat', value: pps(tshark) });
  const missing = [capinfos === undefined ? 'capinfos' : '', tshark === undefined ? 'tshark' : ''].filter(Boolean);
  return {
    pps: {
      name: `capture.read ${label} 1M packets`,
      value: pps(mine.seconds),
      unit: 'packets/s',
      compare,
      note: `target >= 3,000,000 and >= 1/3 of capinfos; ${(mine.bytes / 1e6).toFixed(0)} MB of packet data` + (missing.length ? `; not installed: ${missing.join(', ')}` : ''),
    },
    rss: {
      name: `capture.read ${label} peak RSS`,
      value: mine.maxRssMiB,
      unit: 'MiB',
      note: 'whole child process (an empty Node is ~40 MiB); batches dropped as read',
    },
  };
}

export async function bench(): Promise<BenchResult[]> {
  const pcap = await measure(await ensureBenchCapture(), 'pcap');
  const pcapng = await measure(await ensureBenchCapturePcapng(), 'pcapng (ns)');
  return [pcap.pps, pcap.rss, pcapng.pps, pcapng.rss];
}
