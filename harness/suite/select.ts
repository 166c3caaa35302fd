// Choosing which cases run: --grep (a regular expression over case names), --tag (any of), and
// --shard I/N (deterministic: the I-th of every N cases in the stable discovery order, so N CI
// machines given the same checkout run disjoint sets that together cover the suite).

import { InputError } from '../io/input-error.js';

export interface Shard {
  index: number; // 1-based
  total: number;
}

export function parseShard(text: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = m ? Number(m[1]) : NaN;
  const total = m ? Number(m[2]) : NaN;
  // Past 2^53 two numbers read as one (99999999999999999998/99999999999999999999 was 1e20/1e20, accepted).
  if (!m || !Number.isSafeInteger(total) || total < 1 || index < 1 || index > total) throw new InputError(`--shard expects I/N with 1 <= I <= N, got '${text}'`, { key: '--shard' }, 'usage.shard');
  return { index, total };
}

export function parseGrep(text: string): RegExp {
  try {
    return new RegExp(text);
  } catch (e) {
    throw new InputError(`--grep: ${(e as Error).message}`, { key: '--grep' }, 'usage.grep');
  }
}

export function inShard(position: number, shard: Shard | undefined): boolean {
  return !shard || position % shard.total === shard.index - 1;
}
