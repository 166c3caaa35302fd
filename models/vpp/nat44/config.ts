// The NAT44 configuration of one VPP instance, as an operator gives it (`set interface nat44 in/out`,
// `nat44 add address`, `nat44 add static mapping`, `nat44 add load-balancing static mapping`,
// `nat44 add identity mapping`, `nat44 forwarding enable`, startup.conf `nat { ... }`). The scenario
// section `nat44:` (schema in ./schema.ts) is mapped onto this 1:1; nothing here is derived from a
// trace. Addresses are dotted quads; ports are host-order numbers; `vrf` is a table id.

export type NatProtocolName = 'tcp' | 'udp' | 'icmp';

export interface Nat44Config {
  /** `nat44 forwarding enable`: untranslatable packets pass instead of being dropped (Contiv sets it). */
  forwarding: boolean;
  /** Interfaces with `nat44-in2out` on ip4-unicast (`set interface nat44 in X`). */
  inside: string[];
  /** Interfaces with `nat44-out2in` on ip4-unicast (`set interface nat44 out X`). */
  outside: string[];
  /**
   * `set interface nat44 out X output-feature`: `nat44-in2out-output` on ip4-output and
   * `nat44-out2in` on ip4-unicast (VPP enables both for an output-feature interface).
   */
  outputFeature: string[];
  /** Table ids of the inside / outside VRFs (startup `inside VRF id`, `outside VRF id`); default 0. */
  insideVrf: number;
  outsideVrf: number;
  /**
   * `nat44 add address A [tenant-vrf V] [twice-nat]`, in the order added (allocation takes the first
   * fitting one). `twice-nat` ones form the separate pool the external hosts of twice-NAT sessions
   * are translated to.
   */
  addresses: Array<{ address: string; vrf?: number; twiceNat?: boolean }>;
  /** Static mappings, identity mappings and load-balanced mappings, in configuration order. */
  staticMappings: StaticMappingConfig[];
  /** startup `max translations per user` (default 100). */
  maxTranslationsPerUser: number;
  /**
   * Upper bound of live sessions per thread (maximum_sessions_exceeded). VPP derives it from
   * startup `translation hash buckets` (10 x buckets, default 10240); given here, it wins.
   */
  maxTranslations: number;
  /**
   * startup `nat { translation hash buckets N }`: VPP creates the session bihashes with N buckets
   * up front and caps sessions at 10 N. The model pre-sizes its session hashes and session arrays
   * for N sessions (none of them grows before the N+1st session); absent, they start small and grow.
   * Sizing only: no lookup, index or draw depends on it.
   */
  translationHashBuckets?: number;
  // Deliberately no runtime history (session pool, LCG position): the model is always a freshly
  // started VPP; a case binds or masks the values a real VPP's past decided.
}

export interface StaticMappingConfig {
  /** `identity` is a static mapping whose local and external address/port are the same. */
  kind: 'static' | 'identity' | 'load-balanced';
  /** Local (inside) address; for identity mappings the one address. Not used by load-balanced ones. */
  local?: string;
  /** Local port; absent = address-only mapping. */
  localPort?: number;
  /** External address (VIP for load-balanced). */
  external?: string;
  externalPort?: number;
  /** Required when ports are given. */
  protocol?: NatProtocolName;
  /**
   * Table id of the local side (`vrf`). Absent on a static or identity mapping: the inside VRF
   * (`nat44 add static|identity mapping` default `vrf_id = ~0`, which snat_add_static_mapping turns
   * into `fib_index = sm->inside_fib_index`); a load-balanced mapping's CLI default is 0.
   */
  vrf?: number;
  twiceNat: boolean;
  /** `self-twice-nat` (only for a client that is also the chosen backend). */
  selfTwiceNat: boolean;
  out2inOnly: boolean;
  /** Backends of a load-balanced mapping with their probabilities (percent, summed in a u8). */
  locals?: Array<{ address: string; port: number; probability: number; vrf?: number }>;
}

export const NAT44_DEFAULTS = {
  maxTranslationsPerUser: 100,
  // translation_buckets (1024) * 10 is the per-thread default cap in 18.01 startup config
  maxTranslations: 10240,
} as const;
