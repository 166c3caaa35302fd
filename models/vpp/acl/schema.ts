// The `acl:` scenario section (snake_case) and its mapping onto AclConfig.

import { s } from '../../../harness/scenario/schema.js';
import type { AclConfig } from './config.js';

const range = s.array(s.int(0, 65535));

export const aclSchema = s.obj({
  acls: s.array(
    s.obj({
      index: s.req(s.int(0)),
      tag: s.str(),
      rules: s.req(
        s.array(
          s.obj({
            action: s.req(s.enumOf('deny', 'permit', 'reflect')),
            src: s.str('ip4-prefix'),
            dst: s.str('ip4-prefix'),
            protocol: s.int(0, 255),
            src_ports: range,
            dst_ports: range,
            tcp_flags_mask: s.int(0, 255),
            tcp_flags_value: s.int(0, 255),
          }),
        ),
      ),
    }),
  ),
  interfaces: s.array(s.obj({ interface: s.req(s.str()), input: s.array(s.int(0)), output: s.array(s.int(0)) })),
  max_sessions: s.int(1),
  // startup.conf `acl-plugin { connection hash buckets N }` (fa_conn_table_hash_num_buckets): the
  // model makes room for N sessions up front instead of growing its tables; at most 2^22 here (a
  // size the machine cannot allocate fails at this key).
  connection_hash_buckets: s.int(1, 1 << 22),
  // `set acl-plugin session timeout udp idle <s>` / `tcp idle <s>` / `tcp transient <s>` (acl.c
  // acl_set_aclplugin_fn), in seconds; absent: acl.h's defaults 600 / 86400 / 120. The idle cleaner
  // runs on the packets' capture timestamps (idle-cleaner.ts). At least 1 s here (VPP takes 0 too).
  session_timeout: s.obj({ udp_idle: s.int(1, 0xffffffff), tcp_idle: s.int(1, 0xffffffff), tcp_transient: s.int(1, 0xffffffff) }),
  // No `history:`: the session pool a running VPP accumulated is not configuration (cases bind the
  // session indices instead).
});

type Yaml = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Map the (schema-valid) YAML section onto AclConfig; `fail` reports a bad value at its key path. */
export function aclConfigFromYaml(y: Yaml, fail: (reason: string, keyPath: string) => never): AclConfig {
  const pair = (v: number[] | undefined, path: string): [number, number] | undefined => {
    if (v === undefined) return undefined;
    if (v.length !== 2 || v[0] > v[1]) fail('a port range is [first, last] with first <= last', path);
    return [v[0], v[1]];
  };
  const seen = new Set<number>();
  return {
    acls: (y.acls ?? []).map((a: Yaml, i: number) => {
      if (seen.has(a.index)) fail(`ACL index ${a.index} defined twice`, `acls[${i}].index`);
      seen.add(a.index);
      return {
        index: a.index,
        tag: a.tag,
        rules: (a.rules as Yaml[]).map((r, j) => ({
          action: r.action,
          src: r.src,
          dst: r.dst,
          protocol: r.protocol,
          srcPorts: pair(r.src_ports, `acls[${i}].rules[${j}].src_ports`),
          dstPorts: pair(r.dst_ports, `acls[${i}].rules[${j}].dst_ports`),
          tcpFlagsMask: r.tcp_flags_mask,
          tcpFlagsValue: r.tcp_flags_value,
        })),
      };
    }),
    interfaces: (y.interfaces ?? []).map((i: Yaml, n: number) => {
      for (const dir of ['input', 'output'] as const) {
        (i[dir] ?? []).forEach((acl: number, k: number) => {
          if (!seen.has(acl)) fail(`no ACL with index ${acl}`, `interfaces[${n}].${dir}[${k}]`);
        });
      }
      return { interface: i.interface, input: i.input ?? [], output: i.output ?? [] };
    }),
    maxSessions: y.max_sessions,
    connectionHashBuckets: y.connection_hash_buckets,
    sessionTimeout:
      y.session_timeout === undefined ? undefined : { udpIdle: y.session_timeout.udp_idle, tcpIdle: y.session_timeout.tcp_idle, tcpTransient: y.session_timeout.tcp_transient },
  };
}
