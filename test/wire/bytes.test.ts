// Big-endian field access: u32 and i32 read the same four bytes, as unsigned and as signed 32-bit
// numbers; u16/u32 and setU16/setU32 are inverse.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { i32, setU16, setU32, u16, u32 } from '../../harness/wire/bytes.js';

describe('bytes', () => {
  it('i32 is u32 read as a signed 32-bit number; set/get round-trip at any offset', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 4, maxLength: 12 }), fc.nat(8), fc.nat(0xffffffff), (b, at, v) => {
        const off = at % (b.length - 3);
        expect(i32(b, off)).toBe(u32(b, off) | 0);
        expect(i32(b, off) >>> 0).toBe(u32(b, off));
        setU32(b, off, v);
        expect(u32(b, off)).toBe(v);
        setU16(b, off, v & 0xffff);
        expect(u16(b, off)).toBe(v & 0xffff);
      }),
    );
  });
});
