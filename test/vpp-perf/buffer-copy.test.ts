// VlibBuffer.refillFrom copies a frame of up to 256 bytes four bytes at a time through DataViews
// (a longer one by `set`). Whatever the alignment of the source view and of the frame in it, and
// whether frames come from one source (its view is kept) or alternate between sources, the buffer
// holds exactly the frame. (buffer-reuse.test.ts's frames are mostly a few bytes long: fast-check
// sizes arrays small unless told otherwise, so its copies seldom reach the word loops.)

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HEADROOM, VlibBuffer } from '../../models/vpp/buffer.js';

/** A frame placed at `start` in a view that begins `offset` bytes into its ArrayBuffer, junk around it. */
function sourceWith(frame: Uint8Array, offset: number, start: number, junk: number): Uint8Array {
  const src = new Uint8Array(new ArrayBuffer(offset + start + frame.length + 9), offset, start + frame.length + 9).fill(junk);
  src.set(frame, start);
  return src;
}

describe('VlibBuffer.refillFrom copy', () => {
  it('holds exactly the frame for any alignment of the source view and of the frame in it', () => {
    const region = fc.record({
      frame: fc.uint8Array({ minLength: 1, maxLength: 300, size: 'max' }),
      offset: fc.integer({ min: 0, max: 7 }),
      start: fc.integer({ min: 0, max: 23 }),
      junk: fc.integer({ min: 1, max: 255 }),
      again: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(region, { minLength: 1, maxLength: 8 }), (regions) => {
        let b: VlibBuffer | undefined;
        let src: Uint8Array | undefined;
        let at = 0;
        for (const r of regions) {
          // `again`: the next frame comes out of the same source as the last one (a capture chunk).
          if (!r.again || src === undefined || at + r.frame.length > src.length) {
            src = sourceWith(r.frame, r.offset, r.start, r.junk);
            at = r.start;
          } else src.set(r.frame, at);
          b = VlibBuffer.refillFrom(b, src, at, r.frame.length);
          const fresh = VlibBuffer.fromFrame(r.frame);
          expect(Buffer.from(b.bytes).equals(Buffer.from(fresh.bytes))).toBe(true);
          expect(b.currentLength).toBe(r.frame.length);
          // Dirty the buffer as a packet would, so a stale byte would show in the next comparison.
          b.bytes.fill(0xee, HEADROOM, HEADROOM + r.frame.length);
          at = (at + 1) % 5;
        }
      }),
      { numRuns: 300 },
    );
  });
});
