// The /32 FIB entries the NAT44 plugin sources for its outside addresses, so that VPP answers ARP for
// them and takes packets to them in (vpp-dev/vpp src/plugins/nat/nat.c @ 0d305478, the Contiv fork):
//
// * snat_add_del_addr_to_fib: `fib_table_entry_update_one_path (ip4_fib_table_get_index_for_sw_if_index
//   (sw_if_index), /32, FIB_SOURCE_PLUGIN_HI, FIB_ENTRY_FLAG_CONNECTED | FIB_ENTRY_FLAG_LOCAL |
//   FIB_ENTRY_FLAG_EXCLUSIVE, DPO_PROTO_IP4, NULL, sw_if_index, ~0, 1, ...)`: in the outside
//   interface's own FIB, a local (receive) path, as ip4_add_interface_routes makes an interface
//   address's entry (same flags but EXCLUSIVE, source FIB_SOURCE_INTERFACE). ip4-lookup then hands a
//   packet to that address which NAT did not translate to ip4-local.
// * Which addresses: each `nat44 add address` except twice-NAT ones (snat_add_address returns before
//   the FIB when twice_nat; snat_interface_add_del walks sm->addresses only), and each address-only
//   static mapping whose local and external addresses differ (snat_add_static_mapping: `if (!addr_only
//   || (l_addr.as_u32 == e_addr.as_u32)) return 0;`, the same test in snat_interface_add_del). Not
//   identity mappings (local == external), not port or load-balanced mappings.
// * Which interfaces: every outside one. snat_interface_add_del (`set interface nat44 out`) adds them
//   all to the new outside interface's FIB; snat_interface_add_del_output_feature likewise for an
//   outside output-feature interface. snat_add_address and snat_add_static_mapping (address added after
//   the interfaces) walk sm->interfaces and sm->output_feature_interfaces with a `break` after the first
//   non-inside one, but inside pool_foreach that `break` only leaves the body's `do { BODY; } while (0)`
//   (vppinfra/pool.h), so every non-inside interface gets it as well. One case depends on configuration
//   order, which the scenario does not record: an interface both inside and outside that was set up
//   before the address is skipped there (`if (nat_interface_is_inside(i)) continue;`); the model gives
//   it the entries, as when the address came first.
//
// Priority: fib_source_t orders SPECIAL, CLASSIFY, PROXY, INTERFACE, SR, PLUGIN_HI, BIER, API, CLI, ...,
// ADJ (fib/fib_entry.h, 17.x/18.01-era copy liangfudeng/vpp 667cdb51; lower value wins), so an
// interface address keeps its entry, while a route or a neighbour's /32 is overridden by the receive.

import type { ConfigContext } from '../graph.js';
import type { Nat44 } from './engine.js';

/** Source the NAT44 outside addresses' /32 receive entries in every outside interface's FIB. */
export function installNat44FibEntries(nat: Nat44, ctx: ConfigContext): void {
  const addresses: number[] = nat.addresses.addresses.map((a) => a.addr);
  for (const m of nat.mappings.all) if (m.addrOnly && m.locals.length === 0 && m.localAddr !== m.externalAddr) addresses.push(m.externalAddr);
  if (addresses.length === 0) return;
  for (const sw of nat.itfs.outside) for (const addr of addresses) ctx.addPluginReceiveEntry(sw, addr);
}
