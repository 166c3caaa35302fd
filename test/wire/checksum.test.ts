import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { fromHex } from '../../harness/wire/bytes.js';
import { incrementalUpdate16, internetChecksum, verifiesTo0xffff } from '../../harness/wire/checksum.js';
import { Ipv4View, emitIpv4, parseIpv4 } from '../../harness/wire/ipv4.js';

describe('RFC 1071 checksum', () => {
  it('matches the RFC 1071 §3 worked example', () => {
    // 00 01 f2 03 f4 f5 f6 f7 sums to 0xddf2 (folded), so the checksum is ~0xddf2 = 0x220d.
    expect(internetChecksum(fromHex('0001f203f4f5f6f7'))).toBe(0x220d);
  });

  it('a header carrying its checksum verifies', () => {
    // The outer IPv4 header of seed 004's VXLAN trace: 0x1b2b over this header (vpp-facts §7.2).
    const h = fromHex('4500006e00000000fe110000c0a81001c0a81002');
    expect(internetChecksum(h)).toBe(0x1b2b);
    h[10] = 0x1b;
    h[11] = 0x2b;
    expect(verifiesTo0xffff(h)).toBe(true);
    h[11] ^= 1;
    expect(verifiesTo0xffff(h)).toBe(false);
  });
});

describe('RFC 1624 eqn. 3 incremental update', () => {
  it('equals a full recompute for any header and any TTL change', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 20, maxLength: 20 }), fc.integer({ min: 0, max: 255 }), (raw, ttl) => {
        raw[0] = 0x45;
        const v = new Ipv4View(raw);
        v.fillChecksum();
        const old = v.ttl;
        v.ttl = ttl;
        v.updateChecksumForTtl(old);
        const incremental = v.checksum;
        v.fillChecksum();
        // Ones'-complement has two zeros: 0x0000 and 0xffff are the same sum.
        expect(incremental === v.checksum || (incremental ^ v.checksum) === 0xffff).toBe(true);
        expect(verifiesTo0xffff(raw, 0, 20)).toBe(true);
      }),
    );
  });

  it('eqn. 3 on one word is the RFC 1624 §4 example', () => {
    // RFC 1624 §4: HC = 0xdd2f, m = 0x5555 -> m' = 0x3285 gives HC' = 0x0000.
    expect(incrementalUpdate16(0xdd2f, 0x5555, 0x3285)).toBe(0x0000);
  });
});

describe('IPv4 codec', () => {
  it('parse and emit are symmetric', () => {
    const h = fromHex('4500003c309f40003f06f4020a01010c0a01020d');
    const r = parseIpv4(h);
    expect(r).toMatchObject({ ttl: 63, protocol: 6, src: '10.1.1.12', dst: '10.1.2.13', id: 0x309f, checksum: 0xf402 });
    expect(emitIpv4(r)).toEqual(h);
  });
});
