// csumUpdate (the flat ip_csum_update the NAT rewrite inlines) against the step-by-step
// accumulator it unrolls - csumBegin, csumReplace twice, csumEnd - which nat-csum.test.ts checks
// against VPP's u64 arithmetic. Operands are biased to the corners where a subtraction borrows, an
// addition carries back round, and the fold lands on 0x0000 or 0xffff.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csumBegin, csumEnd, csumReplace, csumUpdate, csumUpdateField, loadLe32, swap32 } from '../../models/vpp/ip-csum.js';

const u32 = fc.oneof(fc.constantFrom(0, 1, 0xffff, 0x10000, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff), fc.integer({ min: 0, max: 0xffffffff }));
const u16 = fc.oneof(fc.constantFrom(0, 1, 0xfffe, 0xffff), fc.integer({ min: 0, max: 0xffff }));

function stepwise(stored: number, old1: number, new1: number, old2: number, new2: number): number {
  return csumEnd(csumReplace(csumReplace(csumBegin(stored), old1, new1), old2, new2));
}

describe('csumUpdate', () => {
  it('equals begin, replace, replace, end for any operands', () => {
    fc.assert(
      fc.property(u16, u32, u32, u32, u32, (stored, o1, n1, o2, n2) => {
        expect(csumUpdate(stored, o1, n1, o2, n2)).toBe(stepwise(stored, o1, n1, o2, n2));
      }),
      { numRuns: 20000 },
    );
  });

  it('csumUpdateField equals begin, replace, end (csumUpdate of one field) for any operands', () => {
    fc.assert(
      fc.property(u16, u32, u32, (stored, o, n) => {
        expect(csumUpdateField(stored, o, n)).toBe(stepwise(stored, o, n, 0, 0));
        expect(csumUpdateField(stored, o | 0, n | 0)).toBe(stepwise(stored, o, n, 0, 0));
      }),
      { numRuns: 20000 },
    );
    expect(csumUpdateField(0, 5, 5)).toBe(0);
    expect(csumUpdateField(0, 0xffff, 0)).toBe(0xffff);
  });

  it('loadLe32 reads a field as swap32 of its big-endian value, as an int32', () => {
    fc.assert(
      fc.property(u32, (v) => {
        const b = new Uint8Array([0xee, v >>> 24, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff, 0xee]);
        expect(loadLe32(b, 1)).toBe(swap32(v) | 0);
      }),
    );
  });

  it('keeps the 0x0000 / 0xffff corners apart as VPP does', () => {
    // Replacing a value by itself leaves 0 as 0; a change that sums to zero mod 0xffff gives 0xffff.
    expect(csumUpdate(0, 5, 5, 0, 0)).toBe(0);
    expect(stepwise(0, 5, 5, 0, 0)).toBe(0);
    expect(csumUpdate(0, 0xffff, 0, 0, 0)).toBe(0xffff);
    expect(stepwise(0, 0xffff, 0, 0, 0)).toBe(0xffff);
    // A borrow below zero, then an addition that carries back round.
    for (const [o1, n1, o2, n2] of [
      [0, 1, 1, 0],
      [0, 0xffffffff, 0xffffffff, 0],
      [1, 0xffffffff, 0xfffffffe, 0],
    ]) {
      expect(csumUpdate(0x1234, o1, n1, o2, n2)).toBe(stepwise(0x1234, o1, n1, o2, n2));
    }
  });
});
