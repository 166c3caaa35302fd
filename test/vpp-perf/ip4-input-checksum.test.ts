// ip4-input's header checksum check (headerSumsTo0xffff, one expression over the ten words) must
// accept and reject exactly the headers the general RFC 1071 check (verifiesTo0xffff over 20
// bytes) does: random headers, correct ones with a bit flipped, and the fold's edge cases.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { internetChecksum, verifiesTo0xffff } from '../../harness/wire/checksum.js';
import { headerSumsTo0xffff } from '../../models/vpp/nodes/ip4-input.js';

/** A 20-byte header at `at` in a buffer, with its checksum made right (then maybe one bit flipped). */
function header(bytes: number[], at: number, fix: boolean, flip: number): Uint8Array {
  const p = new Uint8Array(at + 40);
  p.set(bytes, at);
  if (fix) {
    p[at + 10] = p[at + 11] = 0;
    const c = internetChecksum(p, at, 20);
    p[at + 10] = c >> 8;
    p[at + 11] = c & 0xff;
  }
  if (flip >= 0) p[at + (flip >> 3)] ^= 1 << (flip & 7);
  return p;
}

describe('ip4-input header checksum', () => {
  it('decides as verifiesTo0xffff over 20 bytes, for any header at any offset', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 20, maxLength: 20 }),
        fc.nat(200),
        fc.boolean(),
        fc.integer({ min: -1, max: 159 }),
        (bytes, at, fix, flip) => {
          const p = header(bytes, at, fix, flip);
          expect(headerSumsTo0xffff(p, at)).toBe(verifiesTo0xffff(p, at, 20));
          if (fix && flip < 0) expect(headerSumsTo0xffff(p, at)).toBe(true);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('folds the largest sums (all ones, all zeros but the checksum) as RFC 1071 does', () => {
    for (const fill of [0xff, 0x00, 0x80, 0x7f]) {
      const p = new Uint8Array(20).fill(fill);
      expect(headerSumsTo0xffff(p, 0)).toBe(verifiesTo0xffff(p, 0, 20));
      const q = header([...p], 0, true, -1);
      expect(headerSumsTo0xffff(q, 0)).toBe(true);
    }
  });
});
