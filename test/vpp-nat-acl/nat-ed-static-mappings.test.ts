// Which mappings send their flows to the endpoint-dependent path through `~0` entries of the 8-byte
// hashes, as the Contiv fork of 18.01 installs them (vpp-dev/vpp src/plugins/nat/nat.c @ 0d305478):
//   - nat44_add_del_lb_static_mapping adds the in2out `~0` of every local outside the `if
//     (!out2in_only)` that guards only static_mapping_by_local: an out2in-only service's backend
//     replies still find their session through snat_in2out_lb;
//   - snat_add_static_mapping, `if (twice_nat || out2in_only)`, adds in2out {l_addr, l_port} and
//     out2in {e_addr, e_port} `~0` entries for a plain mapping too: such flows take ED sessions
//     (snat_out2in_lb / snat_in2out_lb, out2in.c @ 0d305478, in2out.c @ 2994d210), twice-NAT ones
//     with an address and port of the twice-NAT pool for the external host;
//   - `nat44 add static mapping ... twice-nat` without ports is refused by the CLI ("twice NAT only
//     for 1:1 NAPT", nat44_cli.c @ 0d305478).

import { describe, expect, it } from 'vitest';
import { ip4ToU32 } from '../../harness/wire/address.js';
import { u16, u32 } from '../../harness/wire/bytes.js';
import { I2O, O2I } from '../../models/vpp/nat44/engine.js';
import { nat44Of } from '../../models/vpp/nat44/nodes.js';
import { SessionFlag } from '../../models/vpp/nat44/sessions.js';
import { ConfigFailure, ip4L4, ipBuffer } from './helpers.js';
import { INSIDE, natVm, OUTSIDE } from './nat-vm.js';

const SYN = 0x02;
const SYN_ACK = 0x12;

function tcp(src: string, sport: number, dst: string, dport: number, flags: number, rx: number) {
  return ipBuffer(ip4L4({ src, dst, proto: 6 }, { sport, dport, flags }), rx);
}

/** The packet's addresses and ports as "a:p > a:p". */
function endpoints(b: ReturnType<typeof tcp>): string {
  const p = b.current();
  const ip = (o: number) => [...p.subarray(o, o + 4)].join('.');
  return `${ip(12)}:${u16(p, 20)} > ${ip(16)}:${u16(p, 22)}`;
}

describe('an out2in-only load-balanced mapping', () => {
  it("keeps its backends' in2out `~0`: a backend's reply is translated back to the VIP with the session the client's SYN made", () => {
    const vm = natVm({
      lb_static_mappings: [
        {
          external: '10.96.0.1',
          external_port: 80,
          protocol: 'tcp',
          out2in_only: true,
          locals: [
            { address: '10.0.0.5', port: 8080, probability: 50 },
            { address: '10.0.0.6', port: 8080, probability: 50 },
          ],
        },
      ],
    });
    const nat = nat44Of(vm)!;
    const syn = tcp('172.16.0.9', 5555, '10.96.0.1', 80, SYN, OUTSIDE);
    // 50/50 from seed 0 picks backend 0 first (vpp-facts §8.5).
    expect(nat.out2in(vm, syn)).toMatchObject({ next: O2I.LOOKUP, session: 0 });
    expect(endpoints(syn)).toBe('172.16.0.9:5555 > 10.0.0.5:8080');
    const reply = tcp('10.0.0.5', 8080, '172.16.0.9', 5555, SYN_ACK, INSIDE);
    expect(nat.in2outFast(vm, reply, false).next).toBe(I2O.SLOW_PATH);
    expect(nat.in2outSlow(vm, reply, false)).toMatchObject({ next: I2O.LOOKUP, session: 0 });
    expect(endpoints(reply)).toBe('10.96.0.1:80 > 172.16.0.9:5555');
  });
});

describe('a plain static mapping with twice-nat or out2in-only takes the ED path', () => {
  const twice = {
    addresses: [{ address: '192.0.2.50', twice_nat: true }],
    static_mappings: [{ local: '10.0.0.7', local_port: 8080, external: '192.0.2.9', external_port: 80, protocol: 'tcp', twice_nat: true }],
  };

  it('twice-nat: the client is translated to a twice-NAT pool address and port, and the reply back to the client', () => {
    const vm = natVm(twice);
    const nat = nat44Of(vm)!;
    const syn = tcp('172.16.0.9', 5555, '192.0.2.9', 80, SYN, OUTSIDE);
    expect(nat.out2in(vm, syn)).toMatchObject({ next: O2I.LOOKUP, session: 0 });
    // No backend draw for a plain mapping: the twice-NAT port is the first draw from seed 0.
    expect(endpoints(syn)).toBe('192.0.2.50:16253 > 10.0.0.7:8080');
    const flags = nat.thread.flags(0);
    expect(flags & (SessionFlag.STATIC_MAPPING | SessionFlag.ENDPOINT_DEPENDENT | SessionFlag.TWICE_NAT)).toBe(
      SessionFlag.STATIC_MAPPING | SessionFlag.ENDPOINT_DEPENDENT | SessionFlag.TWICE_NAT,
    );
    expect(flags & SessionFlag.LOAD_BALANCING).toBe(0);
    const reply = tcp('10.0.0.7', 8080, '192.0.2.50', 16253, SYN_ACK, INSIDE);
    expect(nat.in2outFast(vm, reply, false).next).toBe(I2O.SLOW_PATH);
    expect(nat.in2outSlow(vm, reply, false)).toMatchObject({ next: I2O.LOOKUP, session: 0 });
    expect(endpoints(reply)).toBe('192.0.2.9:80 > 172.16.0.9:5555');
  });

  it('out2in-only: the local host cannot open a flow from the mapped port (snat_in2out_lb finds no mapping by local: drop, no error)', () => {
    const vm = natVm({
      addresses: ['192.0.2.1'],
      static_mappings: [{ local: '10.0.0.7', local_port: 8080, external: '192.0.2.9', external_port: 80, protocol: 'tcp', out2in_only: true }],
    });
    const nat = nat44Of(vm)!;
    const b = tcp('10.0.0.7', 8080, '172.16.0.9', 443, SYN, INSIDE);
    expect(nat.in2outFast(vm, b, false).next).toBe(I2O.SLOW_PATH);
    expect(nat.in2outSlow(vm, b, false)).toMatchObject({ next: I2O.DROP, session: -1, error: undefined });
    expect(u32(b.current(), 12)).toBe(ip4ToU32('10.0.0.7'));
  });

  it('twice-nat without ports is refused', () => {
    expect(() => natVm({ static_mappings: [{ local: '10.0.0.7', external: '192.0.2.9', twice_nat: true }] })).toThrow(
      new ConfigFailure('twice NAT only for 1:1 NAPT', 'static_mappings[0]'),
    );
  });
});
