// What adding a static or identity mapping does to the rest of NAT44 in the Contiv fork of 18.01
// (vpp-dev/vpp src/plugins/nat/nat.c snat_add_static_mapping, nat44_cli.c @ 0d305478):
//   - "Find external address in allocated addresses and reserve port for address and port pair
//     mapping when dynamic translations enabled": a port mapping whose external address is a pool
//     address marks that port busy, so no dynamic session draws it (and a second mapping of the same
//     port is refused: "External port already in use.");
//   - `nat44 add static mapping` / `nat44 add identity mapping` default to `vrf_id = ~0`, which
//     snat_add_static_mapping reads as "If not specified use inside VRF id from SNAT plugin startup
//     config": `fib_index = sm->inside_fib_index`.
// An identity mapping is `snat_add_static_mapping (addr, addr, port, port, vrf_id, addr_only, ...)`:
// its flows take static-mapping sessions like any other (translated to themselves).

import { describe, expect, it } from 'vitest';
import { ip4ToU32 } from '../../harness/wire/address.js';
import { u16, u32 } from '../../harness/wire/bytes.js';
import { nat44Plugin } from '../../models/vpp/nat44/index.js';
import { addRoute, ConfigFailure, install, ip4L4, ipBuffer, makeVm, runNode } from './helpers.js';
import { INSIDE, natVm } from './nat-vm.js';

/** A new inside flow from 10.0.0.5:1111 to the internet through in2out and its slow path; the packet after. */
function newFlow(vm: ReturnType<typeof natVm>, proto: 6 | 17, src = '10.0.0.5', rx = INSIDE) {
  const b = ipBuffer(ip4L4({ src, dst: '172.16.0.9', proto }, { sport: 1111, dport: 80, flags: 0x02 }), rx);
  expect(runNode(vm, 'nat44-in2out', b).next).toBe('nat44-in2out-slowpath');
  const slow = runNode(vm, 'nat44-in2out-slowpath', b);
  return { b, slow, src: u32(b.bytes, b.start + 12), sport: u16(b.bytes, b.start + 20) };
}

describe('a static port mapping on a pool address reserves its external port', () => {
  // From LCG seed 0 the dynamic ports are 16253, 18995, ... (vpp-facts §8.6).
  const tcpMapping = { local: '10.0.0.7', local_port: 80, external: '192.0.2.1', external_port: 16253, protocol: 'tcp' };

  it('a dynamic TCP session redraws past the mapped TCP port', () => {
    const tcp = newFlow(natVm({ addresses: ['192.0.2.1'], static_mappings: [tcpMapping] }), 6);
    expect(tcp.src).toBe(ip4ToU32('192.0.2.1'));
    expect(tcp.sport).toBe(18995);
  });

  it('the reservation is per protocol: a UDP session still draws that port', () => {
    expect(newFlow(natVm({ addresses: ['192.0.2.1'], static_mappings: [tcpMapping] }), 17).sport).toBe(16253);
  });

  it('an identity port mapping of a pool address reserves its port as well', () => {
    const vm = natVm({ addresses: ['192.0.2.1'], identity_mappings: [{ address: '192.0.2.1', port: 16253, protocol: 'tcp' }] });
    expect(newFlow(vm, 6).sport).toBe(18995);
  });

  it('an out2in-only mapping reserves nothing (`if (!(addr_only || sm->static_mapping_only || out2in_only))`)', () => {
    const vm = natVm({
      addresses: ['192.0.2.1'],
      static_mappings: [{ local: '10.0.0.7', local_port: 80, external: '192.0.2.1', external_port: 16253, protocol: 'tcp', out2in_only: true }],
    });
    expect(newFlow(vm, 6).sport).toBe(16253);
  });

  it('a second mapping of the same external port is refused', () => {
    expect(() =>
      natVm({
        addresses: ['192.0.2.1'],
        static_mappings: [
          { local: '10.0.0.7', local_port: 80, external: '192.0.2.1', external_port: 8080, protocol: 'tcp' },
          { local: '10.0.0.8', local_port: 80, external: '192.0.2.1', external_port: 8080, protocol: 'tcp' },
        ],
      }),
    ).toThrow(new ConfigFailure('External port already in use.', 'static_mappings[1].external_port'));
  });
});

describe('a static or identity mapping without vrf is in the inside VRF', () => {
  it('an identity mapping (no vrf) matches an inside host in the inside VRF: its flow keeps its address and port', () => {
    const vm = makeVm([
      { name: 'outside0', sw: 1, ip4: ['192.0.2.1'] },
      { name: 'inside0', sw: 2, fib: 1 },
    ]);
    vm.fibs.set(1, { index: 1, tableId: 10, byLength: new Map() });
    vm.fibByTableId.set(10, vm.fibs.get(1)!);
    install(vm, nat44Plugin, { outside: ['outside0'], inside: ['inside0'], inside_vrf: 10, addresses: ['192.0.2.1'], identity_mappings: [{ address: '10.0.0.7' }] });
    addRoute(vm, '0.0.0.0', 0, 1);
    const flow = newFlow(vm, 6, '10.0.0.7');
    expect(flow.slow.stage!.fields).toMatchObject({ next_index: 0, session_index: 0 });
    expect(flow.src).toBe(ip4ToU32('10.0.0.7'));
    expect(flow.sport).toBe(1111);
  });
});
