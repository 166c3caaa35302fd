// Seed 004 read at test time from the repository's verbatim copy (golden/contiv/seed/; a clean clone in CI
// has no ../shared beside it). Missing = loud failure. test/vpp-trace/seed-copy.test.ts ties the copy to its source.

import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SEED_004 = join(REPO_ROOT, 'golden', 'contiv', 'seed', '004_c3bde7ba11825164.txt');

export function readSeed004(): string {
  if (!existsSync(SEED_004)) throw new Error(`seed 004 not found at ${SEED_004}: the repository's verbatim copy of the seed is missing`);
  return readFileSync(SEED_004, 'utf8');
}

export interface SeedBlock {
  /** 0-based block number in the seed. */
  index: number;
  /** 1-based line of the first line inside the fence. */
  line: number;
  text: string;
}

/** Every fenced code block of the seed, verbatim (without the fences), ending with a newline. */
export function seedBlocks(): SeedBlock[] {
  const lines = readSeed004().split('\n');
  const out: SeedBlock[] = [];
  let start = -1;
  for (let i = 0; i < lines.length; i++) {
    if (!lines[i].startsWith('```')) continue;
    if (start < 0) start = i + 1;
    else {
      out.push({ index: out.length, line: start + 1, text: lines.slice(start, i).join('\n') + '\n' });
      start = -1;
    }
  }
  return out;
}

/** The block that lost its first node header line (its first line is a body line at column 0). */
export const DAMAGED_BLOCK = 7;
