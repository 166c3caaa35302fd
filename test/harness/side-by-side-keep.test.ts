// The second read of a bounded diff (suite/side-by-side.ts) keeps (copies) a held packet only when
// its batch is about to be recycled: in-order files pair each packet while its batch is still valid,
// so nothing is copied (every packet of a large capture was copied once: time and garbage).

import { describe, expect, it } from 'vitest';
import { Cursor, pairSideBySide } from '../../harness/suite/side-by-side.js';

async function* batches(items: number[][]): AsyncIterable<number[]> {
  yield* items;
}

async function pairs(a: number[][], b: number[][], partner: number[]): Promise<{ kept: number[]; paired: Array<[number, number]> }> {
  const n = a.flat().length;
  const kept: number[] = [];
  const paired: Array<[number, number]> = [];
  const partnerA = Int32Array.from(partner);
  const partnerB = new Int32Array(n);
  partner.forEach((j, i) => (partnerB[j] = i));
  await pairSideBySide(new Cursor('a', batches(a), n, 'test'), new Cursor('b', batches(b), n, 'test'), partnerA, partnerB, n, (x) => (kept.push(x), x), (_i, _j, x, y) => paired.push([x, y]));
  return { kept, paired };
}

describe('side by side: held packets copied only before their batch is recycled', () => {
  it('in-order files: every pair made, nothing copied', async () => {
    const r = await pairs([[0, 1, 2], [3, 4, 5]], [[10, 11, 12], [13, 14, 15]], [0, 1, 2, 3, 4, 5]);
    expect(r.paired).toEqual([[0, 10], [1, 11], [2, 12], [3, 13], [4, 14], [5, 15]]);
    expect(r.kept).toEqual([]);
  });

  it('a packet whose partner is a batch ahead is copied once, before its batch goes', async () => {
    // A's packet 0 pairs with B's packet 3 (second batch of B).
    const r = await pairs([[0, 1, 2], [3, 4, 5]], [[10, 11, 12], [13, 14, 15]], [3, 0, 1, 2, 4, 5]);
    expect(r.kept).toEqual([0]);
    expect(r.paired).toContainEqual([0, 13]);
    expect(r.paired).toHaveLength(6);
  });
});
