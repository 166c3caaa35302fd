// check's captured frames found by flow key (harness/check/captured-index.ts) instead of a scan of the
// device's whole list per prediction: the same frame must be chosen as the scan chose - the first
// unmatched frame of the key with the predicted IP id, else the first unmatched one of the key.

import { describe, expect, it } from 'vitest';
import { CapturedByFlow, type Captured } from '../../harness/check/captured-index.js';
import type { Packet } from '../../harness/wire/packet.js';

/** An IPv4 frame with this IP id (only the bytes ipId reads matter here). */
function frame(id: number, frame: number): Packet {
  const data = new Uint8Array(34);
  data[12] = 0x08;
  data[14] = 0x45;
  data[18] = id >> 8;
  data[19] = id & 0xff;
  return { data, meta: { linkType: 1, frame } };
}

const captured = (id: number, n: number): Captured => ({ packet: frame(id, n), device: 'n:if', file: 'f', matched: false });

describe('CapturedByFlow', () => {
  it('the first unmatched frame of the key with the predicted IP id, else the first unmatched one', () => {
    const index = new CapturedByFlow();
    const [a, b, c] = [captured(1, 1), captured(2, 2), captured(3, 3)];
    for (const x of [a, b, c]) index.add('k', x);
    index.add('other', captured(2, 4));
    expect(index.best('k', 2)).toBe(b);
    b.matched = true;
    expect(index.best('k', 2)).toBe(a); // no unmatched frame with id 2 left: the first unmatched
    a.matched = true;
    expect(index.best('k', undefined)).toBe(c);
    c.matched = true;
    expect(index.best('k', 3)).toBeUndefined();
    expect(index.best('none', 1)).toBeUndefined();
  });
});
