// IndexMap is a Map whose small integer keys are mirrored in an array (the packet path's lookups):
// whatever is set, deleted or cleared, `get` answers exactly as a plain Map does.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IndexMap } from '../../models/vpp/index-map.js';

const key = fc.oneof(fc.nat(70), fc.constantFrom(0xffffffff, -1, -0, NaN, 1 << 16, (1 << 16) - 1, 0.5, 1e9));
const op = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), key, value: fc.string() }),
  fc.record({ kind: fc.constant('delete' as const), key }),
  fc.record({ kind: fc.constant('clear' as const) }),
);

describe('IndexMap', () => {
  it('answers get, has, size and iteration as a Map does, over any sequence of changes', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), fc.array(key, { minLength: 1, maxLength: 20 }), (ops, probes) => {
        const plain = new Map<number, string>();
        const indexed = new IndexMap<string>();
        for (const o of ops) {
          if (o.kind === 'set') {
            plain.set(o.key, o.value);
            indexed.set(o.key, o.value);
          } else if (o.kind === 'delete') expect(indexed.delete(o.key)).toBe(plain.delete(o.key));
          else {
            plain.clear();
            indexed.clear();
          }
        }
        for (const k of [...probes, ...plain.keys()]) {
          expect(indexed.get(k)).toBe(plain.get(k));
          expect(indexed.has(k)).toBe(plain.has(k));
        }
        expect(indexed.size).toBe(plain.size);
        expect([...indexed]).toEqual([...plain]);
      }),
    );
  });

  it('takes initial entries as a Map does', () => {
    const m = new IndexMap([[1, 'a'], [0xffffffff, 'none'], [1, 'b']]);
    expect([...m]).toEqual([...new Map([[1, 'a'], [0xffffffff, 'none'], [1, 'b']])]);
    expect([m.get(1), m.get(0xffffffff), m.get(2)]).toEqual(['b', 'none', undefined]);
  });

  it('a key removed is gone from the array too (no stale object answers get)', () => {
    const m = new IndexMap<{ n: number }>();
    m.set(3, { n: 3 });
    m.delete(3);
    expect(m.get(3)).toBeUndefined();
    m.set(5, { n: 5 });
    m.clear();
    expect(m.get(5)).toBeUndefined();
  });
});
