// The number-accumulator ip_csum_update (csumBegin/csumAdd/csumSub/csumReplace/csumEnd, and IpCsum
// built on them) against VPP's arithmetic written out on a real u64 (BigInt): add with end-around
// carry when the sum wraps, subtract with one more borrow when the difference wraps, fold 64 -> 32
// once and 32 -> 16 three times. Sequences run far past the rewrites' two replaces, so the
// negative-number stand-in for 2^64 + acc is exercised in every order.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csumAdd, csumBegin, csumEnd, csumReplace, csumSub, IpCsum, swap16 } from '../../models/vpp/ip-csum.js';

const M64 = (1n << 64n) - 1n;

/** ip_csum_t arithmetic on a u64, as vppinfra's ip_csum_add_even / ip_csum_sub_even / ip_csum_fold. */
const ref = {
  add(acc: bigint, x: number): bigint {
    const v = BigInt(x >>> 0);
    let t = (acc + v) & M64;
    if (t < v) t = (t + 1n) & M64;
    return t;
  },
  sub(acc: bigint, x: number): bigint {
    let d = (acc - BigInt(x >>> 0)) & M64;
    if (d > acc) d = (d - 1n) & M64;
    return d;
  },
  end(acc: bigint): number {
    let r = (acc & 0xffffffffn) + (acc >> 32n);
    for (let i = 0; i < 3; i++) r = (r & 0xffffn) + (r >> 16n);
    return swap16(Number(r & 0xffffn));
  },
};

const u32 = fc.oneof(fc.constantFrom(0, 1, 0xffff, 0x10000, 0xfffffffe, 0xffffffff), fc.integer({ min: 0, max: 0xffffffff }));
const step = fc.tuple(fc.constantFrom('add' as const, 'sub' as const, 'replace' as const), u32, u32);

describe('ip_csum_update on one number', () => {
  it('folds 32 -> 16 as often as VPP does: a sum that needs the third fold', () => {
    // 0x0100 - 0xffff0000 wraps to 2^64 - 0xfffeff01 (with the extra borrow); its 64 -> 32 fold is
    // 0xfffeffff... and only the third 32 -> 16 fold brings it back to the stored value.
    const acc = csumSub(csumBegin(0x0100), 0xffff0000);
    expect(csumEnd(acc)).toBe(ref.end(ref.sub(BigInt(swap16(0x0100)), 0xffff0000)));
    expect(csumEnd(acc)).toBe(0x0100);
  });

  it('equals the u64 arithmetic for any sequence of adds, subs and replaces', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffff }), fc.array(step, { maxLength: 12 }), (stored, steps) => {
        let acc = csumBegin(stored);
        let big = BigInt(swap16(stored));
        const chained = IpCsum.begin(stored);
        for (const [op, x, y] of steps) {
          if (op === 'add') {
            acc = csumAdd(acc, x);
            big = ref.add(big, x);
            chained.add(x);
          } else if (op === 'sub') {
            acc = csumSub(acc, x);
            big = ref.sub(big, x);
            chained.sub(x);
          } else {
            acc = csumReplace(acc, x, y);
            big = ref.sub(ref.add(big, x), y);
            chained.replace(x, y);
          }
          expect(csumEnd(acc)).toBe(ref.end(big));
        }
        expect(chained.end()).toBe(ref.end(big));
      }),
      { numRuns: 3000 },
    );
  });

  it('wraps below zero and back: 0 - 1 borrows to 2^64 - 2, + 1 gives 2^64 - 1 (no carry), + 2 carries round to 1', () => {
    const a = csumSub(csumBegin(0), 1);
    expect(csumEnd(a)).toBe(ref.end(ref.sub(0n, 1)));
    expect(csumEnd(csumAdd(a, 1))).toBe(ref.end(ref.add(ref.sub(0n, 1), 1)));
    expect(csumEnd(csumAdd(a, 2))).toBe(ref.end(1n));
    expect(ref.add(ref.sub(0n, 1), 2)).toBe(1n);
  });
});
