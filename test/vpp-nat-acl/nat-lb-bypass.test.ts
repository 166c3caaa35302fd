// NAT44 paths next to the seed's load-balanced flows (vpp-dev/vpp src/plugins/nat/in2out.c @ 2994d210,
// out2in.c @ 0d305478, stable-1801-contiv): forwarding-bypass sessions follow their flow's TCP close
// (create_bypass_for_fwd, nat_not_translate_output_feature_fwd, snat_in2out_lb), a backend's reply on
// a bypass session leaves untranslated, and a new LB session that cannot be made drops with the
// error VPP writes (the session limit is checked before any backend is drawn; a twice-NAT pool out of
// ports is `Out of ports`), never an invented `No translation`.

import { describe, expect, it } from 'vitest';
import { u32 } from '../../harness/wire/bytes.js';
import { ip4ToU32 } from '../../harness/wire/address.js';
import { BufferFlag } from '../../models/vpp/buffer.js';
import { I2O, O2I } from '../../models/vpp/nat44/engine.js';
import { nat44Of } from '../../models/vpp/nat44/nodes.js';
import { ip4L4, ipBuffer } from './helpers.js';
import { icmpError } from './icmp-packets.js';
import { INSIDE, natVm, OUTSIDE } from './nat-vm.js';

const SYN = 0x02;
const ACK = 0x10;
const FIN_ACK = 0x11;

function tcp(src: string, sport: number, dst: string, dport: number, flags: number, rx: number, seq = 0, ack = 0) {
  return ipBuffer(ip4L4({ src, dst, proto: 6 }, { sport, dport, flags, seq, ack }), rx);
}

const LB = { external: '10.96.0.1', external_port: 80, protocol: 'tcp', locals: [{ address: '10.0.0.5', port: 8080, probability: 100 }] };

describe('forwarding-bypass sessions follow the TCP close', () => {
  it('a bypassed flow closed on both sides frees its session index (output-feature replies)', () => {
    const vm = natVm({ forwarding: true, outside: [], output_feature: ['outside0'] });
    const nat = nat44Of(vm)!;
    const o2i = (flags: number, seq = 0, ack = 0) => nat.out2in(vm, tcp('172.16.0.9', 5555, '10.0.0.5', 80, flags, OUTSIDE, seq, ack));
    const i2o = (flags: number, seq = 0, ack = 0) => nat.in2outFast(vm, tcp('10.0.0.5', 80, '172.16.0.9', 5555, flags, INSIDE, seq, ack), true);
    expect(o2i(SYN)).toMatchObject({ next: O2I.LOOKUP, session: -1 });
    expect(nat.thread.sessions.size).toBe(1);
    expect(i2o(SYN | ACK, 500, 1)).toMatchObject({ next: I2O.LOOKUP, session: -1 });
    o2i(FIN_ACK, 1000, 501);
    i2o(FIN_ACK, 2000, 1001);
    expect(nat.thread.sessions.size).toBe(1);
    o2i(ACK, 1001, 2001);
    // Both FINs acknowledged: the bypass session is freed, and the next one takes its index again.
    expect(nat.thread.sessions.size).toBe(0);
    nat.out2in(vm, tcp('172.16.0.10', 6666, '10.0.0.5', 80, SYN, OUTSIDE));
    expect(nat.thread.sessions.size).toBe(1);
    expect(nat.thread.isLive(0)).toBe(true);
  });

  it("an LB backend's reply to a client that reached it directly leaves untranslated, session -1", () => {
    const vm = natVm({ forwarding: true, lb_static_mappings: [LB] });
    const nat = nat44Of(vm)!;
    // The client goes to the backend's own address: no mapping by external address, so a bypass.
    expect(nat.out2in(vm, tcp('172.16.0.9', 5555, '10.0.0.5', 8080, SYN, OUTSIDE))).toMatchObject({ next: O2I.LOOKUP, session: -1 });
    const reply = tcp('10.0.0.5', 8080, '172.16.0.9', 5555, SYN | ACK, INSIDE, 500, 1);
    const before = reply.current().slice();
    expect(nat.in2outFast(vm, reply, false).next).toBe(I2O.SLOW_PATH);
    expect(nat.in2outSlow(vm, reply, false)).toMatchObject({ next: I2O.LOOKUP, session: -1 });
    expect(reply.current()).toEqual(before);
    expect(reply.flags & BufferFlag.IS_NATED).toBe(0);
    // The close seen through that path frees the bypass session too.
    nat.out2in(vm, tcp('172.16.0.9', 5555, '10.0.0.5', 8080, FIN_ACK, OUTSIDE, 1000, 501));
    nat.in2outSlow(vm, tcp('10.0.0.5', 8080, '172.16.0.9', 5555, FIN_ACK, INSIDE, 2000, 1001), false);
    nat.out2in(vm, tcp('172.16.0.9', 5555, '10.0.0.5', 8080, ACK, OUTSIDE, 1001, 2001));
    expect(nat.thread.sessions.size).toBe(0);
  });
});

describe('forwarding-bypass keys of ICMP errors', () => {
  // create_bypass_for_fwd and nat_not_translate_output_feature_fwd key an ICMP error by the packet
  // it quotes (icmp_get_ed_key): a pod's flow that an outside host answered with an error then
  // leaves untranslated through the output feature, as a reply of a bypassed flow.
  it('an error from outside quoting a pod packet makes the bypass of that flow', () => {
    const vm = natVm({ forwarding: true, addresses: ['192.0.2.1'], outside: [], output_feature: ['outside0'] });
    const nat = nat44Of(vm)!;
    const podPacket = () => ipBuffer(ip4L4({ src: '10.0.0.5', dst: '172.16.0.9', proto: 17 }, { sport: 1111, dport: 53 }), INSIDE);
    const quoted = podPacket().current().slice();
    const err = ipBuffer(icmpError('172.16.0.9', '10.0.0.5', 3, quoted), OUTSIDE);
    expect(nat.out2in(vm, err)).toMatchObject({ next: O2I.LOOKUP, session: -1 });
    expect(nat.thread.sessions.size).toBe(1);
    expect(nat.in2outFast(vm, podPacket(), true)).toMatchObject({ next: I2O.LOOKUP, session: -1 });
    // An error from the pod about the outside host's packets of that flow is bypassed the same way.
    const back = ipBuffer(ip4L4({ src: '172.16.0.9', dst: '10.0.0.5', proto: 17 }, { sport: 53, dport: 1111 }), OUTSIDE).current().slice();
    expect(nat.in2outFast(vm, ipBuffer(icmpError('10.0.0.5', '172.16.0.9', 3, back), INSIDE), true)).toMatchObject({ next: I2O.LOOKUP, session: -1 });
  });
});

describe('a new LB session that cannot be made', () => {
  it('out2in at the session limit: `Maximum sessions exceeded`, and no backend is drawn', () => {
    const vm = natVm({ lb_static_mappings: [LB], max_translations: 1 });
    const nat = nat44Of(vm)!;
    expect(nat.out2in(vm, tcp('172.16.0.9', 5555, '10.96.0.1', 80, SYN, OUTSIDE))).toMatchObject({ next: O2I.LOOKUP, session: 0 });
    const seed = nat.random.seed;
    expect(nat.out2in(vm, tcp('172.16.0.9', 5556, '10.96.0.1', 80, SYN, OUTSIDE))).toMatchObject({
      next: O2I.DROP,
      session: -1,
      error: 'Maximum sessions exceeded',
    });
    expect(nat.random.seed).toBe(seed);
  });

  it('in2out from a backend at the session limit: `Maximum sessions exceeded`; with forwarding on it passes untranslated', () => {
    for (const forwarding of [false, true]) {
      const vm = natVm({ forwarding, lb_static_mappings: [LB], max_translations: 1 });
      const nat = nat44Of(vm)!;
      const first = tcp('10.0.0.5', 8080, '172.16.0.9', 443, SYN, INSIDE);
      expect(nat.in2outSlow(vm, first, false)).toMatchObject({ next: I2O.LOOKUP, session: 0 });
      expect(u32(first.bytes, first.start + 12)).toBe(ip4ToU32('10.96.0.1'));
      const second = nat.in2outSlow(vm, tcp('10.0.0.5', 8080, '172.16.0.10', 443, SYN, INSIDE), false);
      if (forwarding) expect(second).toMatchObject({ next: I2O.LOOKUP, session: -1 });
      else expect(second).toMatchObject({ next: I2O.DROP, session: -1, error: 'Maximum sessions exceeded' });
    }
  });

  // snat_out2in_lb takes the external host's address from the twice-NAT pool
  // (`snat_alloc_outside_address_and_port (sm->twice_nat_addresses, 0, ...)`), not the SNAT pool, and
  // nat_free_session_data frees that port again when the session ends.
  it('twice-NAT takes the twice-nat pool address, never the SNAT pool, and the close frees its port', () => {
    const vm = natVm({ addresses: ['192.0.2.1', { address: '192.0.2.50', twice_nat: true }], lb_static_mappings: [{ ...LB, twice_nat: true }] });
    const nat = nat44Of(vm)!;
    const syn = tcp('172.16.0.9', 5555, '10.96.0.1', 80, SYN, OUTSIDE);
    expect(nat.out2in(vm, syn)).toMatchObject({ next: O2I.LOOKUP, session: 0 });
    expect(u32(syn.bytes, syn.start + 12)).toBe(ip4ToU32('192.0.2.50'));
    const natPort = syn.bytes[syn.start + 20] * 256 + syn.bytes[syn.start + 21];
    expect(nat.twiceNatAddresses.isBusy(0, 1, natPort)).toBe(true);
    expect(nat.addresses.addresses[0].busy[1].size).toBe(0);
    const i2o = (flags: number, seq: number, ack: number) => nat.in2outSlow(vm, tcp('10.0.0.5', 8080, '192.0.2.50', natPort, flags, INSIDE, seq, ack), false);
    const o2i = (flags: number, seq: number, ack: number) => nat.out2in(vm, tcp('172.16.0.9', 5555, '10.96.0.1', 80, flags, OUTSIDE, seq, ack));
    expect(i2o(SYN | ACK, 500, 1)).toMatchObject({ next: I2O.LOOKUP, session: 0 });
    o2i(FIN_ACK, 1000, 501);
    i2o(FIN_ACK, 2000, 1001);
    o2i(ACK, 1001, 2001);
    expect(nat.thread.sessions.size).toBe(0);
    expect(nat.twiceNatAddresses.isBusy(0, 1, natPort)).toBe(false);
  });

  it('twice-NAT with no address: `Out of ports`; the half-made session then carries the flow untwice-NATed', () => {
    const vm = natVm({ lb_static_mappings: [{ ...LB, twice_nat: true }] });
    const nat = nat44Of(vm)!;
    expect(nat.out2in(vm, tcp('172.16.0.9', 5555, '10.96.0.1', 80, SYN, OUTSIDE))).toMatchObject({ next: O2I.DROP, session: -1, error: 'Out of ports' });
    const again = tcp('172.16.0.9', 5555, '10.96.0.1', 80, SYN, OUTSIDE);
    expect(nat.out2in(vm, again)).toMatchObject({ next: O2I.LOOKUP, session: 0 });
    expect(u32(again.bytes, again.start + 12)).toBe(ip4ToU32('172.16.0.9'));
    expect(u32(again.bytes, again.start + 16)).toBe(ip4ToU32('10.0.0.5'));
  });
});
