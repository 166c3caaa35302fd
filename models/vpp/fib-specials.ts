// The entries VPP puts in every IPv4 FIB when it creates it, before any interface or route: VPP
// 18.01 src/vnet/fib/ip4_fib.c, table ip4_specials, added by ip4_create_fib_with_table_id through
// fib_table_entry_special_add (the 18.01-era version: ip4_main.v4_fibs pool, source-locked tables;
// no copy tagged v18.01 in the index, so the version is inferred). Each is flagged
// FIB_ENTRY_FLAG_DROP, so its load-balance has one bucket, the IPv4 drop DPO, which leads
// ip4-lookup to ip4-drop: a lookup in a VPP FIB never misses, the default route catches it.

import type { Dpo, LoadBalance } from './state.js';

/** fib_source_t of a special entry (the source name as `show ip fib` prints it). */
type SpecialSource = 'default-route' | 'special';

interface Ip4Special {
  /** Network, big-endian u32, and prefix length. */
  readonly network: number;
  readonly length: number;
  readonly source: SpecialSource;
}

/** ip4_specials, in VPP's order (every one FIB_ENTRY_FLAG_DROP). */
export const IP4_SPECIALS: readonly Ip4Special[] = [
  { network: 0x00000000, length: 0, source: 'default-route' }, // 0.0.0.0/0
  { network: 0x00000000, length: 32, source: 'default-route' }, // 0.0.0.0/32
  { network: 0xf0000000, length: 4, source: 'special' }, // 240.0.0.0/4, class E
  { network: 0xe0000000, length: 4, source: 'special' }, // 224.0.0.0/4, multicast
  { network: 0xffffffff, length: 32, source: 'default-route' }, // 255.255.255.255/32
];

/**
 * The IPv4 drop DPO: drop_dpo_get(DPO_PROTO_IP4) (src/vnet/dpo/drop_dpo.c) sets dpoi_index to the
 * protocol, and DPO_PROTO_IP4 is 0 (dpo.h). ip4-lookup stores dpoi_index in adj_index[TX] and its
 * record prints it: `dpo-idx 0`.
 */
export const IP4_DROP_DPO: Dpo = { type: 'drop', index: 0 };

/** Add the special entries to a new FIB through `addEntry` (which numbers their load-balances). */
export function installIp4Specials(addEntry: (network: number, length: number, buckets: Dpo[]) => void): void {
  for (const s of IP4_SPECIALS) addEntry(s.network, s.length, [IP4_DROP_DPO]);
}

/**
 * Does the load-balance only drop? A next hop whose longest match is such an entry is covered by
 * nothing but a special prefix: the scenario gave no route to it.
 */
export function onlyDrops(lb: LoadBalance | undefined): boolean {
  return lb !== undefined && lb.buckets.every((d) => d.type === 'drop');
}
