// Which pool address a new dynamic session gets (nat_alloc_addr_and_port_default, Contiv fork
// vpp-dev/vpp src/plugins/nat/nat.c @ 0d305478): an address bound to the RX FIB is taken at once;
// otherwise the loop only remembers a ~0-FIB address, `else if (a->fib_index == ~0) { ga = a; gi = i; }`,
// so the LAST such address with ports left is the one allocated from. Addresses added without a
// tenant VRF have FIB ~0.

import { describe, expect, it } from 'vitest';
import { ip4ToU32 } from '../../harness/wire/address.js';
import { u32 } from '../../harness/wire/bytes.js';
import { AddressPool } from '../../models/vpp/nat44/addresses.js';
import { NatRandom } from '../../models/vpp/nat44/random.js';
import { ip4L4, ipBuffer, runNode } from './helpers.js';
import { INSIDE, natVm } from './nat-vm.js';

const TCP = 1;

describe('NAT44 dynamic address choice', () => {
  it('with two pool addresses and no tenant VRF, an inside client is translated to the second', () => {
    const vm = natVm({ addresses: ['192.0.2.1', '192.0.2.2'] });
    const b = ipBuffer(ip4L4({ src: '10.0.0.5', dst: '172.16.0.9', proto: 6 }, { sport: 1111, dport: 80, flags: 0x02 }), INSIDE);
    const fast = runNode(vm, 'nat44-in2out', b);
    expect(fast.next).toBe('nat44-in2out-slowpath');
    runNode(vm, 'nat44-in2out-slowpath', b);
    expect(u32(b.bytes, b.start + 12)).toBe(ip4ToU32('192.0.2.2'));
  });

  it('an address bound to the RX FIB wins over any ~0 one, wherever it stands', () => {
    const pool = new AddressPool();
    pool.add(0xc0000201);
    pool.add(0xc0000202, 0);
    pool.add(0xc0000203);
    expect(pool.allocate(TCP, 0, new NatRandom())!.addr).toBe(0xc0000202);
  });

  it('a ~0 address whose ports are all busy is passed over for the previous one', () => {
    const pool = new AddressPool();
    pool.add(0xc0000201);
    pool.add(0xc0000202);
    for (let p = 0; p < 64511; p++) pool.addresses[1].busy[TCP].add(1025 + p);
    expect(pool.allocate(TCP, 0, new NatRandom())!.addr).toBe(0xc0000201);
  });
});
