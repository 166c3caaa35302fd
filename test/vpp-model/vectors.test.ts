// vpp-facts Appendix A test vectors for the arithmetic the VPP model computes.
import { describe, expect, it } from 'vitest';
import { fromHex } from '../../harness/wire/bytes.js';
import { ip4FlowHash, l2FlowHash } from '../../models/vpp/flow-hash.js';
import { IpCsum, swap16, swap32, ttlDecrementChecksum } from '../../models/vpp/ip-csum.js';
import { ip4ToU32 } from '../../harness/wire/address.js';

/** An IPv4+TCP header pair with the given addresses and ports (other fields irrelevant to the hash). */
function tcp(src: string, dst: string, sport: number, dport: number): Uint8Array {
  const b = new Uint8Array(40);
  b[0] = 0x45;
  b[9] = 6;
  new DataView(b.buffer).setUint32(12, ip4ToU32(src));
  new DataView(b.buffer).setUint32(16, ip4ToU32(dst));
  new DataView(b.buffer).setUint16(20, sport);
  new DataView(b.buffer).setUint16(22, dport);
  return b;
}

describe('VPP flow hash (vpp-facts §7.1)', () => {
  it('TCP 10.1.1.12:60996 -> 10.1.2.13:8080 hashes to 0xc0e176c3, VXLAN sport 50038', () => {
    const h = ip4FlowHash(tcp('10.1.1.12', '10.1.2.13', 60996, 8080), 0);
    expect(h).toBe(0xc0e176c3);
    expect(swap16(h & 0xffff)).toBe(50038);
  });
  it('the reverse flow hashes to 0x2c673dc5, sport 50493', () => {
    const h = ip4FlowHash(tcp('10.1.2.13', '10.1.1.12', 8080, 60996), 0);
    expect(h).toBe(0x2c673dc5);
    expect(swap16(h & 0xffff)).toBe(50493);
  });
  it('the L2 flow hash of an IPv4 frame is the IPv4 hash of its payload', () => {
    const frame = new Uint8Array(54);
    frame.set(fromHex('1a2b3c4d5e021a2b3c4d5e010800'), 0);
    frame.set(tcp('10.1.1.12', '10.1.2.13', 60996, 8080), 14);
    expect(l2FlowHash(frame, 0)).toBe(0xc0e176c3);
  });
});

describe('ip4-rewrite TTL checksum (vpp-facts §5.3)', () => {
  const table: [number, number][] = [
    [0xf087, 0xf187], [0xf302, 0xf402], [0x1b2b, 0x1c2b], [0x3154, 0x3254], [0x23a2, 0x24a2], [0xe93f, 0xea3f],
    [0xfeff, 0x0000], [0xfffe, 0x00ff], [0xff00, 0x0001],
  ];
  for (const [before, after] of table)
    it(`0x${before.toString(16)} -> 0x${after.toString(16)}`, () => expect(ttlDecrementChecksum(before)).toBe(after));
});

describe('ip_csum_update (vpp-facts §8.8)', () => {
  const addr = (ip: string) => swap32(ip4ToU32(ip));
  it('VXLAN outer length 0 -> 110 turns the template checksum 0x1b99 into 0x1b2b', () => {
    expect(IpCsum.begin(0x1b99).replace(0, swap16(110)).end()).toBe(0x1b2b);
  });
  it('NAT out2in LB IP checksum 0x8804 -> 0x64bc', () => {
    expect(IpCsum.begin(0x8804).replace(addr('10.104.221.85'), addr('10.1.1.5')).end()).toBe(0x64bc);
  });
  it('NAT out2in LB TCP checksum 0x50b8 -> 0x0e30 (address then port)', () => {
    expect(IpCsum.begin(0x50b8).replace(addr('10.104.221.85'), addr('10.1.1.5')).replace(swap16(80), swap16(8080)).end()).toBe(0x0e30);
  });
  it('in2out SNAT TCP 0x91d0 -> 0x07de', () => {
    expect(IpCsum.begin(0x91d0).replace(addr('10.1.1.3'), addr('192.168.16.1')).replace(swap16(41084), swap16(25801)).end()).toBe(0x07de);
  });
  it('out2in SNAT return IP 0x239a -> 0xe93f', () => {
    expect(IpCsum.begin(0x239a).replace(addr('192.168.16.1'), addr('10.1.1.3')).end()).toBe(0xe93f);
  });
});
