// The model's frame copies (outputs, frames in flight) come from shared blocks: each must still be a
// copy of its own - the receiver of a delivery rewrites it in place while the outputs already taken
// must keep the bytes the device showed.
import { describe, it, expect } from 'vitest';
import { FrameCopier } from '../../models/neutron-dvr/frame-copy.js';

const bytes = (n: number, seed: number): Uint8Array => new Uint8Array(n).map((_, i) => (i * 31 + seed) & 0xff);

describe('neutron-dvr FrameCopier', () => {
  it('copies equal their source and change independently of it and of each other', () => {
    const c = new FrameCopier();
    const src = bytes(98, 1);
    const a = c.copy(src);
    const b = c.copy(src);
    expect([...a]).toEqual([...src]);
    expect([...b]).toEqual([...src]);
    a.fill(0);
    src[5] ^= 0xff;
    expect([...b]).toEqual([...bytes(98, 1)]);
    expect(a.every((x) => x === 0)).toBe(true);
  });

  it('writes through a copy stay within its length, across many blocks', () => {
    const c = new FrameCopier();
    const copies = Array.from({ length: 2000 }, (_, i) => c.copy(bytes(60 + (i % 1400), i)));
    for (const x of copies) x[x.length - 1] ^= 0xff; // the last byte of each: would land in a neighbour if they overlapped
    copies.forEach((x, i) => {
      const want = bytes(60 + (i % 1400), i);
      want[want.length - 1] ^= 0xff;
      expect(x.length).toBe(want.length);
      expect(x.subarray(0, 4).length).toBe(4);
      expect([...x]).toEqual([...want]);
    });
  });

  it('a frame bigger than a block share is still copied whole', () => {
    const c = new FrameCopier();
    const big = bytes(9000, 7);
    const x = c.copy(big);
    big.fill(0);
    expect([...x]).toEqual([...bytes(9000, 7)]);
  });
});
