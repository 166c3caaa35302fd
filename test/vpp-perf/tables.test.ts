// The session-table structures of the replay fast path against plain reference models (fast-check):
// KeyTable (bihash-like open addressing) against a Map of joined keys, IndexPool against VPP's pool
// semantics (LIFO free list, else append), and NatThreadState's allocation, hashing, LRU recycling
// and deletion against the behaviour vpp-facts §8.6 states.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KeyTable, MISS, type KeyHash } from '../../models/vpp/nat44/bihash.js';
import { IndexPool } from '../../models/vpp/nat44/vpp-pool.js';
import { LB_STATIC, NatThreadState } from '../../models/vpp/nat44/sessions.js';
import { AddressPool } from '../../models/vpp/nat44/addresses.js';

/** Keys from a small space so that probe runs collide, wrap and get shifted back on delete. */
const word = fc.oneof(fc.integer({ min: 0, max: 3 }), fc.constant(0xffffffff), fc.integer({ min: 0, max: 0xffffffff }));
const key = fc.tuple(word, word, fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 2 }));
const op = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), key, value: fc.integer({ min: 0, max: 0xffffffff }) }),
  fc.record({ kind: fc.constant('delete' as const), key }),
  fc.record({ kind: fc.constant('get' as const), key }),
);

describe('KeyTable', () => {
  // The slot array stores only 32-bit hashes: a weak hash (many keys per hash, or all keys one
  // hash) shows that a hash match is confirmed against the full key, and that deletion's entry
  // compaction finds the moved entry's slot among equal hashes.
  const hashes: Array<[string, KeyHash | undefined]> = [
    ['murmur', undefined],
    ['4 hash values', (a, b, c, d) => (a ^ b ^ c ^ d) & 3],
    ['one hash value', () => 0],
  ];
  it.each(hashes)('behaves as a Map over the four words through sets, overwrites, deletes and growth (%s hash)', (_name, hash) => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 400 }), (ops) => {
        const t = new KeyTable(undefined, hash);
        const ref = new Map<string, number>();
        for (const o of ops) {
          const [a, b, c, d] = o.key;
          const k = o.key.join(':');
          if (o.kind === 'set') {
            t.set(a, b, c, d, o.value);
            ref.set(k, o.value);
          } else if (o.kind === 'delete') expect(t.delete(a, b, c, d)).toBe(ref.delete(k));
          else expect(t.get(a, b, c, d)).toBe(ref.get(k) ?? MISS);
          expect(t.size).toBe(ref.size);
        }
        // Every surviving key is still reachable after the deletions' backward shifts.
        for (const [k, v] of ref) {
          const [a, b, c, d] = k.split(':').map(Number);
          expect(t.get(a, b, c, d)).toBe(v);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('holds the ~0 value apart from a miss', () => {
    const t = new KeyTable();
    t.set(1, 2, 3, 4, 0xffffffff);
    expect(t.get(1, 2, 3, 4)).toBe(0xffffffff);
    expect(t.get(1, 2, 3, 5)).toBe(MISS);
  });
});

describe('IndexPool', () => {
  it('pool_get takes the most recently freed index, else appends; pool_put of a free index throws', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.constant(-1), fc.nat(60)), { maxLength: 300 }), (ops) => {
        const pool = new IndexPool();
        const live: number[] = [];
        const freed: number[] = [];
        let high = 0;
        for (const o of ops) {
          if (o === -1 || live.length === 0) {
            const expected = freed.length > 0 ? freed.pop()! : high++;
            expect(pool.get()).toBe(expected);
            live.push(expected);
          } else {
            const [i] = live.splice(o % live.length, 1);
            pool.put(i);
            freed.push(i);
            expect(() => pool.put(i)).toThrow(/already free/);
          }
          expect(pool.size).toBe(live.length);
        }
        for (const i of live) expect(pool.isLive(i)).toBe(true);
        for (const i of freed) expect(pool.isLive(i)).toBe(false);
      }),
    );
  });
});

describe('NatThreadState', () => {
  const TCP = 1;
  const state = (perUser = 1000) => new NatThreadState(perUser, 1_000_000, new AddressPool());

  it('sessions are found by their 8-byte keys until deleted; freed indices are reused LIFO', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.constant(-1), fc.nat(40)), { maxLength: 200 }), (ops) => {
        const t = state();
        const u = t.userOf(0x0a010105, 0);
        const live = new Map<number, number>(); // session -> its inside port
        const freed: number[] = [];
        let high = 0;
        let port = 1;
        for (const o of ops) {
          if (o === -1 || live.size === 0) {
            const s = t.allocate(u, false);
            expect(s).toBe(freed.length > 0 ? freed.pop()! : high++);
            t.setIn2out(s, 0x0a010105, port, TCP, 0);
            t.setOut2in(s, 0xc0a81001, port, TCP, 0);
            t.hash(s);
            live.set(s, port++);
          } else {
            const s = [...live.keys()][o % live.size];
            t.delete(s);
            live.delete(s);
            freed.push(s);
          }
        }
        for (const [s, p] of live) {
          expect(NatThreadState.getKey8(t.in2out, 0x0a010105, p, TCP, 0)).toBe(s);
          expect(NatThreadState.getKey8(t.out2in, 0xc0a81001, p, TCP, 0)).toBe(s);
        }
        expect(t.in2out.size).toBe(live.size);
        expect(t.sessions.size).toBe(live.size);
        expect(t.userSessions(u).sort((a, b) => a - b)).toEqual([...live.keys()].sort((a, b) => a - b));
      }),
    );
  });

  it('at max_translations_per_user the least recently used dynamic session is recycled in place (same index, old keys gone)', () => {
    const t = state(3);
    const u = t.userOf(0x0a000001, 0);
    const made = [10, 11, 12].map((p) => {
      const s = t.allocate(u, false);
      t.setIn2out(s, 0x0a000001, p, TCP, 0);
      t.setOut2in(s, 0xc0000201, p, TCP, 0);
      t.hash(s);
      return s;
    });
    expect(made).toEqual([0, 1, 2]);
    t.touch(0); // 1 is now the least recently used
    const s = t.allocate(u, false);
    expect(s).toBe(1);
    expect(NatThreadState.getKey8(t.in2out, 0x0a000001, 11, TCP, 0)).toBe(MISS);
    expect(t.userSessions(u)).toEqual([2, 0, 1]);
    expect(t.sessions.size).toBe(3);
  });

  it('at the limit the LRU head is recycled even when it is a static-mapping session, and the counters stay at the limit (VPP 18.01)', () => {
    const t = state(2);
    const u = t.userOf(0x0a010105, 0); // an LB backend: every session to it is a static-mapping one
    expect([t.allocate(u, true), t.allocate(u, true)]).toEqual([0, 1]);
    // Third and fourth flow: no throw, the least recently used is reused in place.
    expect(t.allocate(u, true)).toBe(0);
    expect(t.allocate(u, true)).toBe(1);
    expect(t.sessions.size).toBe(2);
    // nat_session_alloc_or_recycle does not decrement the user's counters for the recycled session,
    // and user_session_increment counts only below the limit (vpp-dev/vpp src/plugins/nat/nat.h @
    // 2994d210: `if (u->nsessions + u->nstaticsessions < sm->max_translations_per_user)`; this test
    // asserted 4 before): after a delete the user is below its limit, so the next session takes a
    // pool index (the freed one), not a recycle.
    expect(t.users[u].nstaticsessions).toBe(2);
    t.delete(0);
    expect(t.allocate(u, true)).toBe(0);
    expect(t.sessions.size).toBe(2);
  });

  it('ED keys are exact over all six fields and removed with their session', () => {
    const t = state();
    const s = t.allocate(t.userOf(1, 0), true);
    t.hashEdOut2in(s, 0x0a68dd55, 0x0a01010a, 6, 0, 80, 1024);
    expect(NatThreadState.getEd(t.out2inEd, 0x0a68dd55, 0x0a01010a, 6, 0, 80, 1024)).toBe(s);
    for (const other of [
      [0x0a68dd56, 0x0a01010a, 6, 0, 80, 1024],
      [0x0a68dd55, 0x0a01010b, 6, 0, 80, 1024],
      [0x0a68dd55, 0x0a01010a, 17, 0, 80, 1024],
      [0x0a68dd55, 0x0a01010a, 6, 1, 80, 1024],
      [0x0a68dd55, 0x0a01010a, 6, 0, 81, 1024],
      [0x0a68dd55, 0x0a01010a, 6, 0, 80, 1025],
    ])
      expect(NatThreadState.getEd(t.out2inEd, other[0], other[1], other[2], other[3], other[4], other[5])).toBe(MISS);
    t.delete(s);
    expect(NatThreadState.getEd(t.out2inEd, 0x0a68dd55, 0x0a01010a, 6, 0, 80, 1024)).toBe(MISS);
    // The LB entries' value is neither a miss nor a session index the pool hands out.
    expect(LB_STATIC).not.toBe(MISS);
    expect(LB_STATIC).toBeGreaterThan(1 << 30);
  });
});
