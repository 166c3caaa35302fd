// Which NAT44 translations flag the buffer VNET_BUFFER_F_IS_NATED (ip4-local skips its checks for a
// flagged packet; dpdk tx dumps print `nated`). Contiv fork: nat44-in2out's TCP/UDP path writes
// `b0->flags |= VNET_BUFFER_F_IS_NATED;` (vpp-dev/vpp src/plugins/nat/in2out.c @ 2994d210,
// snat_in2out_node_fn_inline); nothing in out2in.c @ 0d305478 (snat_out2in_node_fn, snat_out2in_lb,
// snat_out2in_unknown_proto, icmp_out2in) writes it, nor does icmp_in2out (the ICMP branch jumps to
// the trace past that line).

import { describe, expect, it } from 'vitest';
import { u32 } from '../../harness/wire/bytes.js';
import { ip4ToU32 } from '../../harness/wire/address.js';
import { BufferFlag } from '../../models/vpp/buffer.js';
import { I2O, O2I } from '../../models/vpp/nat44/engine.js';
import { nat44Of } from '../../models/vpp/nat44/nodes.js';
import { ip4L4, ipBuffer } from './helpers.js';
import { echoRequest } from './icmp-packets.js';
import { INSIDE, natVm, OUTSIDE } from './nat-vm.js';

const nated = (b: { flags: number }) => (b.flags & BufferFlag.IS_NATED) !== 0;
const ADDRESS_ONLY = { static_mappings: [{ local: '10.0.0.5', external: '192.0.2.50' }] };

describe('VNET_BUFFER_F_IS_NATED', () => {
  it('out2in translates a TCP packet by a static mapping without flagging it', () => {
    const vm = natVm(ADDRESS_ONLY);
    const b = ipBuffer(ip4L4({ src: '172.16.0.9', dst: '192.0.2.50', proto: 6 }, { sport: 5555, dport: 80 }), OUTSIDE);
    expect(nat44Of(vm)!.out2in(vm, b)).toMatchObject({ next: O2I.LOOKUP, session: 0 });
    expect(b.current()[19]).toBe(5); // translated: dst 10.0.0.5
    expect(nated(b)).toBe(false);
  });

  it('out2in translates an echo request by an address-only mapping without flagging it', () => {
    const vm = natVm(ADDRESS_ONLY);
    const b = ipBuffer(echoRequest('172.16.0.9', '192.0.2.50', 0x77), OUTSIDE);
    expect(nat44Of(vm)!.out2in(vm, b)).toMatchObject({ next: O2I.LOOKUP, session: 0 });
    expect(b.current()[19]).toBe(5);
    expect(nated(b)).toBe(false);
  });

  it('in2out flags a translated TCP packet, but not a translated echo request', () => {
    const vm = natVm({ addresses: ['192.0.2.1'] });
    const nat = nat44Of(vm)!;
    const tcp = ipBuffer(ip4L4({ src: '10.0.0.5', dst: '172.16.0.9', proto: 6 }, { sport: 5555, dport: 80 }), INSIDE);
    expect(nat.in2outSlow(vm, tcp, false)).toMatchObject({ next: I2O.LOOKUP, session: 0 });
    expect(nated(tcp)).toBe(true);
    const echo = ipBuffer(echoRequest('10.0.0.5', '172.16.0.9', 0x77), INSIDE);
    expect(nat.in2outSlow(vm, echo, false)).toMatchObject({ next: I2O.LOOKUP, session: 1 });
    expect(echo.current()[15]).toBe(1); // translated: src 192.0.2.1
    expect(nated(echo)).toBe(false);
  });

  it('in2out translates an unknown-protocol packet (GRE) without flagging it, hairpinned or not', () => {
    const vm = natVm({ addresses: ['192.0.2.1'], static_mappings: [{ local: '10.0.0.7', external: '192.0.2.7' }] });
    const nat = nat44Of(vm)!;
    const gre = (dst: string) => ipBuffer(ip4L4({ src: '10.0.0.5', dst, proto: 47 }, { sport: 0, dport: 0 }), INSIDE);
    const out = gre('172.16.0.9');
    expect(nat.in2outSlow(vm, out, false)).toMatchObject({ next: I2O.LOOKUP, session: 0 });
    expect(u32(out.bytes, out.start + 12)).toBe(ip4ToU32('192.0.2.1'));
    expect(nated(out)).toBe(false);
    const hairpinned = gre('192.0.2.7');
    expect(nat.in2outSlow(vm, hairpinned, false)).toMatchObject({ next: I2O.LOOKUP, session: 1 });
    expect(u32(hairpinned.bytes, hairpinned.start + 16)).toBe(ip4ToU32('10.0.0.7'));
    expect(nated(hairpinned)).toBe(false);
  });

  it("in2out translates a load-balanced backend's reply without flagging it; a plain TCP session on the same node is flagged", () => {
    const lb = { external: '10.96.0.1', external_port: 80, protocol: 'tcp', locals: [{ address: '10.0.0.5', port: 8080, probability: 100 }] };
    for (const output of [false, true]) {
      const vm = natVm(output ? { addresses: ['192.0.2.1'], lb_static_mappings: [lb], outside: [], output_feature: ['outside0'] } : { addresses: ['192.0.2.1'], lb_static_mappings: [lb] });
      const nat = nat44Of(vm)!;
      const reply = ipBuffer(ip4L4({ src: '10.0.0.5', dst: '172.16.0.9', proto: 6 }, { sport: 8080, dport: 5555 }), INSIDE);
      expect(nat.in2outSlow(vm, reply, output)).toMatchObject({ next: I2O.LOOKUP, session: 0 });
      expect(u32(reply.bytes, reply.start + 12)).toBe(ip4ToU32('10.96.0.1'));
      expect(nated(reply)).toBe(false);
      const plain = ipBuffer(ip4L4({ src: '10.0.0.6', dst: '172.16.0.9', proto: 6 }, { sport: 5555, dport: 80 }), INSIDE);
      expect(nat.in2outSlow(vm, plain, output)).toMatchObject({ next: I2O.LOOKUP, session: 1 });
      expect(nated(plain)).toBe(true);
    }
  });
});
