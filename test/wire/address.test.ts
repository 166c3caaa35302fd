// Address text: RFC 5952 for IPv6 (its own examples, and random addresses against the WHATWG URL
// serializer, which compresses the same way: first longest run of two or more zero groups, lowercase,
// no leading zeros), colon-separated lowercase MAC, dotted-decimal IPv4.

import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { ip4ToBytes, ip4ToString, ip6ToBytes, ip6ToString, macToBytes, macToString } from '../../harness/wire/address.js';

const v6 = (text: string) => ip6ToString(ip6ToBytes(text), 0);

/** Node's URL parser serialises an IPv6 host by the WHATWG rules: an independent formatter. */
const whatwg = (b: Uint8Array) => {
  const groups = Array.from({ length: 8 }, (_, i) => ((b[2 * i] << 8) | b[2 * i + 1]).toString(16).padStart(4, '0'));
  return new URL(`http://[${groups.join(':')}]/`).hostname.slice(1, -1);
};

describe('ip6ToString (RFC 5952)', () => {
  it("the RFC's examples", () => {
    expect(v6('2001:0db8::0001')).toBe('2001:db8::1'); // 4.1 leading zeros
    expect(v6('2001:db8:0:0:0:0:2:1')).toBe('2001:db8::2:1'); // 4.2.1 shorten as much as possible
    expect(v6('2001:db8:0:1:1:1:1:1')).toBe('2001:db8:0:1:1:1:1:1'); // 4.2.2 not one 16-bit 0 field
    expect(v6('2001:0:0:1:0:0:0:1')).toBe('2001:0:0:1::1'); // 4.2.3 the longest run
    expect(v6('2001:db8:0:0:1:0:0:1')).toBe('2001:db8::1:0:0:1'); // 4.2.3 the first of equal runs
    expect(v6('2001:DB8::ABCD')).toBe('2001:db8::abcd'); // 4.3 lowercase
  });

  it('all zeros, loopback, runs at either end', () => {
    expect([v6('::'), v6('::1'), v6('1::'), v6('0:1::'), v6('1:2:3:4:5:6::'), v6('::7:8'), v6('fe80::1:2')]).toEqual(['::', '::1', '1::', '0:1::', '1:2:3:4:5:6::', '::7:8', 'fe80::1:2']);
  });

  it('random addresses (zero groups favoured) format as the WHATWG serializer does, and parse back', () => {
    const group = fc.oneof(fc.constant(0), fc.constant(0), fc.integer({ min: 0, max: 0xffff }));
    fc.assert(
      fc.property(fc.array(group, { minLength: 8, maxLength: 8 }), fc.nat({ max: 7 }), (gs, off) => {
        const b = new Uint8Array(16 + off);
        gs.forEach((g, i) => {
          b[off + 2 * i] = g >> 8;
          b[off + 2 * i + 1] = g & 0xff;
        });
        const text = ip6ToString(b, off);
        expect(text).toBe(whatwg(b.subarray(off)));
        expect(ip6ToBytes(text)).toEqual(b.subarray(off));
      }),
      { numRuns: 3000 },
    );
  });
});

describe('macToString, ip4ToString', () => {
  it('two lowercase hex digits per byte; decimal octets', () => {
    expect(macToString(Uint8Array.of(9, 0, 0x0a, 0xab, 0xff, 0x10, 0x02), 1)).toBe('00:0a:ab:ff:10:02');
    expect(ip4ToString(Uint8Array.of(7, 0, 10, 255, 1), 1)).toBe('0.10.255.1');
  });

  it('round trips for every byte value', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 6, maxLength: 6 }), (b) => {
        expect(macToBytes(macToString(b, 0))).toEqual(b);
        expect(ip4ToBytes(ip4ToString(b, 0))).toEqual(b.subarray(0, 4));
        expect(ip4ToString(b, 2)).toBe(Array.from(b.subarray(2, 6)).join('.'));
      }),
    );
  });
});
