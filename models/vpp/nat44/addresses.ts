// The NAT44 address pool (`nat44 add address`) and dynamic port allocation,
// snat_alloc_outside_address_and_port / snat_free_outside_address_and_port (vpp-facts §8.6).

import { candidatePort, PORT_PER_THREAD } from './ports.js';
import type { NatProtoValue } from './keys.js';
import type { NatRandom } from './random.js';

export interface PoolAddress {
  addr: number;
  /** FIB of `tenant-vrf`, or -1 (~0) for an address any FIB may use. */
  fib: number;
  /** Busy ports per NAT protocol (UDP, TCP, ICMP). */
  busy: [Set<number>, Set<number>, Set<number>];
}

export class AddressPool {
  readonly addresses: PoolAddress[] = [];

  add(addr: number, fib = -1): void {
    this.addresses.push({ addr, fib, busy: [new Set(), new Set(), new Set()] });
  }

  /**
   * A free {address, port} for a new dynamic session from `rxFib`: the first address bound to that
   * FIB with ports left, else the LAST one with FIB ~0 and ports left; the port is redrawn while
   * busy. Undefined = out of ports. Each candidate port consumes a draw of the shared generator.
   * nat_alloc_addr_and_port_default (Contiv fork vpp-dev/vpp src/plugins/nat/nat.c @ 0d305478): the
   * loop returns at once on `a->fib_index == fib_index` but only remembers a ~0 address,
   * `else if (a->fib_index == ~0) { ga = a; gi = i; }`, overwriting it for every later one, and
   * allocates from `ga` after the loop. Pool addresses added without a tenant VRF are ~0.
   */
  allocate(proto: NatProtoValue, rxFib: number, random: NatRandom, thread = 0): { index: number; addr: number; port: number } | undefined {
    let fallback = -1;
    for (let i = 0; i < this.addresses.length; i++) {
      const a = this.addresses[i];
      if (a.busy[proto].size >= PORT_PER_THREAD) continue;
      if (a.fib === rxFib) return this.take(i, proto, random, thread);
      if (a.fib === -1) fallback = i;
    }
    return fallback >= 0 ? this.take(fallback, proto, random, thread) : undefined;
  }

  private take(index: number, proto: NatProtoValue, random: NatRandom, thread: number): { index: number; addr: number; port: number } {
    const a = this.addresses[index];
    let port: number;
    do port = candidatePort(random, thread);
    while (a.busy[proto].has(port));
    a.busy[proto].add(port);
    return { index, addr: a.addr, port };
  }

  free(index: number, proto: NatProtoValue, port: number): void {
    this.addresses[index]?.busy[proto].delete(port);
  }

  isBusy(index: number, proto: NatProtoValue, port: number): boolean {
    return this.addresses[index]?.busy[proto].has(port) ?? false;
  }
}
