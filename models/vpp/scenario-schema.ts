// The VPP scenario format: instances configured the way an operator configures VPP. Only
// configuration: interfaces, addresses, static ARP (neighbours), routes, bridge domains, l2fib,
// VXLAN tunnels, plugin sections. Indices VPP allocates while being configured (sw_if/hw_if, adjacency
// and load-balance indices) are stated as `show int` / `show ip fib` would show them.

import { s, type SchemaNode } from '../../harness/scenario/schema.js';
import { plugins } from './plugins.js';

/**
 * An index VPP allocates from a pool (sw_if_index, hw_if_index, adjacency, load-balance, FIB, tunnel):
 * a u32 whose ~0 means "none" - a buffer's TX slot left at ~0 is unset and ip4-lookup falls back to
 * the RX interface's FIB (vpp-facts §0 conventions: u32 values; ip4-lookup "uses the TX slot if it is
 * not ~0"). So a configured index is at most 2^32 - 2; 2^32 and beyond were taken and printed as is.
 */
const index = s.int(0, 0xfffffffe);

const address = s.oneOf('an IPv4 prefix a.b.c.d/len, or { prefix, receive_dpo }', s.str('ip4-prefix'), s.obj({ prefix: s.req(s.str('ip4-prefix')), receive_dpo: s.int(0) }));

const iface = s.obj({
  name: s.req(s.str()),
  sw_if_index: s.req(index),
  hw_if_index: index,
  type: s.req(s.enumOf('dpdk', 'tap', 'tapcli', 'loop', 'vxlan')),
  mac: s.str('mac'),
  addresses: s.array(address),
  vrf: s.int(0),
  mtu: s.int(68, 65535),
  /** Feature nodes enabled per arc (plugins may add theirs from their own sections). */
  features: s.obj({ 'ip4-unicast': s.array(s.str()), 'ip4-output': s.array(s.str()) }),
  bridge: s.obj({ bd: s.req(s.int(0)), bvi: s.bool(), shg: s.int(0, 255), seq: s.int(0, 255) }),
  /** ACL-on-L2 classify tables: the IPv4 table and its miss node, and the "other" table if VPP has one. */
  l2_classify: s.obj({ table: s.req(s.int(0)), next: s.req(s.str()), other_table: s.int(0) }),
  dpdk_port: s.int(0),
});

const neighbor = s.obj({
  interface: s.req(s.str()),
  ip: s.req(s.str('ip4')),
  mac: s.req(s.str('mac')),
  adj_index: s.req(index),
  /** The load-balance of the neighbour's /32 adj-fib entry (what recursive routes through it print). */
  lb_index: index,
});

const route = s.obj({
  prefix: s.req(s.str('ip4-prefix')),
  via: s.req(s.str('ip4')),
  /** With an interface the next hop is attached (a neighbour's adjacency); without, recursive. */
  interface: s.str(),
  vrf: s.int(0),
  lb_index: index,
});

const bridgeDomain = s.obj({
  id: s.req(s.int(0)),
  index: index,
  learn: s.bool(),
  forward: s.bool(),
  flood: s.bool(),
  uu_flood: s.bool(),
  mac_age: s.int(0, 255),
  seq: s.int(0, 255),
});

const l2fibEntry = s.obj({ bd: s.req(s.int(0)), mac: s.req(s.str('mac')), interface: s.req(s.str()), static: s.bool() });

const vxlanTunnel = s.obj({
  index: s.req(index),
  interface: s.req(s.str()),
  src: s.req(s.str('ip4')),
  dst: s.req(s.str('ip4')),
  vni: s.req(s.int(0, 0xffffff)),
  encap_vrf: s.int(0),
});

export function instanceSchema(): SchemaNode {
  const fields: Record<string, SchemaNode> = {
    interfaces: s.array(iface),
    fibs: s.array(s.obj({ table_id: s.req(s.int(0)), index: s.req(index) })),
    neighbors: s.array(neighbor),
    routes: s.array(route),
    bridge_domains: s.array(bridgeDomain),
    l2fib: s.array(l2fibEntry),
    vxlan_tunnels: s.array(vxlanTunnel),
    /** `next index` slots that depend on configuration history: { node: { next-node: slot } }. */
    next_slots: s.map(s.map(s.int(0))),
  };
  for (const p of plugins) fields[p.scenarioKey] = p.schema;
  return s.obj(fields);
}

export function scenarioSchema(): SchemaNode {
  return s.obj({
    description: s.str(),
    /** A base scenario (path relative to this file) whose instance sections this file replaces key by key. */
    extends: s.str(),
    instances: s.req(s.map(instanceSchema())),
    /** Wires between instances: `instance/interface` pairs; a frame sent on one enters the other. */
    links: s.array(s.array(s.str())),
  });
}
