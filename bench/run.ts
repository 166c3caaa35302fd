// `npm run bench`: runs every bench module in dist/bench (each exports `bench()`), prints one line
// per measurement with its comparison ratios, and writes bench/out/results.json. Speed and memory
// targets are judged here, against tshark/capinfos measured in the same run, never in unit tests.

import { readdir, mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

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

async function main(): Promise<void> {
  const here = dirname(fileURLToPath(import.meta.url));
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
      for (const r of await mod.bench()) {
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

await main();
