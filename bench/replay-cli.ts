// `dpconform replay --format pcap` end to end, as a person runs it: the connection workload's
// 1 M-frame capture (replay-connections.ts: 100,000 TCP connections pod <-> service, both
// directions) through k8s-master of its scenario, written as pcapng. Each run is a fresh process
// (the CLI itself, started through this file's --child, which reports the process's peak RSS as it
// exits); time is wall clock from start to exit, node's start-up included, and the process's CPU
// time (user + system: on shared cores, the figure other load changes least). Compared, in the same
// run, with `tshark -r IN -w OUT -F pcapng` on the same capture (reading and writing the frames,
// no model): the ratio says what the model and its replay cost beyond copying the capture.
//
//   node dist/bench/replay-cli.js      (npm run bench runs bench())

import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { BenchResult } from './run.js';
import { reportToParent, runInChild } from './child.js';
import { connectionCapture, connectionScenario, PLAN } from './replay-connections.js';
import { PACKETS_PER_CONNECTION } from './connections.js';

const RUNS = 3;
const MAIN = join(fileURLToPath(import.meta.url), '..', '..', 'harness', 'cli', 'main.js');

/** The child: the CLI with these arguments, in this process; its peak RSS reported at exit (-o FILE keeps stdout free). */
async function child(args: string[]): Promise<void> {
  process.on('exit', () => {
    const u = process.resourceUsage();
    reportToParent({ maxRssKiB: u.maxRSS, cpuMs: (u.userCPUTime + u.systemCPUTime) / 1000, exitCode: process.exitCode ?? 0 });
  });
  process.argv = [process.argv[0], MAIN, ...args];
  await import(pathToFileURL(MAIN).href);
}

/** Wall-clock ms of `fn`. */
async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t0 = performance.now();
  const value = await fn();
  return { ms: performance.now() - t0, value };
}

function tshark(input: string, output: string): Promise<void> {
  return new Promise((done, fail) => execFile('tshark', ['-r', input, '-w', output, '-F', 'pcapng'], (e) => (e ? fail(e) : done())));
}

export async function bench(): Promise<BenchResult[]> {
  const scenario = await connectionScenario();
  const { capture } = await connectionCapture(scenario);
  const packets = PLAN.connections * PACKETS_PER_CONNECTION;
  const dir = mkdtempSync(join(tmpdir(), 'bench-replay-cli-'));
  try {
    const out = join(dir, 'out.pcapng');
    const args = ['replay', '--scenario', scenario, '--instance', 'k8s-master', '--input', capture, '--format', 'pcap', '-o', out];
    const ours: Array<{ ms: number; rssMiB: number; cpuMs: number }> = [];
    const theirs: number[] = [];
    for (let r = 0; r < RUNS; r++) {
      const run = await timed(() => runInChild<{ maxRssKiB: number; cpuMs: number; exitCode: number }>(fileURLToPath(import.meta.url), ['--child', ...args]));
      if (run.value.exitCode !== 0) throw new Error(`replay exited ${run.value.exitCode}`);
      ours.push({ ms: run.ms, rssMiB: run.value.maxRssKiB / 1024, cpuMs: run.value.cpuMs });
      const written = statSync(out).size;
      if (written === 0) throw new Error("replay wrote an empty file");
      theirs.push((await timed(() => tshark(capture, join(dir, 'tshark.pcapng')))).ms);
    }
    const best = Math.min(...ours.map((o) => o.ms));
    const tsharkBest = Math.min(...theirs);
    const pps = packets / (best / 1000);
    const tsharkPps = packets / (tsharkBest / 1000);
    const name = `replay --format pcap CLI, ${packets.toLocaleString('en-US')} frames (pod->service connections)`;
    return [
      { name: `${name}, end to end`, value: Math.round(pps), unit: 'packets/s', compare: [{ name: 'tshark -r -w -F pcapng', value: Math.round(tsharkPps) }], note: `best of ${RUNS} fresh processes (${ours.map((o) => (o.ms / 1000).toFixed(2)).join(' / ')} s; tshark ${theirs.map((t) => (t / 1000).toFixed(2)).join(' / ')} s); ours/tshark = ${(pps / tsharkPps).toFixed(2)}x` },
      {
        name: `${name}, per CPU-second`,
        value: Math.round(packets / (Math.min(...ours.map((o) => o.cpuMs)) / 1000)),
        unit: 'packets/s',
        note: `user+system CPU time of the CLI process (${ours.map((o) => (o.cpuMs / 1000).toFixed(2)).join(' / ')} s): what the shared cores' other load does not change much`,
      },
      { name: `${name}, peak RSS`, value: Math.round(Math.max(...ours.map((o) => o.rssMiB))), unit: 'MiB', note: `highest of ${RUNS}, the CLI process's maxRSS (${ours.map((o) => Math.round(o.rssMiB)).join(' / ')} MiB)` },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const args = process.argv.slice(2);
  if (args[0] === '--child') await child(args.slice(1));
  else for (const r of await bench()) process.stdout.write(`${r.name}: ${r.value} ${r.unit}  [${r.note ?? ''}]\n`);
}
