// An echo request from outside, with forwarding off, to an address of the outside interface that no
// session or static mapping covers. icmp_match_out2in_slow (vpp-dev/vpp src/plugins/nat/out2in.c @
// 0d305478): `if (!sm->forwarding_enabled) { /* Don't NAT packet aimed at the intfc address */ if
// (is_interface_addr (sm, node, sw_if_index0, ip0->dst_address.as_u32)) { dont_translate = 1; goto
// out; } b0->error = ...[SNAT_OUT2IN_ERROR_NO_TRANSLATION]; next0 = SNAT_OUT2IN_NEXT_DROP; ...}`;
// icmp_out2in leaves next0 at SNAT_OUT2IN_NEXT_LOOKUP and the packet untouched when dont_translate,
// and the record prints no session (s0 stays 0). is_interface_addr (nat.h @ 2994d210) compares with
// ip4_interface_first_address only: the interface's first address, not any of them.

import { describe, expect, it } from 'vitest';
import { O2I } from '../../models/vpp/nat44/engine.js';
import { nat44Plugin } from '../../models/vpp/nat44/index.js';
import { nat44Of } from '../../models/vpp/nat44/nodes.js';
import { addRoute, install, ipBuffer, makeVm, runNode } from './helpers.js';
import { echoRequest } from './icmp-packets.js';

const OUTSIDE = 1;

/** Outside interface with two addresses (192.0.2.1 configured first), forwarding off, no pool. */
function twoAddressVm() {
  const vm = makeVm([
    { name: 'outside0', sw: OUTSIDE, ip4: ['192.0.2.1', '192.0.2.2'] },
    { name: 'inside0', sw: 2 },
  ]);
  install(vm, nat44Plugin, { outside: ['outside0'], inside: ['inside0'] });
  addRoute(vm, '0.0.0.0', 0, OUTSIDE);
  return vm;
}

describe('out2in: an echo request to the outside interface\'s own address, forwarding off', () => {
  it('to the interface\'s first address: not translated, next ip4-lookup (VPP itself answers), no session', () => {
    const vm = twoAddressVm();
    const b = ipBuffer(echoRequest('198.51.100.7', '192.0.2.1', 0x1234), OUTSIDE);
    const before = b.current().slice();
    const r = runNode(vm, 'nat44-out2in', b);
    expect(r.next).toBe('ip4-lookup');
    expect(r.stage!.lines[0].trim()).toBe('NAT44_OUT2IN: sw_if_index 1, next index 1, session index -1');
    expect(b.current()).toEqual(before);
    expect(nat44Of(vm)!.thread.sessions.size).toBe(0);
  });

  it('to its second address: is_interface_addr knows only the first, so "No translation"', () => {
    const vm = twoAddressVm();
    const b = ipBuffer(echoRequest('198.51.100.7', '192.0.2.2', 0x1234), OUTSIDE);
    expect(nat44Of(vm)!.out2in(vm, b)).toMatchObject({ next: O2I.DROP, session: -1, error: 'No translation' });
  });
});
