// Whether the kernel accepts a route's gateway: fib_check_nh_v4_gw (net/ipv4/fib_semantics.c), reached
// from fib_create_info -> fib_check_nh for `ip route add|replace DST via GW dev DEV` (no `onlink`).
// It looks the gateway up with flowi4_scope RT_SCOPE_LINK and flowi4_oif DEV: first in the route's own
// table (when not main), then, on failure, through the policy rules (fib_lookup, source 0). Only routes
// of scope link or host count (an address's connected prefix in main, its /32 and the subnet broadcast
// in local, a route without a gateway - iproute2 gives it scope link), and only those out of DEV. A
// result other than RTN_UNICAST or RTN_LOCAL, or none, is refused: "Nexthop has invalid gateway". The
// lab adds every address first, then the routes in the scenario's order (lab/dvr/plan.ts), so a device
// route helps only the routes after it. Checked against the kernel (6.18.44, iproute2 6.1.0) in a
// scratch namespace with veth devices (session 10): `via` outside the device's /31 (table 16), a
// gateway on-link on another device, the subnet broadcast, and a gateway before the device route that
// holds it were all refused with "Error: Nexthop has invalid gateway."; the device's own address, a
// gateway inside the /31, and the device route first were accepted.

import { inPrefix, maskOf, type Cidr } from './addr.js';
import { DEFAULT_TABLE, LOCAL_TABLE } from './fib.js';
import { MAIN_TABLE, type NamespaceConfig, type RouteConfig } from './scenario.js';

type LinkType = 'unicast' | 'local' | 'broadcast';

/**
 * The routes of scope link or host a namespace has as its routes are added one by one, indexed by
 * table, device and prefix: a lookup tries each prefix length present (at most 33 map reads), so a
 * scenario of tens of thousands of routes is checked in linear time (a scan of every route per route
 * took minutes on a 4 MiB scenario).
 */
class LinkRoutes {
  private readonly byPrefix = new Map<string, LinkType>();
  /** Prefix lengths present per table and device, longest first. */
  private readonly lengths = new Map<string, number[]>();

  add(table: number, dst: Cidr, dev: string, type: LinkType): void {
    const td = `${table} ${dev}`;
    const key = `${td} ${dst.len} ${(dst.addr & maskOf(dst.len)) >>> 0}`;
    // The first route of a prefix stays (a later duplicate is refused by the scenario anyway).
    if (this.byPrefix.has(key)) return;
    this.byPrefix.set(key, type);
    const lens = this.lengths.get(td) ?? [];
    if (!lens.includes(dst.len)) {
      lens.push(dst.len);
      lens.sort((a, b) => b - a);
    }
    this.lengths.set(td, lens);
  }

  /** fib_table_lookup with an output device: the type of the longest prefix out of `dev` holding `gw`. */
  lookup(table: number, gw: number, dev: string): LinkType | undefined {
    const td = `${table} ${dev}`;
    for (const len of this.lengths.get(td) ?? []) {
      const type = this.byPrefix.get(`${td} ${len} ${(gw & maskOf(len)) >>> 0}`);
      if (type !== undefined) return type;
    }
    return undefined;
  }
}

/**
 * For each route of `ns` in order, whether `ip route add` would accept it: call with index 0, 1, 2...
 * (each route sees the device routes before it). True when the gateway is on-link.
 */
export function onLinkChecker(ns: NamespaceConfig): (index: number, gw: number) => boolean {
  const routes = new LinkRoutes();
  for (const d of ns.devices)
    for (const a of d.addresses) {
      // fib_add_ifaddr: the address itself, its prefix (not for a /32), the subnet broadcast (below /31).
      routes.add(LOCAL_TABLE, { addr: a.addr, len: 32, ip: a.ip }, d.name, 'local');
      if (a.len < 32) routes.add(MAIN_TABLE, a, d.name, 'unicast');
      if (a.len < 31) routes.add(LOCAL_TABLE, { addr: (a.addr | ~maskOf(a.len)) >>> 0, len: 32, ip: '' }, d.name, 'broadcast');
    }
  // fib_lookup: local (0), the scenario's rules (a `from` prefix must hold source 0.0.0.0), main, default.
  const rules = [{ priority: 0, table: LOCAL_TABLE }, ...ns.rules, { priority: 32766, table: MAIN_TABLE }, { priority: 32767, table: DEFAULT_TABLE }].sort((a, b) => a.priority - b.priority);
  let added = 0;
  return (index, gw) => {
    for (; added < index; added++) {
      const r = ns.routes[added];
      if (r.via === undefined) routes.add(r.table, r.dst, r.dev, 'unicast');
    }
    const route: RouteConfig = ns.routes[index];
    let res = route.table !== MAIN_TABLE ? routes.lookup(route.table, gw, route.dev) : undefined;
    if (!res) {
      for (const rule of rules) {
        if ('from' in rule && rule.from && !inPrefix(0, rule.from)) continue;
        if ('to' in rule && rule.to && !inPrefix(gw, rule.to)) continue;
        res = routes.lookup(rule.table, gw, route.dev);
        if (res) break;
      }
    }
    return res !== undefined && res !== 'broadcast';
  };
}
