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
  /** Of those, the ports at or below 1024 (a static mapping's), which VPP does not count as busy. */
  low: [number, number, number];
}

export class AddressPool {
  readonly addresses: PoolAddress[] = [];

  add(addr: number, fib = -1): void {
    this.addresses.push({ addr, fib, busy: [new Set(), new Set(), new Set()], low: [0, 0, 0] });
  }

  /**
   * A static mapping's external port on a pool address (snat_add_static_mapping and
   * nat44_add_del_lb_static_mapping, vpp-dev/vpp src/plugins/nat/nat.c @ 0d305478: "Find external
   * address in allocated addresses and reserve port for address and port pair mapping when dynamic
   * translations enabled"): `if (clib_bitmap_get_no_check (a->busy_<p>_port_bitmap, e_port)) return
   * VNET_API_ERROR_INVALID_VALUE; clib_bitmap_set_no_check (..., e_port, 1); if (e_port > 1024)
   * { a->busy_<p>_ports++; a->busy_<p>_ports_per_thread[...]++; }`. A dynamic session then never
   * draws that port. False: the port is taken already (VPP refuses the mapping); true otherwise,
   * also when `addr` is not a pool address.
   */
  reserve(addr: number, proto: NatProtoValue, port: number): boolean {
    const a = this.addresses.find((x) => x.addr === addr);
    if (!a) return true;
    if (a.busy[proto].has(port)) return false;
    a.busy[proto].add(port);
    if (port <= 1024) a.low[proto]++;
    return true;
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
      if (a.busy[proto].size - a.low[proto] >= PORT_PER_THREAD) continue;
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
