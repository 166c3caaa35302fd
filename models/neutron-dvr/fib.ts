// Policy routing and route lookup as fib_rules + fib_table_lookup do it: rules in priority order
// (0 local, the scenario's rules, 32766 main, 32767 default); a rule whose table has no matching
// route falls through to the next rule; inside a table the longest prefix wins. Interface addresses
// add their local route (table local) and their connected prefix route (table main), with the
// address as preferred source, as the kernel does when an address is added (fib_add_ifaddr), and for
// a prefix shorter than /31 the subnet's broadcast address as a broadcast route in table local
// ("Add the network broadcast address, when it makes sense"); a received packet to 255.255.255.255
// is broadcast before any table is consulted (ip_route_input_slow: ipv4_is_lbcast -> brd_input:
// lookupInput). Seen in the lab (LAB_ONLY=extra): the VM's ping to
// 10.0.111.255 was neither forwarded nor answered by qrouter or the snat namespace.

import { inPrefix, maskOf, parseCidr, u32ToIp4, type Cidr } from './addr.js';
import { MAIN_TABLE, type NamespaceConfig } from './scenario.js';

export const LOCAL_TABLE = 255;
export const DEFAULT_TABLE = 253;
export const LIMITED_BROADCAST = 0xffffffff;

export interface Route {
  table: number;
  dst: Cidr;
  type: 'unicast' | 'local' | 'broadcast';
  dev: string;
  via?: number;
  /** Preferred source (fib_info prefsrc, or the one inet_select_addr picks). */
  prefsrc: number;
}

export interface FibRule { priority: number; from?: Cidr; to?: Cidr; table: number }

export interface FibResult {
  route: Route;
  rule: FibRule;
}

export interface IfAddr { dev: string; addr: number; cidr: Cidr }

export class Fib {
  readonly rules: FibRule[];
  readonly tables = new Map<number, Route[]>();
  readonly addrs: IfAddr[] = [];

  constructor(ns: NamespaceConfig) {
    for (const d of ns.devices) for (const c of d.addresses) this.addrs.push({ dev: d.name, addr: c.addr, cidr: c });
    for (const a of this.addrs) {
      this.add({ table: LOCAL_TABLE, dst: { addr: a.addr, len: 32, ip: a.cidr.ip }, type: 'local', dev: a.dev, prefsrc: a.addr });
      if (a.cidr.len < 32) this.add({ table: MAIN_TABLE, dst: a.cidr, type: 'unicast', dev: a.dev, prefsrc: a.addr });
      if (a.cidr.len < 31) {
        const brd = (a.addr | ~maskOf(a.cidr.len)) >>> 0;
        this.add({ table: LOCAL_TABLE, dst: { addr: brd, len: 32, ip: u32ToIp4(brd) }, type: 'broadcast', dev: a.dev, prefsrc: a.addr });
      }
    }
    for (const r of ns.routes) {
      const via = r.via ? parseCidr(r.via).addr : undefined;
      this.add({ table: r.table, dst: r.dst, type: 'unicast', dev: r.dev, via, prefsrc: this.selectAddr(r.dev, via ?? r.dst.addr) ?? 0 });
    }
    this.rules = [
      { priority: 0, table: LOCAL_TABLE },
      ...ns.rules.map((r) => ({ priority: r.priority, from: r.from, to: r.to, table: r.table })),
      { priority: 32766, table: MAIN_TABLE },
      { priority: 32767, table: DEFAULT_TABLE },
    ].sort((a, b) => a.priority - b.priority);
  }

  private add(r: Route): void {
    const list = this.tables.get(r.table) ?? [];
    list.push(r);
    this.tables.set(r.table, list);
  }

  isLocal(addr: number): boolean {
    return this.addrs.some((a) => a.addr === addr);
  }

  /**
   * inet_select_addr(dev, dst, RT_SCOPE_LINK): the device's address whose prefix holds `dst`, else its
   * first address.
   */
  selectAddr(dev: string, dst: number): number | undefined {
    const on = this.addrs.filter((a) => a.dev === dev);
    return (on.find((a) => a.cidr.len < 32 && inPrefix(dst, a.cidr)) ?? on[0])?.addr;
  }

  lookupTable(table: number, dst: number): Route | undefined {
    let best: Route | undefined;
    for (const r of this.tables.get(table) ?? []) {
      if (((dst & maskOf(r.dst.len)) >>> 0) !== ((r.dst.addr & maskOf(r.dst.len)) >>> 0)) continue;
      if (!best || r.dst.len > best.dst.len) best = r;
    }
    return best;
  }

  /** The input route of a received packet: the limited broadcast first (ip_route_input_slow), then fib_lookup. */
  lookupInput(src: number, dst: number, dev: string): FibResult | undefined {
    if (dst === LIMITED_BROADCAST) return { route: { table: LOCAL_TABLE, dst: { addr: dst, len: 32, ip: u32ToIp4(dst) }, type: 'broadcast', dev, prefsrc: 0 }, rule: this.rules[0] };
    return this.lookup(src, dst);
  }

  /**
   * fib_validate_source (net/ipv4/fib_frontend.c) with rp_filter 0 and accept_local 0: why a received
   * packet's source is a martian here, or undefined. Without policy rules of its own (only 0/32766/32767)
   * the namespace checks just its own addresses (inet_lookup_ifaddr_rcu -> -EINVAL); with them it goes
   * to __fib_validate_source's reverse lookup (daddr = the source, saddr = the destination), where any
   * result but RTN_UNICAST is e_inval (RTN_LOCAL too, accept_local 0) and no route is last_resort (ok).
   */
  invalidSource(src: number, dst: number): 'local' | 'broadcast' | undefined {
    if (this.rules.length === 3) return this.isLocal(src) ? 'local' : undefined;
    const back = this.lookup(dst, src)?.route.type;
    return back === 'local' || back === 'broadcast' ? back : undefined;
  }

  /** fib_lookup with policy rules. `src` 0 = not chosen yet (locally generated packets). */
  lookup(src: number, dst: number): FibResult | undefined {
    for (const rule of this.rules) {
      if (rule.from && !inPrefix(src, rule.from)) continue;
      if (rule.to && !inPrefix(dst, rule.to)) continue;
      const route = this.lookupTable(rule.table, dst);
      if (route) return { route, rule };
    }
    return undefined;
  }
}

export function routeText(r: Route): string {
  const dst = r.dst.len === 0 ? 'default' : `${u32ToIp4(r.dst.addr)}/${r.dst.len}`;
  const table = r.table === MAIN_TABLE ? 'main' : r.table === LOCAL_TABLE ? 'local' : String(r.table);
  return `${r.type === 'unicast' ? '' : `${r.type} `}${dst}${r.via !== undefined ? ` via ${u32ToIp4(r.via)}` : ''} dev ${r.dev} table ${table} src ${u32ToIp4(r.prefsrc)}`;
}
