// KeyTable's miss-then-insert path (a new flow's get() misses, then set() inserts the same key at
// the slot that probe ended on, without hashing or probing again) against a Map, with the hashes
// that make probe runs collide: lookups, inserts, overwrites and deletes interleaved so that the
// remembered slot is sometimes still valid and sometimes invalidated (another insert, a delete's
// backward shift, growth). Also IndexPool.reserve (pool_alloc): room only, same indices.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KeyTable, MISS, type KeyHash } from '../../models/vpp/nat44/bihash.js';
import { IndexPool } from '../../models/vpp/nat44/vpp-pool.js';

/** Keys over few distinct words (so probe runs collide and wrap), as [a, b, c, d]. */
const keyOf = (n: number): [number, number, number, number] => [n & 1 ? 0xffffffff : 0, (n >> 1) & 3, (n >> 3) & 3, 0];
/** An operation: 0-1 get then set if absent (the replay's pattern), 2 delete, 3 get, 4 set (overwrite or insert); on key n; value v. */
const step = fc.tuple(fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 31 }), fc.integer({ min: 0, max: 0xffffffff }));

describe('KeyTable get-miss then set', () => {
  const weak: Record<string, KeyHash | undefined> = { murmur: undefined, 'two hash values': (a, b) => (a ^ b) & 1, 'one hash value': () => 5 };
  it.each(Object.keys(weak))('returns what a Map returns, through misses, inserts at the remembered slot, deletes and growth (%s hash)', (name) => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 300 }), (steps) => {
        const t = new KeyTable(undefined, weak[name]);
        const ref = new Map<number, number>();
        for (const [kind, n, v] of steps) {
          const [a, b, c, d] = keyOf(n);
          if (kind <= 1) {
            const got = t.get(a, b, c, d);
            expect(got).toBe(ref.get(n) ?? MISS);
            if (got === MISS) {
              t.set(a, b, c, d, v);
              ref.set(n, v);
            }
          } else if (kind === 2) expect(t.delete(a, b, c, d)).toBe(ref.delete(n));
          else if (kind === 3) expect(t.get(a, b, c, d)).toBe(ref.get(n) ?? MISS);
          else {
            t.set(a, b, c, d, v);
            ref.set(n, v);
          }
          expect(t.size).toBe(ref.size);
        }
        for (let n = 0; n < 32; n++) expect(t.get(...keyOf(n))).toBe(ref.get(n) ?? MISS);
      }),
      { numRuns: 400 },
    );
  });

  it('the set that follows a miss of the same key hashes nothing again (the miss stands)', () => {
    let hashes = 0;
    const t = new KeyTable(undefined, (a, b) => {
      hashes++;
      return (a ^ b) & 3;
    });
    t.set(9, 9, 9, 9, 1);
    expect(t.get(1, 2, 3, 4)).toBe(MISS);
    const before = hashes;
    t.set(1, 2, 3, 4, 7);
    expect(hashes).toBe(before);
    expect(t.get(1, 2, 3, 4)).toBe(7);
  });

  it('a miss followed by inserts of other keys, then of the missed key, finds every key (the remembered slot was taken)', () => {
    const t = new KeyTable(undefined, () => 7);
    expect(t.get(1, 1, 1, 1)).toBe(MISS);
    t.set(2, 2, 2, 2, 20); // takes the slot the miss ended on
    t.set(1, 1, 1, 1, 10);
    expect([t.get(1, 1, 1, 1), t.get(2, 2, 2, 2)]).toEqual([10, 20]);
    expect(t.get(3, 3, 3, 3)).toBe(MISS);
    t.delete(2, 2, 2, 2); // shifts the probe run back
    t.set(3, 3, 3, 3, 30);
    expect([t.get(1, 1, 1, 1), t.get(2, 2, 2, 2), t.get(3, 3, 3, 3)]).toEqual([10, MISS, 30]);
    expect(t.size).toBe(2);
  });
});

describe('IndexPool.reserve', () => {
  it('hands out the same indices as a pool that grows, before and after the reserved room', () => {
    const a = new IndexPool();
    const b = new IndexPool();
    b.reserve(100);
    const run = (p: IndexPool) => {
      const got: number[] = [];
      for (let i = 0; i < 150; i++) {
        got.push(p.get());
        if (i % 5 === 4) p.put(got[i - 2]);
      }
      return { got, size: p.size };
    };
    expect(run(b)).toEqual(run(a));
  });
});
