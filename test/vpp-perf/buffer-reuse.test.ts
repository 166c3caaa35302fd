// The replay reuses one buffer per instance while tracing is off (VlibBuffer.refill), clearing only
// the bytes the previous packet can have touched. Whatever a packet did to the buffer - writes in
// the headroom (L2 rewrite, VXLAN/ICMP headers in front), anywhere in its data, a grown or shrunk
// current length - the refilled buffer equals a fresh one made from the next frame.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HEADROOM, VlibBuffer } from '../../models/vpp/buffer.js';

const frame = fc.uint8Array({ minLength: 1, maxLength: 300 });
/**
 * What a packet's nodes may do: write bytes at offsets from 0 (headroom) to the end of its frame
 * plus 256 (header fields of a truncated packet are written past its end), and move current data.
 */
const use = fc.record({
  writes: fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 1, max: 255 })), { maxLength: 20 }),
  advance: fc.integer({ min: -HEADROOM, max: 20 }),
});

/** Index of the first differing byte, -1 if equal (a deep equal over 2 KiB per step is too slow). */
function firstDifference(a: Uint8Array, b: Uint8Array): number {
  if (a.length !== b.length) return Math.min(a.length, b.length);
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return i;
  return -1;
}

describe('VlibBuffer.refill', () => {
  it('a refilled buffer is byte-for-byte and field-for-field a fresh buffer of the new frame', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(frame, use), { minLength: 1, maxLength: 6 }), (packets) => {
        let b: VlibBuffer | undefined;
        for (const [f, u] of packets) {
          b = VlibBuffer.refill(b, f);
          const fresh = VlibBuffer.fromFrame(f);
          expect(firstDifference(b.bytes, fresh.bytes)).toBe(-1);
          const unionOf = (x: VlibBuffer) => (x as unknown as { union: Uint8Array }).union;
          expect(firstDifference(unionOf(b), unionOf(fresh))).toBe(-1);
          expect({ ...b, bytes: null, union: null, unionView: null, arcCursor: null }).toEqual({ ...fresh, bytes: null, union: null, unionView: null, arcCursor: null });
          for (const [at, v] of u.writes) b.bytes[Math.min(HEADROOM + f.length + 255, Math.floor(at * (HEADROOM + f.length + 256)))] = v;
          if (u.advance <= f.length - 1) b.advance(u.advance);
          b.flowHash = 0xdeadbeef;
          b.setIcmp(11, 0, 0);
          b.plugin.frame = 1;
        }
      }),
    );
  });
  it('refillFrom takes exactly the frame out of a larger buffer: the same buffer as a fresh one of that frame alone', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(frame, fc.nat(40), fc.nat(40), fc.integer({ min: 0, max: 255 }), use), { minLength: 1, maxLength: 6 }),
        (packets) => {
          let b: VlibBuffer | undefined;
          for (const [f, before, after, junk, u] of packets) {
            // A view that does not start at its ArrayBuffer's start, as a chunk of a larger read may not.
            const src = new Uint8Array(new ArrayBuffer(before + f.length + after + 7), 7, before + f.length + after).fill(junk);
            src.set(f, before);
            b = VlibBuffer.refillFrom(b, src, before, f.length);
            const fresh = VlibBuffer.fromFrame(f);
            expect(firstDifference(b.bytes, fresh.bytes)).toBe(-1);
            expect([b.currentData, b.currentLength]).toEqual([fresh.currentData, fresh.currentLength]);
            for (const [at, v] of u.writes) b.bytes[Math.min(HEADROOM + f.length + 255, Math.floor(at * (HEADROOM + f.length + 256)))] = v;
            if (u.advance <= f.length - 1) b.advance(u.advance);
          }
        },
      ),
    );
  });
  it('refillFrom refuses a region outside its source, whatever its length', () => {
    for (const [n, start, length] of [[100, 90, 20], [300, 100, 280], [10, -1, 4], [10, 2, -1]] as const) {
      expect(() => VlibBuffer.refillFrom(undefined, new Uint8Array(n), start, length)).toThrow(RangeError);
      expect(() => VlibBuffer.refillFrom(VlibBuffer.fromFrame(new Uint8Array(60)), new Uint8Array(n), start, length)).toThrow(RangeError);
    }
  });
});
