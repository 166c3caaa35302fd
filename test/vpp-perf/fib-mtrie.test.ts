// ip4-lookup's mtrie (models/vpp/fib-mtrie.ts) must answer every lookup exactly as the longest-first
// scan of the FIB's maps does (entry and prefix length), and must never answer from a configuration
// that has since changed: every way of changing the maps (entry added, replaced, deleted, a length
// added / deleted / cleared, a map the FIB cannot watch) is followed by lookups that a stale trie
// would get wrong.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Vm } from '../../models/vpp/graph.js';
import { FibLengths, FibPrefixMap, scanLongestFirst } from '../../models/vpp/fib-prefixes.js';
import { currentMtrie } from '../../models/vpp/fib-mtrie.js';
import { loadScenario } from '../../models/vpp/configure.js';
import { ip4ToU32 } from '../../harness/wire/address.js';
import type { Fib, FibEntry } from '../../models/vpp/state.js';

const maskOf = (len: number): number => (len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0);

function vmWithFib(): { vm: Vm; fib: Fib } {
  const vm = new Vm('t');
  const fib: Fib = { index: 0, tableId: 0, byLength: new FibLengths() };
  vm.fibs.set(0, fib);
  return { vm, fib };
}

function add(fib: Fib, network: number, len: number, lbIndex: number): void {
  const net = (network & maskOf(len)) >>> 0;
  (fib.byLength as FibLengths).prefixes(len).set(net, { network: net, prefixLength: len, lbIndex });
}

/** What the model's lookup answered, next to what the scan of the maps answers. */
function both(vm: Vm, fib: Fib, addr: number): { got: [number, number]; want: [number, number] } {
  vm.lastPrefixLength = -7;
  const lb = vm.fibLookupLb(0, addr);
  const got: [number, number] = [lb, lb < 0 ? -7 : vm.lastPrefixLength];
  const hit = { length: -7 };
  const e = scanLongestFirst(fib.byLength, addr, hit);
  return { got, want: e ? [e.lbIndex, hit.length] : [-1, -7] };
}

const u32 = fc.integer({ min: 0, max: 0xffffffff });
const prefix = fc.record({ network: u32, len: fc.integer({ min: 0, max: 32 }), lb: fc.nat(2_000_000) });
/** Addresses inside, next to and away from the prefixes (a random u32 rarely hits a long one). */
const probesFor = (prefixes: { network: number; len: number }[]) =>
  fc.array(
    fc.oneof(
      u32,
      fc.tuple(fc.nat(Math.max(0, prefixes.length - 1)), u32, fc.integer({ min: 0, max: 32 })).map(([i, noise, bits]) => {
        const p = prefixes[i] ?? { network: 0, len: 0 };
        // The prefix's network with its low `bits` bits randomised: inside it or just outside.
        const keep = maskOf(32 - Math.min(bits, 32));
        return (((p.network & keep) | (noise & ~keep)) >>> 0) as number;
      }),
    ),
    { minLength: 1, maxLength: 40 },
  );

describe('ip4 FIB mtrie', () => {
  it('answers every lookup as the longest-first scan of the maps does (entry and prefix length)', () => {
    fc.assert(
      fc.property(
        fc.array(prefix, { maxLength: 40 }).chain((ps) => fc.tuple(fc.constant(ps), probesFor(ps))),
        ([prefixes, probes]) => {
          const { vm, fib } = vmWithFib();
          for (const p of prefixes) add(fib, p.network, p.len, p.lb);
          for (const a of [...probes, ...prefixes.map((p) => p.network)]) {
            const { got, want } = both(vm, fib, a);
            expect(got).toEqual(want);
          }
          expect(fib.mtrie).toBeDefined();
        },
      ),
      { numRuns: 300 },
    );
  });

  it('never answers from an older configuration: any change between lookups is seen', () => {
    const change = fc.oneof(
      prefix.map((p) => ({ kind: 'add' as const, ...p })),
      fc.record({ kind: fc.constant('delete' as const), pick: fc.nat(), len: fc.integer({ min: 0, max: 32 }) }),
      fc.record({ kind: fc.constant('replace' as const), pick: fc.nat(), lb: fc.nat(2_000_000) }),
      fc.record({ kind: fc.constant('dropLength' as const), len: fc.integer({ min: 0, max: 32 }) }),
      fc.record({ kind: fc.constant('clearLength' as const), len: fc.integer({ min: 0, max: 32 }) }),
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(change, fc.array(u32, { minLength: 1, maxLength: 6 })), { maxLength: 30 }), (steps) => {
        const { vm, fib } = vmWithFib();
        const added: { network: number; len: number }[] = [];
        for (const [c, probes] of steps) {
          const maps = fib.byLength as FibLengths;
          if (c.kind === 'add') {
            add(fib, c.network, c.len, c.lb);
            added.push({ network: (c.network & maskOf(c.len)) >>> 0, len: c.len });
          } else if (c.kind === 'delete' && added.length > 0) {
            const p = added[c.pick % added.length];
            maps.get(p.len)?.delete(p.network);
          } else if (c.kind === 'replace' && added.length > 0) {
            // Same key, another entry: the maps' sizes do not change.
            const p = added[c.pick % added.length];
            maps.get(p.len)?.set(p.network, { network: p.network, prefixLength: p.len, lbIndex: c.lb });
          } else if (c.kind === 'dropLength') maps.delete(c.len);
          else if (c.kind === 'clearLength') maps.get(c.len)?.clear();
          for (const a of [...probes, ...added.map((p) => p.network)]) {
            const { got, want } = both(vm, fib, a);
            expect(got).toEqual(want);
          }
        }
      }),
      { numRuns: 200 },
    );
  });

  it('sees an entry added, replaced and deleted after a lookup (a stale trie fails each step)', () => {
    const { vm, fib } = vmWithFib();
    const addr = ip4ToU32('10.1.1.5');
    add(fib, ip4ToU32('10.0.0.0'), 8, 1);
    expect(vm.fibLookupLb(0, addr)).toBe(1);
    add(fib, ip4ToU32('10.1.1.0'), 24, 2);
    expect(vm.fibLookupLb(0, addr)).toBe(2);
    expect(vm.lastPrefixLength).toBe(24);
    fib.byLength.get(24)!.set(ip4ToU32('10.1.1.0'), { network: ip4ToU32('10.1.1.0'), prefixLength: 24, lbIndex: 3 });
    expect(vm.fibLookupLb(0, addr)).toBe(3);
    fib.byLength.get(24)!.delete(ip4ToU32('10.1.1.0'));
    expect(vm.fibLookupLb(0, addr)).toBe(1);
    fib.byLength.delete(8);
    expect(vm.fibLookupLb(0, addr)).toBe(-1);
    add(fib, ip4ToU32('10.1.1.5'), 32, 4);
    expect(vm.fibLookupLb(0, addr)).toBe(4);
    fib.byLength.clear();
    expect(vm.fibLookupLb(0, addr)).toBe(-1);
  });

  it('two FIBs sharing one set of maps both see a change (every mtrie built from them goes stale)', () => {
    const { vm, fib } = vmWithFib();
    const vm2 = new Vm('t2');
    vm2.fibs.set(0, { index: 0, tableId: 0, byLength: fib.byLength });
    const addr = ip4ToU32('10.9.8.7');
    add(fib, ip4ToU32('10.0.0.0'), 8, 1);
    expect([vm.fibLookupLb(0, addr), vm2.fibLookupLb(0, addr)]).toEqual([1, 1]);
    add(fib, ip4ToU32('10.9.0.0'), 16, 2);
    expect([vm.fibLookupLb(0, addr), vm2.fibLookupLb(0, addr)]).toEqual([2, 2]);
    // And a FIB given other maps is searched in those.
    const other = new FibLengths();
    vm2.fibs.get(0)!.byLength = other;
    expect(vm2.fibLookupLb(0, addr)).toBe(-1);
  });

  it('a FIB holding a map it cannot watch is scanned, and the scan sees that map change', () => {
    const { vm, fib } = vmWithFib();
    const addr = ip4ToU32('192.168.1.9');
    add(fib, 0, 0, 1);
    expect(vm.fibLookupLb(0, addr)).toBe(1);
    const plain = new Map<number, FibEntry>();
    fib.byLength.set(24, plain);
    expect(vm.fibLookupLb(0, addr)).toBe(1);
    plain.set(ip4ToU32('192.168.1.0'), { network: ip4ToU32('192.168.1.0'), prefixLength: 24, lbIndex: 2 });
    expect(vm.fibLookupLb(0, addr)).toBe(2);
    expect(currentMtrie(fib)).toBeNull();
    // Another FIB's watched map is not this FIB's to watch either.
    const other = new FibLengths();
    const foreign = new FibPrefixMap(other);
    const { vm: vm2, fib: fib2 } = vmWithFib();
    fib2.byLength.set(16, foreign);
    expect(vm2.fibLookupLb(0, addr)).toBe(-1);
    foreign.set(ip4ToU32('192.168.0.0'), { network: ip4ToU32('192.168.0.0'), prefixLength: 16, lbIndex: 5 });
    expect(vm2.fibLookupLb(0, addr)).toBe(5);
  });

  it('a FIB made of plain Maps (as tests build them) is scanned', () => {
    const vm = new Vm('t');
    const byNet = new Map<number, FibEntry>();
    vm.fibs.set(0, { index: 0, tableId: 0, byLength: new Map([[24, byNet]]) });
    expect(vm.fibLookupLb(0, ip4ToU32('10.0.0.1'))).toBe(-1);
    byNet.set(ip4ToU32('10.0.0.0'), { network: ip4ToU32('10.0.0.0'), prefixLength: 24, lbIndex: 9 });
    expect(vm.fibLookupLb(0, ip4ToU32('10.0.0.1'))).toBe(9);
    expect(vm.fibs.get(0)!.mtrie).toBeUndefined();
  });

  it('a scenario FIB is searched by its mtrie, which is rebuilt when a later route changes it', () => {
    const vm = loadScenario('fixtures/contiv/pod-to-service-same-node/scenario.yaml').instances.get('k8s-master')!;
    const fib = vm.fibs.get(0)!;
    const pod = ip4ToU32('10.1.1.5');
    const lb = vm.fibLookupLb(0, pod);
    expect(lb).toBeGreaterThanOrEqual(0);
    const trie = fib.mtrie;
    expect(trie).toBeDefined();
    add(fib, pod, 32, 77);
    expect(vm.fibLookupLb(0, pod)).toBe(77);
    expect(fib.mtrie).not.toBe(trie);
  });
});
