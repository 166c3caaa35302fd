// StaticMappings lookups (snat_static_mapping_match's tables): exact {addr, port, proto, FIB} first,
// then the address-only {addr, 0, 0, FIB}; by-external in the outside FIB, by-local in the
// mapping's FIB (any FIB index, large ones included); the numeric matchExternal / matchLocal give
// what match() with a key object gives, including the LB draw; the remembered last external lookup
// never outlives an add(). Also the LB pick's u32 remainder and the LCG against BigInt arithmetic.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lbPrefixes, pickBackendFromDraw } from '../../models/vpp/nat44/lb.js';
import { NatProto } from '../../models/vpp/nat44/keys.js';
import { StaticMappings, type StaticMapping } from '../../models/vpp/nat44/mappings.js';
import { NatRandom } from '../../models/vpp/nat44/random.js';

const OUTSIDE_FIB = 9;
const A = 0x0a000001;
const E = 0xc0a80001;

function mapping(over: Partial<StaticMapping>): StaticMapping {
  return {
    localAddr: A,
    localPort: 0,
    externalAddr: E,
    externalPort: 0,
    proto: 0,
    addrOnly: true,
    fib: 0,
    twiceNat: false,
    selfTwiceNat: false,
    out2inOnly: false,
    locals: [],
    prefixes: [],
    ...over,
  };
}

describe('StaticMappings', () => {
  it('finds the port mapping first, else the address-only one, by external (outside FIB) and by local (its FIB)', () => {
    const ms = new StaticMappings(OUTSIDE_FIB);
    const addrOnly = mapping({ fib: 12 });
    const port = mapping({ localPort: 8080, externalPort: 80, proto: NatProto.TCP, addrOnly: false, fib: 12 });
    ms.add(addrOnly);
    ms.add(port);
    expect(ms.findByExternal(E, 80, NatProto.TCP)).toBe(port);
    expect(ms.findByExternal(E, 80, NatProto.UDP)).toBe(addrOnly);
    expect(ms.findByExternal(E, 81, NatProto.TCP)).toBe(addrOnly);
    expect(ms.findByExternal(E + 1, 80, NatProto.TCP)).toBeUndefined();
    expect(ms.findByLocal(A, 8080, NatProto.TCP, 12)).toBe(port);
    expect(ms.findByLocal(A, 8081, NatProto.TCP, 12)).toBe(addrOnly);
    expect(ms.findByLocal(A, 8080, NatProto.TCP, 0)).toBeUndefined();
  });

  it('the remembered last external lookup follows other lookups and a later add()', () => {
    const ms = new StaticMappings(0);
    const first = mapping({ externalPort: 80, proto: NatProto.TCP, addrOnly: false });
    ms.add(first);
    expect(ms.findByExternal(E, 80, NatProto.TCP)).toBe(first);
    expect(ms.findByExternal(E, 81, NatProto.TCP)).toBeUndefined();
    expect(ms.findByExternal(E, 80, NatProto.UDP)).toBeUndefined();
    expect(ms.findByExternal(E, 80, NatProto.TCP)).toBe(first);
    const replacing = mapping({ externalPort: 80, proto: NatProto.TCP, addrOnly: false, localAddr: A + 9 });
    ms.add(replacing);
    expect(ms.findByExternal(E, 80, NatProto.TCP)).toBe(replacing);
    const addrOnly = mapping({ externalAddr: E + 1 });
    expect(ms.findByExternal(E + 1, 80, NatProto.TCP)).toBeUndefined();
    ms.add(addrOnly);
    expect(ms.findByExternal(E + 1, 80, NatProto.TCP)).toBe(addrOnly);
  });

  it('a later mapping with the same key replaces the earlier one in the lookup', () => {
    const ms = new StaticMappings(0);
    const first = mapping({ localAddr: A });
    const second = mapping({ localAddr: A + 5 });
    ms.add(first);
    ms.add(second);
    expect(ms.findByExternal(E, 0, 0)).toBe(second);
    expect(ms.all).toEqual([first, second]);
  });

  it('matchExternal / matchLocal equal match() with a key, and draw the LB backend from the same generator position', () => {
    const ms = new StaticMappings(OUTSIDE_FIB);
    const locals = [0, 1, 2].map((i) => ({ addr: A + i, port: 8080 + i, probability: 33, prefix: 0, fib: 3 }));
    ms.add(mapping({ externalPort: 80, proto: NatProto.TCP, addrOnly: false, locals }));
    const r1 = new NatRandom(0);
    const r2 = new NatRandom(0);
    for (let n = 0; n < 20; n++) {
      const byKey = ms.match({ addr: E, port: 80, proto: NatProto.TCP, fib: 0 }, true, r1);
      const picked = byKey && { ...byKey.key, backend: byKey.backend };
      const byNumbers = ms.matchExternal(E, 80, NatProto.TCP, r2);
      expect(byNumbers && { ...byNumbers.key, backend: byNumbers.backend }).toEqual(picked);
    }
    expect(r1.seed).toBe(r2.seed);
    // The result object is reused by the next match: copy the key before matching again.
    const local = { ...ms.matchLocal(A + 1, 8081, NatProto.TCP, 3)?.key };
    expect(local).toEqual({ addr: E, port: 80, proto: NatProto.TCP, fib: OUTSIDE_FIB });
    expect({ ...ms.match({ addr: A + 1, port: 8081, proto: NatProto.TCP, fib: 3 }, false, r1)?.key }).toEqual(local);
    expect(ms.matchLocal(A + 1, 8081, NatProto.TCP, 0)).toBeUndefined();
  });
});

describe('LB backend pick', () => {
  it('rand = 1 + draw mod prefix[last] for every u32 draw (above 2^31 too), then the first prefix >= rand', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 255 }), { minLength: 1, maxLength: 6 }), fc.integer({ min: 0, max: 0xffffffff }), (probs, draw) => {
        const prefixes = lbPrefixes(probs);
        const last = prefixes[prefixes.length - 1];
        if (last === 0) return;
        const rand = 1 + Number(BigInt(draw) % BigInt(last));
        const first = prefixes.findIndex((p) => p >= rand);
        // VPP's binary search over prefixes that wrapped past 255 may land below rand: -1 then.
        const got = pickBackendFromDraw(prefixes, draw);
        if (got >= 0) expect(prefixes[got]).toBeGreaterThanOrEqual(rand);
        if (prefixes.every((p, i) => i === 0 || p >= prefixes[i - 1])) expect(got).toBe(first);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('NatRandom (random_u32)', () => {
  it('draws seed := 1664525 * seed + 1013904223 mod 2^32 from any u32 seed, and reads back the u32 seed', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), (start) => {
        const r = new NatRandom(start);
        expect(r.seed).toBe(start);
        let ref = BigInt(start);
        for (let i = 0; i < 50; i++) {
          ref = (1664525n * ref + 1013904223n) % 2n ** 32n;
          expect(r.next()).toBe(Number(ref));
          expect(r.seed).toBe(Number(ref));
        }
        r.seed = 0xfffffffe;
        expect(r.seed).toBe(0xfffffffe);
      }),
      { numRuns: 200 },
    );
  });
});
