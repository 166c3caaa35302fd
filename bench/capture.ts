// Capture reader benchmark (issue 2, "Done when"): packets per second and peak RSS of our reader on
// the generated 1,000,000-packet pcap (and its pcapng twin), beside capinfos and tshark on the same
// file in the same run.
//
// - Ours runs in a child process (bench/capture-read.ts) so its peak RSS is the reader's alone; the
//   rate is timed inside it around the read loop (no Node start-up), best of RUNS, in three modes:
//   default (packets own their chunk), transient (recycled buffers, for streaming consumers), and
//   frames (readCaptureFrames: no object per packet, as the VPP model's replay reads).
// - `capinfos -c` is its cheapest full read (counts every record, no hashes): best of RUNS, whole
//   process time, in the same rounds as ours. tshark's cheapest full read here is `-q -z io,stat,0` (measured cheaper than
//   `-T fields -e frame.number`); it dissects every packet, so it runs once.
// - Every tool reads the file once beforehand, so all read it from the page cache.

import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import type { BenchResult } from './run.js';
import type { ReadResult } from './capture-read.js';
import { BENCH_PACKETS, ensureBenchCapture, ensureBenchCapturePcapng } from './gen-capture.js';
import { ensureReplayCapture } from './replay.js';

const run = promisify(execFile);
const RUNS = 5;

async function timed(cmd: string, args: string[]): Promise<number> {
  const t0 = process.hrtime.bigint();
  await run(cmd, args, { maxBuffer: 64 << 20 });
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

type Mode = 'packets' | 'transient' | 'frames';

async function ours(file: string, mode: Mode): Promise<ReadResult> {
  const child = fileURLToPath(new URL('./capture-read.js', import.meta.url));
  const { stdout } = await run(process.execPath, [child, file, ...(mode === 'packets' ? [] : [`--${mode}`])]);
  const r = JSON.parse(stdout) as ReadResult;
  if (r.packets !== BENCH_PACKETS) throw new Error(`our reader saw ${r.packets} packets, expected ${BENCH_PACKETS}`);
  return r;
}

async function installed(cmd: string): Promise<boolean> {
  return run('which', [cmd]).then(
    () => true,
    () => false,
  );
}

/** Best (smallest) and worst of a list of seconds. */
function spread(xs: number[]): { best: number; worst: number } {
  return { best: Math.min(...xs), worst: Math.max(...xs) };
}

/**
 * Our reader (default and transient) and both tools on one file. The rounds interleave ours and
 * capinfos so that load from other processes (2 shared cores here) hits both alike; best of RUNS,
 * with the worst run in the note so the noise is visible.
 */
async function measure(file: string, label: string): Promise<BenchResult[]> {
  await ours(file, 'packets'); // warm the page cache
  const hasCapinfos = await installed('capinfos');
  const hasTshark = await installed('tshark');
  const mine: ReadResult[] = [];
  const mineTransient: ReadResult[] = [];
  const mineFrames: ReadResult[] = [];
  const capinfos: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    mine.push(await ours(file, 'packets'));
    mineTransient.push(await ours(file, 'transient'));
    mineFrames.push(await ours(file, 'frames'));
    if (hasCapinfos) capinfos.push(await timed('capinfos', ['-c', file]));
  }
  const tshark = hasTshark ? await timed('tshark', ['-n', '-r', file, '-q', '-z', 'io,stat,0']) : undefined;
  const pps = (s: number) => BENCH_PACKETS / s;
  const compare: Array<{ name: string; value: number }> = [];
  if (hasCapinfos) compare.push({ name: 'capinfos -c', value: pps(spread(capinfos).best) });
  if (tshark !== undefined) compare.push({ name: 'tshark io,stat', value: pps(tshark) });
  const missing = [hasCapinfos ? '' : 'capinfos', hasTshark ? '' : 'tshark'].filter(Boolean);
  const range = (rs: ReadResult[]) => {
    const { worst } = spread(rs.map((r) => r.seconds));
    return `best of ${RUNS}, worst ${(pps(worst) / 1e6).toFixed(2)} M`;
  };
  const capRange = hasCapinfos ? `; capinfos worst ${(pps(spread(capinfos).worst) / 1e6).toFixed(2)} M` : '';
  const best = (rs: ReadResult[]) => pps(spread(rs.map((r) => r.seconds)).best);
  const row = (rs: ReadResult[], mode: string, target: string, extra: Array<{ name: string; value: number }> = []): BenchResult => ({
    name: `capture.read ${label} 1M packets${mode}`,
    value: best(rs),
    unit: 'packets/s',
    compare: [...compare, ...extra],
    note:
      `target ${target}; ${range(rs)}${capRange}; ${(rs[0].bytes / 1e6).toFixed(0)} MB of packet data; ` +
      `machine shared (2 cores, other jobs running): figures are noisy` +
      (missing.length ? `; not installed: ${missing.join(', ')}` : ''),
  });
  const readTarget = '>= 3,000,000 and >= 1/3 of capinfos';
  return [
    row(mine, '', readTarget),
    row(mineTransient, ' (transient: recycled buffers)', readTarget),
    row(mineFrames, ' (frames: readCaptureFrames, no object per packet)', '>= 2x readCapture transient', [
      { name: 'readCapture transient (same run)', value: best(mineTransient) },
    ]),
    {
      name: `capture.read ${label} peak RSS`,
      value: Math.max(...mine.map((r) => r.maxRssMiB)),
      unit: 'MiB',
      note:
        `whole child process (an empty Node is ~40 MiB); batches dropped as read; transient: ${Math.max(...mineTransient.map((r) => r.maxRssMiB)).toFixed(0)} MiB; ` +
        `frames: ${Math.max(...mineFrames.map((r) => r.maxRssMiB)).toFixed(0)} MiB`,
    },
  ];
}

export async function bench(): Promise<BenchResult[]> {
  return [
    ...(await measure(await ensureBenchCapture(), 'pcap')),
    ...(await measure(await ensureBenchCapturePcapng(), 'pcapng (ns)')),
    // The VPP replay's input (74-byte frames): where the per-packet cost, not the bytes, dominates.
    ...(await measure(await ensureReplayCapture(BENCH_PACKETS), 'pcap 74-byte frames (bench/replay.ts)')),
  ];
}
