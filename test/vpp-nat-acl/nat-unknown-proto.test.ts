// NAT44 and IP protocols other than TCP, UDP and ICMP (here GRE, 47): 18.01 keeps 3-tuple sessions
// for them (snat_in2out_unknown_proto / snat_out2in_unknown_proto, vpp-dev/vpp src/plugins/nat/
// in2out.c @ 2994d210 and out2in.c @ 0d305478, stable-1801-contiv): an inside host's packet takes a
// pool address and a session index the record prints, the outside reply finds that session by
// {dst, src, protocol}, and an outside packet to an address-only mapping opens a session too.

import { describe, expect, it } from 'vitest';
import { u32, setU16 } from '../../harness/wire/bytes.js';
import { internetChecksum, verifiesTo0xffff } from '../../harness/wire/checksum.js';
import { ip4ToBytes, ip4ToU32 } from '../../harness/wire/address.js';
import { I2O, O2I } from '../../models/vpp/nat44/engine.js';
import { nat44Of } from '../../models/vpp/nat44/nodes.js';
import { ip4L4, ipBuffer } from './helpers.js';
import { INSIDE, natVm, OUTSIDE } from './nat-vm.js';

const GRE = 47;

/** An IPv4 GRE packet (4-byte GRE header), valid IP checksum. */
function gre(src: string, dst: string): Uint8Array {
  const p = new Uint8Array(24);
  p[0] = 0x45;
  setU16(p, 2, p.length);
  p[8] = 64;
  p[9] = GRE;
  ip4ToBytes(src, p, 12);
  ip4ToBytes(dst, p, 16);
  setU16(p, 10, internetChecksum(p, 0, 20));
  setU16(p, 22, 0x0800);
  return p;
}

describe('NAT44 unknown-protocol sessions (3-tuple, ED keys with ports 0)', () => {
  it('in2out takes the pool address and a session; the reply from outside finds it', () => {
    const vm = natVm({ addresses: ['192.0.2.1'] });
    const nat = nat44Of(vm)!;
    const out = ipBuffer(gre('10.0.0.5', '172.16.0.9'), INSIDE);
    expect(nat.in2outSlow(vm, out, false)).toMatchObject({ next: I2O.LOOKUP, session: 0 });
    expect(u32(out.bytes, out.start + 12)).toBe(ip4ToU32('192.0.2.1'));
    expect(verifiesTo0xffff(out.bytes, out.start, 20)).toBe(true);
    // in2out input nodes send it on in the outside FIB (TX was ~0).
    expect(out.txSwIfIndex).toBe(0);
    // The same 3-tuple again: the same session, no new one.
    expect(nat.in2outSlow(vm, ipBuffer(gre('10.0.0.5', '172.16.0.9'), INSIDE), false)).toMatchObject({ next: I2O.LOOKUP, session: 0 });

    const reply = ipBuffer(gre('172.16.0.9', '192.0.2.1'), OUTSIDE);
    expect(nat.out2in(vm, reply)).toMatchObject({ next: O2I.LOOKUP, session: 0 });
    expect(u32(reply.bytes, reply.start + 16)).toBe(ip4ToU32('10.0.0.5'));
    expect(verifiesTo0xffff(reply.bytes, reply.start, 20)).toBe(true);
  });

  it('in2out with no pool address free for the 3-tuple drops naming no error of its own', () => {
    const vm = natVm({ addresses: ['192.0.2.1'] });
    const nat = nat44Of(vm)!;
    expect(nat.in2outSlow(vm, ipBuffer(gre('10.0.0.5', '172.16.0.9'), INSIDE), false).session).toBe(0);
    // Another inside host to the same destination: {192.0.2.1, 172.16.0.9, GRE} is taken.
    expect(nat.in2outSlow(vm, ipBuffer(gre('10.0.0.6', '172.16.0.9'), INSIDE), false)).toMatchObject({ next: I2O.DROP, session: -1, error: undefined });
  });

  // snat_in2out_unknown_proto walks the user's sessions for one to the same destination and, with
  // its test inverted, takes that session's address exactly when {address, dst, protocol} is already
  // taken (`if (clib_bihash_search_16_8 (&sm->out2in_ed, ...)) break; goto create_ses;`): the new
  // session then overwrites the other host's out2in_ed entry instead of being dropped.
  it('a host with a session to the destination reuses its address even when the 3-tuple is taken', () => {
    const vm = natVm({ addresses: ['192.0.2.1'] });
    const nat = nat44Of(vm)!;
    expect(nat.in2outSlow(vm, ipBuffer(gre('10.0.0.6', '172.16.0.9'), INSIDE), false).session).toBe(0);
    const udp = ipBuffer(ip4L4({ src: '10.0.0.5', dst: '172.16.0.9', proto: 17 }, { sport: 1111, dport: 53 }), INSIDE);
    expect(nat.in2outSlow(vm, udp, false).session).toBe(1);
    const b = ipBuffer(gre('10.0.0.5', '172.16.0.9'), INSIDE);
    expect(nat.in2outSlow(vm, b, false)).toMatchObject({ next: I2O.LOOKUP, session: 2 });
    expect(u32(b.bytes, b.start + 12)).toBe(ip4ToU32('192.0.2.1'));
    // The reply now reaches the later session's host.
    const reply = ipBuffer(gre('172.16.0.9', '192.0.2.1'), OUTSIDE);
    expect(nat.out2in(vm, reply)).toMatchObject({ next: O2I.LOOKUP, session: 2 });
    expect(u32(reply.bytes, reply.start + 16)).toBe(ip4ToU32('10.0.0.5'));
  });

  // snat_hairpinning_unknown_proto: after the source translation, a packet to an address-only
  // mapping's external address goes to its local host (input nodes: TX was ~0).
  it('in2out to another inside host\'s mapped address is hairpinned to its local address', () => {
    const vm = natVm({ addresses: ['192.0.2.1'], static_mappings: [{ local: '10.0.0.7', external: '192.0.2.7' }] });
    const nat = nat44Of(vm)!;
    const b = ipBuffer(gre('10.0.0.5', '192.0.2.7'), INSIDE);
    expect(nat.in2outSlow(vm, b, false)).toMatchObject({ next: I2O.LOOKUP, session: 0 });
    expect(u32(b.bytes, b.start + 12)).toBe(ip4ToU32('192.0.2.1'));
    expect(u32(b.bytes, b.start + 16)).toBe(ip4ToU32('10.0.0.7'));
    expect(verifiesTo0xffff(b.bytes, b.start, 20)).toBe(true);
    expect(b.txSwIfIndex).toBe(0);
  });

  it('out2in to an address-only mapping opens a static session; a miss is `No translation`', () => {
    const vm = natVm({ static_mappings: [{ local: '10.0.0.7', external: '192.0.2.7' }] });
    const nat = nat44Of(vm)!;
    const b = ipBuffer(gre('172.16.0.9', '192.0.2.7'), OUTSIDE);
    expect(nat.out2in(vm, b)).toMatchObject({ next: O2I.LOOKUP, session: 0 });
    expect(u32(b.bytes, b.start + 16)).toBe(ip4ToU32('10.0.0.7'));
    expect(b.txSwIfIndex).toBe(0);
    // The mapped host's reply hits the in2out_ed key that session registered.
    const back = ipBuffer(gre('10.0.0.7', '172.16.0.9'), INSIDE);
    expect(nat.in2outSlow(vm, back, false)).toMatchObject({ next: I2O.LOOKUP, session: 0 });
    expect(u32(back.bytes, back.start + 12)).toBe(ip4ToU32('192.0.2.7'));

    expect(nat.out2in(vm, ipBuffer(gre('172.16.0.9', '192.0.2.99'), OUTSIDE))).toMatchObject({ next: O2I.DROP, session: -1, error: 'No translation' });
  });
});

// snat_out2in_node_fn's two loops order their first checks differently (17.x/18.01-era out2in.c,
// vpp-facts §8.3 step 2): the two-packet loop (while at least 4 packets of the frame remain) tests
// `ip0->ttl == 1` before the protocol, the one-packet loop calls snat_out2in_unknown_proto first.
describe('NAT44 out2in: an unknown protocol with TTL 1', () => {
  const ttl1 = () => {
    const p = gre('172.16.0.9', '192.0.2.1');
    p[8] = 1;
    setU16(p, 10, 0);
    setU16(p, 10, internetChecksum(p, 0, 20));
    return p;
  };

  it('in the two-packet loop (either packet of a pair with at least 4 left) is answered with time exceeded', () => {
    // Both packets of a pair: the loop handles b0 and b1 alike (`if (PREDICT_FALSE (ip0->ttl == 1))`,
    // `if (PREDICT_FALSE (ip1->ttl == 1))`).
    for (const frame of [{ size: 4, index: 0 }, { size: 4, index: 1 }, { size: 5, index: 1 }, { size: 6, index: 3 }]) {
      const vm = natVm({ addresses: ['192.0.2.1'] });
      vm.frame = frame;
      expect(nat44Of(vm)!.out2in(vm, ipBuffer(ttl1(), OUTSIDE)).next, JSON.stringify(frame)).toBe(O2I.ICMP_ERROR);
    }
  });

  it('in the one-packet loop (a 1-3 packet frame, or the last packets) takes the unknown-protocol path', () => {
    for (const frame of [{ size: 1, index: 0 }, { size: 3, index: 1 }, { size: 4, index: 2 }, { size: 4, index: 3 }, { size: 5, index: 4 }]) {
      const vm = natVm({ addresses: ['192.0.2.1'] });
      vm.frame = frame;
      expect(nat44Of(vm)!.out2in(vm, ipBuffer(ttl1(), OUTSIDE)).next, JSON.stringify(frame)).not.toBe(O2I.ICMP_ERROR);
    }
  });
});
