// The configuration-derived state of one VPP instance: interfaces, FIBs and their DPOs (adjacencies,
// load-balances), bridge domains with their l2fib, VXLAN tunnels. Built from the scenario by
// configure.ts; nodes read it through `vm` and never reach into the scenario.

import type { Ip4Mtrie } from './fib-mtrie.js';

/** What kind of device an interface is; decides its input/output/tx node names. */
export type InterfaceKind = 'dpdk' | 'tap' | 'tapcli' | 'loop' | 'vxlan';

export interface Ip4InterfaceAddress {
  /** Address as a big-endian u32 (ip4ToU32). */
  address: number;
  prefixLength: number;
}

export interface SwInterface {
  name: string;
  swIfIndex: number;
  hwIfIndex: number;
  kind: InterfaceKind;
  mac: Uint8Array;
  ip4: Ip4InterfaceAddress[];
  /** FIB index the interface is bound to (ip4 table of `ip table` / `set int ip table`). */
  fibIndex: number;
  /** max_l3_packet_bytes of adjacencies on this interface (interface MTU). */
  mtu: number;
  /** L2 mode: member of a bridge domain (BVI or not). */
  l2?: { bdIndex: number; bvi: boolean; shg: number; /** swif seq_num: low byte of l2fib_sn */ seqNum: number };
  /**
   * L2 input classify tables the ACL plugin installed (ACL-on-L2 in 18.01): `table`, the IPv4 one,
   * and `next`, the node its misses go to; `otherTable`, the index of the table for other
   * ethertypes, when VPP set one (nodes/l2.ts l2InputClassifyNode).
   */
  l2Classify?: { table: number; next: string; otherTable?: number };
  /**
   * Enabled feature nodes per arc (`ip4-unicast`, `ip4-output`), unordered; the arc orders them.
   * The lists may be replaced or pushed to at any time; the record itself is the interface's for
   * life (Vm keeps it with its resolved arcs).
   */
  readonly features: Record<string, string[]>;
  /** Device details a trace prints (virtio vring, dpdk port/queue...). */
  device: { port?: number; queue?: number; pciAddress?: string };
  /** `<name>-output`, formatted once on first use (Vm.outputNodeName), so no packet formats it. */
  outputNode?: string;
}

/** A FIB entry's forwarding: the DPO ip4-lookup reaches. */
export type Dpo =
  | { type: 'adj'; index: number }
  | { type: 'lb'; index: number }
  | { type: 'receive'; index: number; swIfIndex: number }
  | { type: 'drop'; index: number };

/** An adjacency: rewrite (complete neighbour), glean, or incomplete ARP. */
export interface Adjacency {
  index: number;
  kind: 'rewrite' | 'glean' | 'incomplete';
  /** `ipv4`, `ipv6`, `mpls`... as the adjacency text prints it. */
  link: string;
  swIfIndex: number;
  /** Next hop, big-endian u32 (0 for glean). */
  nextHop: number;
  /** dst MAC + src MAC + ethertype (14 bytes for Ethernet). */
  rewrite: Uint8Array;
  /** max_l3_packet_bytes. */
  maxL3PacketBytes: number;
}

/** Load-balance indices the scenario does not state (never printed) are allocated from here. */
export const HIDDEN_LB_BASE = 1_000_000;

/** A load-balance object: the buckets ip4-lookup / ip4-load-balance choose from. */
export interface LoadBalance {
  index: number;
  buckets: Dpo[];
  /** IP flow-hash config bits (vpp-facts §7.1), default 0x1f. */
  flowHashConfig: number;
}

/** A FIB entry: a value (another forwarding is another entry, set in the FIB's maps, which the mtrie sees). */
export interface FibEntry {
  /** Network address (big-endian u32, already masked) and prefix length. */
  readonly network: number;
  readonly prefixLength: number;
  /** The load-balance the entry resolves to (every FIB entry has one in VPP). */
  readonly lbIndex: number;
}

export interface Fib {
  index: number;
  tableId: number;
  /**
   * Entries grouped by prefix length (the table of record). configure.ts makes it a FibLengths
   * (fib-prefixes.ts), whose changes the mtrie sees; a plain Map works too, searched by the scan.
   */
  byLength: Map<number, Map<number, FibEntry>>;
  /** Vm.fibLookupLb's mtrie, built from byLength on first lookup and after each change of it. */
  mtrie?: Ip4Mtrie;
}

export interface L2fibEntry {
  mac: string;
  swIfIndex: number;
  /** static_mac: learning never moves it; a frame from it on another port is a mac move violation. */
  isStatic: boolean;
  /**
   * !age_not: learned by l2-learn (aged and stale-checked) rather than provisioned. l2fib_add_entry
   * (l2_fib.c, 17.x/18.01-era copy liangfudeng/vpp 667cdb51) sets `age_not = 1` ("no aging for
   * provisioned entry") for every configured entry, static or not; l2learn_process clears it when a
   * non-static provisioned MAC moves.
   */
  learned: boolean;
  /** BVI entries deliver to the BVI (L3) instead of an output interface. */
  bvi: boolean;
  /** Sequence number the entry was learned with (l2fib_sn), compared on forwarding. */
  sn: number;
}

export interface BridgeDomain {
  bdId: number;
  bdIndex: number;
  learn: boolean;
  forward: boolean;
  flood: boolean;
  unknownUnicastFlood: boolean;
  /** MAC aging in minutes; 0 = off. Its low byte ends up in the flow-hash leftover (bd_age). */
  macAge: number;
  /** bd seq_num (incremented on flush); part of l2fib_sn. */
  seqNum: number;
  /** Member sw_if_indices in the order they were added. */
  members: number[];
  bviSwIfIndex: number | null;
  l2fib: Map<string, L2fibEntry>;
}

export interface VxlanTunnel {
  /** Tunnel pool index: `vxlan_tunnel{index}`. */
  index: number;
  swIfIndex: number;
  src: number;
  dst: number;
  vni: number;
  encapFibIndex: number;
  /** Decap next: 1 = l2-input (bridged). */
  decapNext: number;
  /** The DPO the outer packet follows (the FIB's LB for dst, stacked at creation). */
  next: Dpo;
}
