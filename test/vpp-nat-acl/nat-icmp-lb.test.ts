// ICMP errors about a load-balanced flow (vpp-dev/vpp src/plugins/nat/out2in.c @ 0d305478,
// in2out.c @ 2994d210, icmp_match_*_slow): the quoted packet's 8-byte key is the LB mapping's `~0`,
// so VPP looks the flow's session up by the endpoint-dependent key of the quoted packet
// (icmp_get_ed_key) and translates the error with it - no new session, no backend drawn. With no
// such session it drops naming no error.

import { describe, expect, it } from 'vitest';
import { u16, u32 } from '../../harness/wire/bytes.js';
import { verifiesTo0xffff } from '../../harness/wire/checksum.js';
import { ip4ToU32 } from '../../harness/wire/address.js';
import { I2O, O2I } from '../../models/vpp/nat44/engine.js';
import { nat44Of } from '../../models/vpp/nat44/nodes.js';
import { ip4L4, ipBuffer } from './helpers.js';
import { icmpError } from './icmp-packets.js';
import { INSIDE, natVm, OUTSIDE } from './nat-vm.js';

const LB = { external: '10.96.0.1', external_port: 80, protocol: 'tcp', locals: [{ address: '10.0.0.5', port: 8080, probability: 100 }] };
const UNREACHABLE = 3;

function lbFlow() {
  const vm = natVm({ lb_static_mappings: [LB] });
  const nat = nat44Of(vm)!;
  const syn = ipBuffer(ip4L4({ src: '172.16.0.9', dst: '10.96.0.1', proto: 6 }, { sport: 5555, dport: 80 }), OUTSIDE);
  expect(nat.out2in(vm, syn)).toMatchObject({ next: O2I.LOOKUP, session: 0 });
  const reply = ipBuffer(ip4L4({ src: '10.0.0.5', dst: '172.16.0.9', proto: 6 }, { sport: 8080, dport: 5555, flags: 0x12 }), INSIDE);
  expect(nat.in2outSlow(vm, reply, false)).toMatchObject({ next: I2O.LOOKUP, session: 0 });
  return { vm, nat, inbound: syn.current().slice(), outbound: reply.current().slice() };
}

describe('ICMP errors of a load-balanced flow', () => {
  it('out2in: an error quoting the VIP reply reaches the backend (outer dst, quoted src and port)', () => {
    const { vm, nat, outbound } = lbFlow();
    const seed = nat.random.seed;
    const err = ipBuffer(icmpError('172.16.0.9', '10.96.0.1', UNREACHABLE, outbound), OUTSIDE);
    expect(nat.out2in(vm, err)).toMatchObject({ next: O2I.LOOKUP, session: 0 });
    const p = err.current();
    expect(u32(p, 16)).toBe(ip4ToU32('10.0.0.5'));
    expect(u32(p, 28 + 12)).toBe(ip4ToU32('10.0.0.5'));
    expect(u16(p, 28 + 20)).toBe(8080);
    expect(verifiesTo0xffff(p, 20, p.length - 20)).toBe(true);
    expect(nat.random.seed).toBe(seed);
  });

  it('in2out: an error from the backend quoting the client packet leaves as from the VIP', () => {
    const { vm, nat, inbound } = lbFlow();
    const err = ipBuffer(icmpError('10.0.0.5', '172.16.0.9', UNREACHABLE, inbound), INSIDE);
    expect(nat.in2outSlow(vm, err, false)).toMatchObject({ next: I2O.LOOKUP, session: 0 });
    const p = err.current();
    expect(u32(p, 12)).toBe(ip4ToU32('10.96.0.1'));
    expect(u32(p, 28 + 16)).toBe(ip4ToU32('10.96.0.1'));
    expect(u16(p, 28 + 22)).toBe(80);
    expect(verifiesTo0xffff(p, 20, p.length - 20)).toBe(true);
  });

  it('an error about an LB endpoint with no session is dropped naming no error', () => {
    const { vm, nat, outbound } = lbFlow();
    const other = outbound.slice();
    other[23] ^= 1; // another client port: no such ED session
    const err = ipBuffer(icmpError('172.16.0.9', '10.96.0.1', UNREACHABLE, other), OUTSIDE);
    expect(nat.out2in(vm, err)).toMatchObject({ next: O2I.DROP, session: -1, error: undefined });
  });
});
