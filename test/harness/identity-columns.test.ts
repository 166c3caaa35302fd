// Matching on identity columns (diff/identity-columns.ts, what a bounded `diff` uses) pairs exactly
// the packets that matching on key strings (packet-match.ts matchPackets) pairs, whatever the
// values: numbers and their decimal texts, hex hashes, '' against absent, texts holding '|' (whose
// key strings can collide across fields) or the old separator.

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { matchPackets } from '../../harness/diff/packet-match.js';
import { FLOW, identityOf } from '../../harness/diff/packet-identity.js';
import { IdentityColumns, IdentityPool, matchColumns } from '../../harness/diff/identity-columns.js';
import type { FieldValue } from '../../harness/stage.js';

/** Every kind of text the encoding treats apart. */
const valueArb: fc.Arbitrary<FieldValue | undefined> = fc.constantFrom<FieldValue | undefined>(
  undefined, undefined, 0, 7, '7', '07', 4294967295, 4294967296, '4294967296', -1, 1.5, 7n, '', 'a|b', 'a', '|', 'b|', '|b',
  '00000000000000ff', 'ff', '0123456789abcdef', '0123456789ABCDEF', 'x\u0000y', null, true, 'null', '10.0.0.1',
);
/** Few values whose key strings collide: 'a|b' + '' = 'a' + 'b|'; '' against absent. */
const collidingArb: fc.Arbitrary<FieldValue | undefined> = fc.constantFrom<FieldValue | undefined>(undefined, '', 'a', 'a|b', 'b|', '|b', 'b', 7, '7');
const fieldsArb = (v: fc.Arbitrary<FieldValue | undefined>, flow: fc.Arbitrary<FieldValue | undefined>) =>
  fc.record({
    'ip4.src': flow,
    'tcp.src_port': flow,
    'ip4.id': v,
    'tcp.seq': v,
    'tcp.ack': v,
    'icmp.seq': v,
    'payload.sha256': v,
  });

const LAST_FLOW = FLOW[FLOW.length - 1];

function clean(f: Record<string, FieldValue | undefined>): Record<string, FieldValue> {
  return Object.fromEntries(Object.entries(f).filter(([, v]) => v !== undefined)) as Record<string, FieldValue>;
}

describe('identity columns: the same matching as key strings', () => {
  it.each([
    ['every kind of value', fieldsArb(valueArb, fc.constantFrom<FieldValue | undefined>('10.0.0.1', 'a|b', 'a', undefined))],
    ['few colliding values', fieldsArb(collidingArb, fc.constantFrom<FieldValue | undefined>('a|b', 'a', 'b|', ''))],
  ])('random identities: %s', (_name, arb) => {
    fc.assert(
      fc.property(fc.array(arb, { maxLength: 25 }), fc.array(arb, { maxLength: 25 }), (as, bs) => {
        const A = as.map(clean);
        const B = bs.map(clean);
        const flows = new Map<string, string>();
        const reference = matchPackets(A.map((f) => identityOf(f, flows)), B.map((f) => identityOf(f, flows)));
        const pool = new IdentityPool();
        const ca = new IdentityColumns(pool);
        const cb = new IdentityColumns(pool);
        A.forEach((f) => ca.add(f));
        B.forEach((f) => cb.add(f));
        expect(matchColumns(ca, cb)).toEqual(reference);
      }),
      { numRuns: 2000 },
    );
  });

  it.each([
    ["'a|b' then '' equals 'a' then 'b|' in the key string", [{ 'ip4.id': 'a|b', 'tcp.seq': '' }], [{ 'ip4.id': 'a', 'tcp.seq': 'b|' }]],
    ["'' equals absent in the key of level 0", [{ 'ip4.id': '' }], [{}]],
    // The flow's last field (FLOW order), whichever it is, then the first identity field.
    ["a flow text ending 'a|b' then '' equals one ending 'a' then 'b|'", [{ [LAST_FLOW]: 'a|b', 'ip4.id': '' }], [{ [LAST_FLOW]: 'a', 'ip4.id': 'b|' }]],
    ['a number equals its decimal text', [{ 'ip4.id': 7, 'tcp.seq': 7n }], [{ 'ip4.id': '7', 'tcp.seq': 7 }]],
  ])('%s: matched as by key strings', (_name, as, bs) => {
    const flows = new Map<string, string>();
    const reference = matchPackets(as.map((f) => identityOf(f as Record<string, FieldValue>, flows)), bs.map((f) => identityOf(f as Record<string, FieldValue>, flows)));
    expect([...reference.matchA, ...reference.matchB]).toEqual([0, 0]);
    const pool = new IdentityPool();
    const ca = new IdentityColumns(pool);
    const cb = new IdentityColumns(pool);
    as.forEach((f) => ca.add(f as Record<string, FieldValue>));
    bs.forEach((f) => cb.add(f as Record<string, FieldValue>));
    expect(matchColumns(ca, cb)).toEqual(reference);
  });

  it('grows past its first columns', () => {
    const pool = new IdentityPool();
    const a = new IdentityColumns(pool);
    const b = new IdentityColumns(pool);
    for (let i = 0; i < 5000; i++) {
      a.add({ 'ip4.src': '10.0.0.1', 'ip4.id': i, 'payload.sha256': (i * 2654435761).toString(16).padStart(16, '0').slice(-16) });
      b.add({ 'ip4.src': '10.0.0.1', 'ip4.id': 4999 - i, 'payload.sha256': ((4999 - i) * 2654435761).toString(16).padStart(16, '0').slice(-16) });
    }
    const m = matchColumns(a, b);
    expect(m.matchA.length).toBe(5000);
    expect(m.matchA.every((i, k) => m.matchB[k] === 4999 - i)).toBe(true);
  });
});
