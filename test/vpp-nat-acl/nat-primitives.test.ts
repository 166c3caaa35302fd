// NAT44 building blocks against the vectors of vpp-facts §8.6 / §8.8 / Appendix A.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { NatRandom } from '../../models/vpp/nat44/random.js';
import { candidatePort, randomPortFromDraw } from '../../models/vpp/nat44/ports.js';
import { IpCsum, swap16, swap32 } from '../../models/vpp/ip-csum.js';
import { ip4ToU32 } from '../../harness/wire/address.js';
import { incrementalUpdate32 } from '../../harness/wire/checksum.js';

describe('NAT LCG (random_u32)', () => {
  it('draws 0x3c6ef35f 0x47502932 0xd1ccf6e9 0xaaf95334 0x6252e503 0x9f2ec686 from seed 0', () => {
    const r = new NatRandom();
    const draws = Array.from({ length: 6 }, () => r.next());
    expect(draws).toEqual([0x3c6ef35f, 0x47502932, 0xd1ccf6e9, 0xaaf95334, 0x6252e503, 0x9f2ec686]);
  });

  it('skip(n) equals n draws', () => {
    const a = new NatRandom();
    a.skip(4);
    const b = new NatRandom();
    for (let i = 0; i < 4; i++) b.next();
    expect(a.next()).toBe(b.next());
  });
});

describe('dynamic ports', () => {
  it('the first five ports from seed 0 are 16253, 18995, 53893, 44109, 25801', () => {
    const r = new NatRandom();
    expect(Array.from({ length: 5 }, () => candidatePort(r))).toEqual([16253, 18995, 53893, 44109, 25801]);
  });

  it('stays inside [1025, 65535] for thread 0', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), (draw) => {
        const p = randomPortFromDraw(1, 64511, draw) + 1024;
        return p >= 1025 && p <= 65535;
      }),
    );
  });
});

/** One NAT rewrite as VPP does it: an address (and a port, for TCP) through one accumulator. */
function natCsum(stored: number, oldIp: string, newIp: string, ports?: [number, number]): number {
  const c = IpCsum.begin(stored).replace(swap32(ip4ToU32(oldIp)), swap32(ip4ToU32(newIp)));
  if (ports) c.replace(swap16(ports[0]), swap16(ports[1]));
  return c.end();
}

describe('VPP ip_csum_update as NAT44 uses it (vpp-facts §8.8)', () => {
  const cases: Array<[string, number, string, string, [number, number] | undefined, number]> = [
    ['out2in LB, IP', 0x8804, '10.104.221.85', '10.1.1.5', undefined, 0x64bc],
    ['out2in LB, TCP', 0x50b8, '10.104.221.85', '10.1.1.5', [80, 8080], 0x0e30],
    ['in2out LB return, IP', 0x24b3, '10.1.1.5', '10.104.221.85', undefined, 0x47fb],
    ['in2out LB return, TCP', 0x8023, '10.1.1.5', '10.104.221.85', [8080, 80], 0xc2ab],
    ['in2out-output SNAT, IP', 0x3254, '10.1.1.3', '192.168.16.1', undefined, 0x6cae],
    ['in2out-output SNAT, TCP', 0x91d0, '10.1.1.3', '192.168.16.1', [41084, 25801], 0x07de],
    ['out2in SNAT return, IP', 0x239a, '192.168.16.1', '10.1.1.3', undefined, 0xe93f],
    ['out2in SNAT return, TCP', 0xb12b, '192.168.16.1', '10.1.1.3', [25801, 41084], 0x3b1e],
  ];
  for (const [name, before, oldIp, newIp, ports, after] of cases) {
    it(`${name}: 0x${before.toString(16).padStart(4, '0')} -> 0x${after.toString(16).padStart(4, '0')}`, () => {
      expect(natCsum(before, oldIp, newIp, ports)).toBe(after);
    });
  }

  it('the worked example goes through LE loads: old 0x55dd680a, new 0x0501010a', () => {
    expect(swap32(ip4ToU32('10.104.221.85'))).toBe(0x55dd680a);
    expect(swap32(ip4ToU32('10.1.1.5'))).toBe(0x0501010a);
    expect(swap16(8080)).toBe(0x901f);
  });

  it('agrees with RFC 1624 modulo the 0x0000/0xffff representation', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffff }), fc.nat(0xffffffff), fc.nat(0xffffffff), (hc, a, b) => {
        const vpp = IpCsum.begin(hc).replace(swap32(a), swap32(b)).end();
        const rfc = incrementalUpdate32(hc, a, b);
        // Both are ones'-complement encodings of the same value: equal modulo 0xffff (0x0000 ~ 0xffff).
        return vpp % 0xffff === rfc % 0xffff;
      }),
    );
  });
});
