// The VM's load-balance table is an IndexMap with a second dense window at HIDDEN_LB_BASE (where
// configure.ts numbers the load-balances the scenario does not state): whatever is set, deleted or
// cleared around both windows, `get` answers exactly as a plain Map does.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IndexMap } from '../../models/vpp/index-map.js';
import { HIDDEN_LB_BASE } from '../../models/vpp/state.js';
import { Vm } from '../../models/vpp/graph.js';

const WINDOW = 1 << 16;
const key = fc.oneof(
  fc.nat(70),
  fc.integer({ min: HIDDEN_LB_BASE - 3, max: HIDDEN_LB_BASE + 70 }),
  fc.constantFrom(HIDDEN_LB_BASE + WINDOW - 1, HIDDEN_LB_BASE + WINDOW, HIDDEN_LB_BASE + 0.5, WINDOW, 0xffffffff, -1, NaN),
);
const op = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), key, value: fc.string() }),
  fc.record({ kind: fc.constant('delete' as const), key }),
  fc.record({ kind: fc.constant('clear' as const) }),
);

/** Apply one change to a map (IndexMap or plain). */
function apply(m: Map<number, string>, o: { kind: 'set'; key: number; value: string } | { kind: 'delete'; key: number } | { kind: 'clear' }): unknown {
  return o.kind === 'set' ? m.set(o.key, o.value) && undefined : o.kind === 'delete' ? m.delete(o.key) : m.clear();
}

/** Everything a reader can see of a map at these keys. */
const view = (m: Map<number, string>, keys: number[]) => ({
  got: keys.map((k) => [m.get(k), m.has(k)]),
  size: m.size,
  entries: [...m],
});

describe('load-balance IndexMap (two dense windows)', () => {
  it('shows what a plain Map shows after any sequence of changes around both windows', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), fc.array(key, { minLength: 1, maxLength: 20 }), (ops, probes) => {
        const plain = new Map<number, string>();
        const lbs = new IndexMap<string>(null, HIDDEN_LB_BASE);
        const results = ops.map((o) => [apply(lbs, o), apply(plain, o)]);
        for (const [a, b] of results) expect(a).toBe(b);
        const keys = [...probes, ...plain.keys()];
        expect(view(lbs, keys)).toEqual(view(plain, keys));
      }),
    );
  });

  it('the VM keeps load-balances in it, and a high window may not overlap the low one', () => {
    const vm = new Vm('t');
    const lb = { index: HIDDEN_LB_BASE + 4, buckets: [], flowHashConfig: 0x1f };
    vm.loadBalances.set(lb.index, lb);
    expect(vm.loadBalances.get(HIDDEN_LB_BASE + 4)).toBe(lb);
    vm.loadBalances.delete(lb.index);
    expect(vm.loadBalances.get(HIDDEN_LB_BASE + 4)).toBeUndefined();
    expect(() => new IndexMap(null, 100)).toThrow(RangeError);
  });
});
