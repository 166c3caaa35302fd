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

interface LinkRoute { table: number; dst: Cidr; dev: string; type: 'unicast' | 'local' | 'broadcast' }

/** The routes of scope link or host present when route number `upTo` of `ns` is added. */
function linkScopeRoutes(ns: NamespaceConfig, upTo: number): LinkRoute[] {
  const out: LinkRoute[] = [];
  for (const d of ns.devices) {
    for (const a of d.addresses) {
      // fib_add_ifaddr: the address itself, its prefix (not for a /32), the subnet broadcast (below /31).
      out.push({ table: LOCAL_TABLE, dst: { addr: a.addr, len: 32, ip: a.ip }, dev: d.name, type: 'local' });
      if (a.len < 32) out.push({ table: MAIN_TABLE, dst: a, dev: d.name, type: 'unicast' });
      if (a.len < 31) out.push({ table: LOCAL_TABLE, dst: { addr: (a.addr | ~maskOf(a.len)) >>> 0, len: 32, ip: '' }, dev: d.name, type: 'broadcast' });
    }
  }
  for (const r of ns.routes.slice(0, upTo)) if (r.via === undefined) out.push({ table: r.table, dst: r.dst, dev: r.dev, type: 'unicast' });
  return out;
}

/** fib_table_lookup with an output device: the longest prefix out of `dev` holding `gw`. */
function lookupTable(routes: LinkRoute[], table: number, gw: number, dev: string): LinkRoute | undefined {
  let best: LinkRoute | undefined;
  for (const r of routes) if (r.table === table && r.dev === dev && inPrefix(gw, r.dst) && (!best || r.dst.len > best.dst.len)) best = r;
  return best;
}

/** True when `ip route add` would accept route number `index` of `ns` (its gateway is on-link). */
export function gatewayOnLink(ns: NamespaceConfig, index: number, gw: number): boolean {
  const route: RouteConfig = ns.routes[index];
  const routes = linkScopeRoutes(ns, index);
  let res = route.table !== MAIN_TABLE ? lookupTable(routes, route.table, gw, route.dev) : undefined;
  if (!res) {
    // fib_lookup: local (0), the scenario's rules (a `from` prefix must hold source 0.0.0.0), main, default.
    const rules = [{ priority: 0, table: LOCAL_TABLE }, ...ns.rules, { priority: 32766, table: MAIN_TABLE }, { priority: 32767, table: DEFAULT_TABLE }].sort((a, b) => a.priority - b.priority);
    for (const rule of rules) {
      if ('from' in rule && rule.from && !inPrefix(0, rule.from)) continue;
      if ('to' in rule && rule.to && !inPrefix(gw, rule.to)) continue;
      res = lookupTable(routes, rule.table, gw, route.dev);
      if (res) break;
    }
  }
  return res !== undefined && res.type !== 'broadcast';
}
