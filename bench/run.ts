// `npm run bench`: runs every bench module in dist/bench (each exports `bench()`), prints one line
// per measurement with its comparison ratios, and writes bench/out/results.json. Each module runs in
// a fresh process. Speed and memory targets are judged here, against tshark/capinfos measured in
// the same run, never in unit tests.

import { readdir, mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { reportToParent, runInChild } from './child.js';

export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  /** Other tools measured in the same run, same unit. */
  compare?: Array<{ name: string; value: number }>;
  note?: string;
}

type BenchModule = { bench?: () => Promise<BenchResult[]> };

function fmt(v: number): string {
  return v >= 100 ? Math.round(v).toLocaleString('en-US') : v.toPrecision(3);
}

/** One module's bench() in the child process runModuleInChild starts. */
async function child(name: string): Promise<void> {
  const here = dirname(fileURLToPath(import.meta.url));
  const mod = (await import(pathToFileURL(join(here, `${name}.js`)).href)) as BenchModule;
  reportToParent(typeof mod.bench === 'function' ? await mod.bench() : []);
}

/**
 * Each module runs in a fresh process: its time and peak memory are its own, not shaped by the heap
 * the modules before it left (in one process the dissect figures fell to less than half and a peak
 * RSS included earlier modules' peaks).
 */
function runModuleInChild(self: string, name: string): Promise<BenchResult[]> {
  return runInChild<BenchResult[]>(self, ['--child', name]);
}

async function main(): Promise<void> {
  const self = fileURLToPath(import.meta.url);
  const here = dirname(self);
  const only = process.argv.slice(2);
  const files = (await readdir(here)).filter((f) => f.endsWith('.js') && f !== 'run.js').sort();
  const all: Array<BenchResult & { module: string }> = [];
  let failed = false;
  for (const f of files) {
    const name = f.replace(/\.js$/, '');
    if (only.length && !only.includes(name)) continue;
    const mod = (await import(pathToFileURL(join(here, f)).href)) as BenchModule;
    if (typeof mod.bench !== 'function') continue;
    process.stdout.write(`# ${name}\n`);
    try {
      for (const r of await runModuleInChild(self, name)) {
        all.push({ ...r, module: name });
        const cmp = (r.compare ?? []).map((c) => `${c.name} ${fmt(c.value)} ${r.unit} (ours/${c.name} = ${(r.value / c.value).toFixed(2)}x)`);
        process.stdout.write(`  ${r.name}: ${fmt(r.value)} ${r.unit}${cmp.length ? '  vs ' + cmp.join(', ') : ''}${r.note ? `  [${r.note}]` : ''}\n`);
      }
    } catch (e) {
      failed = true;
      process.stdout.write(`  FAILED: ${(e as Error).message}\n`);
    }
  }
  const outDir = join(here, '..', '..', 'bench', 'out');
  await mkdir(outDir, { recursive: true });
  await writeFile(join(outDir, 'results.json'), JSON.stringify(all, null, 2) + '\n');
  if (failed) process.exitCode = 1;
}

if (process.argv[2] === '--child') await child(process.argv[3]);
else await main();
