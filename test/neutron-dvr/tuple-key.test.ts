// Conntrack's table is keyed by tupleKey: two tuples share a key exactly when all five fields are equal
// (addresses are full 32-bit values, ports and ICMP ids 16-bit).
import { describe, it, expect } from 'vitest';
import { tupleKey, type Tuple } from '../../models/neutron-dvr/conntrack.js';

const base: Tuple = { src: 0xac1e598c, dst: 0x0a006f09, proto: 17, sport: 40045, dport: 33336 };

describe('neutron-dvr tupleKey', () => {
  it('equal tuples share a key', () => {
    expect(tupleKey({ ...base })).toBe(tupleKey(base));
  });

  it('a change in any one field, in any bit of it, gives another key', () => {
    const variants: Tuple[] = [
      { ...base, src: base.src ^ 0x80000000 }, { ...base, src: base.src ^ 1 }, { ...base, src: base.src ^ 0x10000 },
      { ...base, dst: base.dst ^ 0x80000000 }, { ...base, dst: base.dst ^ 1 }, { ...base, dst: base.dst ^ 0x10000 },
      { ...base, proto: 6 }, { ...base, sport: base.sport ^ 0x8000 }, { ...base, sport: base.sport ^ 1 },
      { ...base, dport: base.dport ^ 0x8000 }, { ...base, dport: base.dport ^ 1 },
      // the ends swapped (the REPLY tuple of a connection to itself is another key)
      { ...base, src: base.dst, dst: base.src, sport: base.dport, dport: base.sport },
    ];
    const keys = new Set([tupleKey(base), ...variants.map(tupleKey)]);
    expect(keys.size).toBe(variants.length + 1);
  });
});
