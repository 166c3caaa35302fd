// KeyTable remembers the last key get() found (every packet to a VIP looks up the same `~0`
// entry): the remembered answer must follow overwrites, deletions (which move the last entry into
// the deleted one's place), inserts and growth, and a lookup of it must not hash again.

import { describe, expect, it } from 'vitest';
import { KeyTable, MISS } from '../../models/vpp/nat44/bihash.js';

describe('KeyTable: the last key found', () => {
  it('is answered without hashing again while no key is added or removed', () => {
    let hashes = 0;
    const t = new KeyTable(undefined, (a) => {
      hashes++;
      return a;
    });
    t.set(1, 2, 3, 4, 10);
    expect(t.get(1, 2, 3, 4)).toBe(10);
    const before = hashes;
    expect(t.get(1, 2, 3, 4)).toBe(10);
    expect(hashes).toBe(before);
    // Another key's miss leaves it remembered.
    expect(t.get(5, 5, 5, 5)).toBe(MISS);
    expect(t.get(1, 2, 3, 4)).toBe(10);
  });

  it('gives the new value after an overwrite, misses after its deletion, and follows its entry when another deletion moves it', () => {
    const t = new KeyTable();
    for (const k of [1, 2, 3]) t.set(k, k, k, k, 10 * k);
    expect(t.get(3, 3, 3, 3)).toBe(30);
    // Deleting the first entry moves the last (3:3:3:3) into its place.
    t.delete(1, 1, 1, 1);
    expect(t.get(3, 3, 3, 3)).toBe(30);
    t.set(3, 3, 3, 3, 31);
    expect(t.get(3, 3, 3, 3)).toBe(31);
    t.delete(3, 3, 3, 3);
    expect(t.get(3, 3, 3, 3)).toBe(MISS);
    expect(t.get(2, 2, 2, 2)).toBe(20);
  });

  it('is found again after the table grows', () => {
    const t = new KeyTable();
    t.set(7, 7, 7, 7, 70);
    expect(t.get(7, 7, 7, 7)).toBe(70);
    for (let k = 100; k < 1100; k++) t.set(k, k, 0, 0, k);
    expect(t.get(7, 7, 7, 7)).toBe(70);
    for (let k = 100; k < 1100; k++) expect(t.get(k, k, 0, 0)).toBe(k);
  });
});
