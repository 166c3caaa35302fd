// RecordIndex (the ACL connection hash and NAT44's ED hashes over the session records) against a Map: any interleaving of
// lookups, inserts, overwrites and deletions - including a set right after another key's miss, or
// after a deletion or growth, where the remembered empty slot must not be used - finds exactly the
// keys the Map holds. And the set that follows a miss of the same key probes nothing again.

import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { keyHash, RecordIndex, NOT_FOUND } from '../../models/vpp/record-index.js';

const STRIDE = 8;

/**
 * A RecordIndex with its records: session s holds the key it was last set under at word `offset`
 * of its record, and the complement of that key in the other four words (as NAT44's ED words hold
 * another key there), so an index reading the wrong words finds the wrong sessions.
 */
function indexWithRecords(offset = 0) {
  const owner = { records: new Int32Array(0) };
  const index = new RecordIndex(owner, STRIDE, undefined, offset);
  const put = (s: number, k: number[]) => {
    if ((s + 1) * STRIDE > owner.records.length) {
      const bigger = new Int32Array(Math.max(64, owner.records.length * 2, (s + 1) * STRIDE));
      bigger.set(owner.records);
      owner.records = bigger;
    }
    owner.records.set(k.map((w) => ~w), s * STRIDE + (4 - offset));
    owner.records.set(k, s * STRIDE + offset);
  };
  return { index, put };
}

// Few distinct keys, so they collide often in the home slots of a small table.
const word = fc.constantFrom(0, 0xffffffff);
const key = fc.tuple(word, word, fc.nat(5), fc.constantFrom(0x60001, 0x60002));
const op = fc.oneof(
  fc.record({ kind: fc.constant('get' as const), key }),
  fc.record({ kind: fc.constant('set' as const), key }),
  fc.record({ kind: fc.constant('getThenSet' as const), key }),
  // A miss, then another key set or deleted, then the missed key set: its remembered slot is stale.
  fc.record({ kind: fc.constant('missThenOther' as const), key, other: key, deleteOther: fc.boolean() }),
  fc.record({ kind: fc.constant('delete' as const), key }),
);

describe('RecordIndex', () => {
  it.each([0, 4])('finds exactly what a Map holds through gets, sets, overwrites, deletions and growth (key at word %i)', (offset) => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 300 }), (ops) => {
        const { index, put } = indexWithRecords(offset);
        const ref = new Map<string, number>();
        let next = 0;
        const set = (k: number[]) => {
          // A new session index per set: the record is written before it is indexed (as sessions.ts does).
          const s = next++;
          put(s, k);
          index.set(k[0], k[1], k[2], k[3], s);
          ref.set(k.join(':'), s);
        };
        for (const o of ops) {
          const k = o.key.map((w) => w | 0);
          const name = k.join(':');
          if (o.kind === 'get') expect(index.get(k[0], k[1], k[2], k[3])).toBe(ref.get(name) ?? NOT_FOUND);
          else if (o.kind === 'set') set(k);
          else if (o.kind === 'getThenSet') {
            if (index.get(k[0], k[1], k[2], k[3]) === NOT_FOUND) set(k);
          } else if (o.kind === 'missThenOther') {
            const other = o.other.map((w) => w | 0);
            if (index.get(k[0], k[1], k[2], k[3]) !== NOT_FOUND || other.join(':') === name) continue;
            if (o.deleteOther) expect(index.delete(other[0], other[1], other[2], other[3])).toBe(ref.delete(other.join(':')));
            else set(other);
            set(k);
          } else expect(index.delete(k[0], k[1], k[2], k[3])).toBe(ref.delete(name));
          expect(index.size).toBe(ref.size);
        }
        for (const [name, s] of ref) {
          const k = name.split(':').map(Number);
          expect(index.get(k[0], k[1], k[2], k[3])).toBe(s);
        }
      }),
      {
        numRuns: 300,
        examples: [
          // A deletion whose hole must pull in a later key that has the hole as its home slot.
          [
            [
              { kind: 'missThenOther', key: [0, 0, 0, 0x60001], other: [0xffffffff, 0xffffffff, 4, 0x60001], deleteOther: false },
              { kind: 'getThenSet', key: [0, 0, 4, 0x60001] },
              { kind: 'missThenOther', key: [0, 0, 1, 0x60001], other: [0xffffffff, 0xffffffff, 4, 0x60001], deleteOther: true },
            ],
          ],
        ],
      },
    );
  });

  it('a set right after the same key missed reuses the miss: no second probe', () => {
    const { index, put } = indexWithRecords();
    const probe = vi.spyOn(index as unknown as { probe: () => number }, 'probe');
    expect(index.get(1, 2, 3, 4)).toBe(NOT_FOUND);
    put(0, [1, 2, 3, 4]);
    index.set(1, 2, 3, 4, 0);
    expect(probe).toHaveBeenCalledTimes(1);
    // Another key's miss in between: the set must probe for its own slot.
    expect(index.get(5, 6, 7, 8)).toBe(NOT_FOUND);
    put(1, [9, 9, 9, 9]);
    index.set(9, 9, 9, 9, 1);
    expect(probe).toHaveBeenCalledTimes(3);
    expect(index.get(9, 9, 9, 9)).toBe(1);
    expect(index.get(1, 2, 3, 4)).toBe(0);
  });

  it('keyHash is never 0 (the empty-slot mark) and spreads keys differing in one port', () => {
    const homes = new Set<number>();
    for (let port = 0; port < 4096; port++) {
      const h = keyHash(0x0a010103, 0x0a68dd55, ((1024 + port) << 16) | 80, 0x60002);
      expect(h).not.toBe(0);
      homes.add(h & 4095);
    }
    // 4096 keys into 4096 home slots at random would fill about 63% of them.
    expect(homes.size).toBeGreaterThan(2400);
  });
});
