// ACL plugin configuration of one VPP instance, as an operator gives it (`acl_add_replace`,
// `acl_interface_set_acl_list`): ACLs by global index, each an ordered rule list, and per interface
// the ordered input and output ACL lists. The scenario section `acl:` maps onto this 1:1.

export type AclAction = 'deny' | 'permit' | 'reflect';

export interface AclRuleConfig {
  /** deny (0), permit (1), permit+reflect (2: creates a session that admits the reverse flow). */
  action: AclAction;
  /** Source / destination prefixes `a.b.c.d/len`; absent = 0.0.0.0/0. */
  src?: string;
  dst?: string;
  /** IP protocol number; 0 or absent = any (then ports and flags are not checked). */
  protocol?: number;
  /** Inclusive ranges; for ICMP the source range is the type range and the destination range the code range. */
  srcPorts?: [number, number];
  dstPorts?: [number, number];
  /** TCP only: (flags & mask) == value. */
  tcpFlagsMask?: number;
  tcpFlagsValue?: number;
}

export interface AclDefinition {
  /** The global ACL index VPP assigned (what `match: acl N` prints). */
  index: number;
  tag?: string;
  rules: AclRuleConfig[];
}

export interface AclInterfaceConfig {
  interface: string;
  /** ACL indices applied on input / output, in order (first match wins across the list). */
  input: number[];
  output: number[];
}

export interface AclConfig {
  acls: AclDefinition[];
  interfaces: AclInterfaceConfig[];
  /** fa_conn_table_max_entries (default 1000000): a reflect beyond it is denied. */
  maxSessions?: number;
  /**
   * fa_conn_table_hash_num_buckets (startup.conf `connection hash buckets`): sessions the tables
   * make room for up front (VPP allocates its connection hash at startup too). Absent: grow from
   * small. Speed only: no session number or decision depends on it.
   */
  connectionHashBuckets?: number;
  /**
   * `set acl-plugin session timeout {udp idle|tcp idle|tcp transient} <seconds>` (acl.c
   * acl_set_aclplugin_fn -> acl_set_timeout_sec); absent: acl.h's defaults (600, 86400, 120).
   */
  sessionTimeout?: { udpIdle?: number; tcpIdle?: number; tcpTransient?: number };
}

export const ACL_DEFAULT_MAX_SESSIONS = 1_000_000;
