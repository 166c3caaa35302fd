// Scenario -> VPP instances. Validates the YAML (schema: scenario-schema.ts), then builds each Vm:
// nodes, interfaces, FIBs (interface receive entries, neighbour adj-fibs, routes), bridge domains
// (the BVI's own l2fib entry is derived as VPP adds it), l2fib, VXLAN tunnels stacked on their FIB
// entry, plugins. Reference errors (unknown interface, bridge domain, next hop) name file, line, key.

import { ip4ToU32, macToBytes } from '../../harness/wire/address.js';
import { loadLayered, type LayeredInstance } from './scenario-layers.js';
import { Vm, type ConfigContext, type GraphNode } from './graph.js';
import { plugins } from './plugins.js';
import { FibLengths } from './fib-prefixes.js';
import { installIp4Specials, onlyDrops } from './fib-specials.js';
import { scenarioSchema } from './scenario-schema.js';
import { HIDDEN_LB_BASE, type Adjacency, type BridgeDomain, type Dpo, type Fib, type InterfaceKind, type SwInterface } from './state.js';
import { dpdkInputNode, tapcliRxNode, virtioInputNode } from './nodes/device-input.js';
import { ethernetInputNode } from './nodes/ethernet-input.js';
import { ip4InputNode, ip4InputNoChecksumNode } from './nodes/ip4-input.js';
import { ip4LoadBalanceNode, ip4LookupNode } from './nodes/ip4-lookup.js';
import { ip4RewriteNode } from './nodes/ip4-rewrite.js';
import { ip4LocalNode, ip4UdpLookupNode } from './nodes/ip4-local.js';
import { ip4IcmpErrorNode } from './nodes/ip4-icmp-error.js';
import { ip4IcmpEchoRequestNode, ip4IcmpInputNode } from './nodes/ip4-icmp-echo.js';
import { ip4IcmpEchoReplyNode } from './nodes/ip4-icmp-echo-reply.js';
import { errorDropNode, errorPuntNode, ip4ArpNode, ip4DropNode, ip4GleanNode, ip4PuntNode } from './nodes/error-drop.js';
import { interfaceOutputNode, makeDpdkTxNode, makeOutputNode } from './nodes/interface-output.js';
import { featureBitmapDropNode, l2FloodNode, l2FwdNode, l2InputClassifyNode, l2InputNode, l2LearnNode, l2OutputNode } from './nodes/l2.js';
import { vxlan4EncapNode, vxlan4InputNode } from './nodes/vxlan.js';

const BUILTIN_NODES: GraphNode[] = [
  virtioInputNode, tapcliRxNode, dpdkInputNode, ethernetInputNode, ip4InputNode, ip4InputNoChecksumNode,
  ip4LookupNode, ip4LoadBalanceNode, ip4RewriteNode, ip4LocalNode, ip4UdpLookupNode, ip4IcmpErrorNode,
  ip4IcmpInputNode, ip4IcmpEchoRequestNode, ip4IcmpEchoReplyNode,
  errorDropNode, errorPuntNode, ip4DropNode, ip4PuntNode, ip4ArpNode, ip4GleanNode, interfaceOutputNode,
  l2InputNode, l2InputClassifyNode, l2LearnNode, l2FwdNode, l2FloodNode, l2OutputNode, featureBitmapDropNode, vxlan4EncapNode, vxlan4InputNode,
];

/* eslint-disable @typescript-eslint/no-explicit-any */
type Raw = any;

export interface Scenario {
  file: string;
  instances: Map<string, Vm>;
  links: Array<[{ instance: string; interface: string }, { instance: string; interface: string }]>;
}

const DEFAULT_MTU = 9000;

export function loadScenario(path: string): Scenario {
  const doc = loadLayered(path, scenarioSchema());
  const instances = new Map<string, Vm>();
  for (const [name, inst] of doc.instances) instances.set(name, buildVm(name, inst.raw, inst.fail));
  const links: Scenario['links'] = [];
  doc.links.forEach((pair: string[], i: number) => {
    const at = `links[${i}]`;
    if (pair.length !== 2) doc.failLinks('a link joins exactly two `instance/interface` ends', at);
    const ends = pair.map((end, j) => {
      const slash = end.indexOf('/');
      const instance = end.slice(0, slash);
      const itf = end.slice(slash + 1);
      const vm = instances.get(instance);
      if (slash < 0 || !vm) doc.failLinks(`unknown instance in '${end}'`, `${at}[${j}]`);
      if (!vm!.interfacesByName.has(itf)) doc.failLinks(`instance ${instance} has no interface '${itf}'`, `${at}[${j}]`);
      return { instance, interface: itf };
    });
    links.push([ends[0], ends[1]]);
  });
  return { file: path, instances, links };
}

function buildVm(name: string, raw: Raw, failAt: LayeredInstance['fail']): Vm {
  const vm = new Vm(name);
  for (const n of BUILTIN_NODES) vm.addNode(n);
  const fail = (reason: string, key: string): never => failAt(reason, key, 'scenario.reference');
  const itfByName = (n: string, key: string): SwInterface => vm.interfacesByName.get(n) ?? fail(`unknown interface '${n}'`, key);

  let hiddenLb = HIDDEN_LB_BASE;
  // A load-balance index the scenario states belongs to one FIB entry (VPP takes each from its pool):
  // a second entry stating it silently replaced the first one's buckets.
  const statedLb = new Map<number, string>();
  const addEntry = (fib: Fib, network: number, len: number, buckets: Dpo[], lbIndex?: number, key?: string): number => {
    if (lbIndex !== undefined && key !== undefined) {
      const first = statedLb.get(lbIndex);
      if (first !== undefined) fail(`load-balance index ${lbIndex} used twice (also ${first})`, `${key}.lb_index`);
      statedLb.set(lbIndex, key);
    }
    const index = lbIndex ?? hiddenLb++;
    vm.loadBalances.set(index, { index, buckets, flowHashConfig: 0x1f });
    const mask = len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0;
    (fib.byLength as FibLengths).prefixes(len).set((network & mask) >>> 0, { network: (network & mask) >>> 0, prefixLength: len, lbIndex: index });
    return index;
  };

  // FIBs: table 0 is index 0 unless stated. Each is made with VPP's special drop entries (fib-specials.ts).
  const fibOf = (tableId: number, key: string): Fib => vm.fibByTableId.get(tableId) ?? fail(`unknown vrf/table ${tableId}`, key);
  const addFib = (tableId: number, index: number) => {
    const fib: Fib = { index, tableId, byLength: new FibLengths() };
    vm.fibs.set(index, fib);
    vm.fibByTableId.set(tableId, fib);
    installIp4Specials((network, len, buckets) => addEntry(fib, network, len, buckets));
  };
  addFib(0, 0);
  // Table 0 is FIB index 0 from boot (ip4_forward.c ip4_lookup_init: "Create FIB with index 0 and table
  // id of 0"); a table or index stated twice replaced the first one while interfaces kept pointing at it.
  (raw.fibs ?? []).forEach((f: Raw, i: number) => {
    const key = `fibs[${i}]`;
    if (f.table_id === 0) fail('table 0 is FIB index 0 from boot: fibs lists the other tables', `${key}.table_id`);
    if (vm.fibByTableId.has(f.table_id)) fail(`table ${f.table_id} stated twice`, `${key}.table_id`);
    if (vm.fibs.has(f.index)) fail(`FIB index ${f.index} used twice`, `${key}.index`);
    addFib(f.table_id, f.index);
  });
  /** The load-balance of the longest match for addr, unless only a special drop entry covers it. */
  const routedLb = (fib: Fib, addr: number): number | undefined => {
    const hit = vm.fibLookup(fib.index, addr);
    return hit && !onlyDrops(vm.loadBalances.get(hit.lbIndex)) ? hit.lbIndex : undefined;
  };

  // Interfaces and their receive (/32 local) entries; FIB_SOURCE_INTERFACE outranks a plugin's source.
  const interfaceSourced = new Set<string>();
  (raw.interfaces ?? []).forEach((r: Raw, i: number) => {
    const key = `interfaces[${i}]`;
    if (vm.interfaces.has(r.sw_if_index)) fail(`sw_if_index ${r.sw_if_index} used twice`, `${key}.sw_if_index`);
    if (vm.interfacesByName.has(r.name)) fail(`interface name '${r.name}' used twice`, `${key}.name`);
    const itf: SwInterface = {
      name: r.name,
      swIfIndex: r.sw_if_index,
      hwIfIndex: r.hw_if_index ?? r.sw_if_index,
      kind: r.type as InterfaceKind,
      mac: r.mac ? macToBytes(r.mac) : new Uint8Array(6),
      ip4: [],
      fibIndex: fibOf(r.vrf ?? 0, `${key}.vrf`).index,
      mtu: r.mtu ?? DEFAULT_MTU,
      features: { 'ip4-unicast': [...(r.features?.['ip4-unicast'] ?? [])], 'ip4-output': [...(r.features?.['ip4-output'] ?? [])] },
      device: { port: r.dpdk_port },
      // Every field present from the start, even unset: an interface that gets one later (l2, or
      // outputNode on its first output) moved to another hidden class, and the packet path's loads
      // of interface fields then saw several (polymorphic loads, and deopts as classes appeared).
      l2: r.bridge ? { bdIndex: -1, bvi: r.bridge.bvi ?? false, shg: r.bridge.shg ?? 0, seqNum: r.bridge.seq ?? 0 } : undefined,
      l2Classify: r.l2_classify ? { table: r.l2_classify.table, next: r.l2_classify.next, otherTable: r.l2_classify.other_table } : undefined,
      outputNode: undefined,
    };
    vm.interfaces.set(itf.swIfIndex, itf);
    vm.interfacesByName.set(itf.name, itf);
    (r.addresses ?? []).forEach((a: Raw, j: number) => {
      const text = typeof a === 'string' ? a : a.prefix;
      const [addr, len] = text.split('/');
      const address = ip4ToU32(addr);
      itf.ip4.push({ address, prefixLength: Number(len) });
      const receiveIndex = typeof a === 'string' ? hiddenLb++ : (a.receive_dpo ?? hiddenLb++);
      addEntry(vm.fibs.get(itf.fibIndex)!, address, 32, [{ type: 'receive', index: receiveIndex, swIfIndex: itf.swIfIndex }]);
      interfaceSourced.add(`${itf.fibIndex}/${address}`);
      void j;
    });
    vm.addNode(makeOutputNode(itf));
    if (itf.kind === 'dpdk') vm.addNode(makeDpdkTxNode(itf));
  });

  // Static ARP: a rewrite adjacency and the /32 adj-fib entry.
  const neighborAdj = new Map<string, number>();
  const neighborKey = new Map<string, string>();
  (raw.neighbors ?? []).forEach((r: Raw, i: number) => {
    const key = `neighbors[${i}]`;
    const itf = itfByName(r.interface, `${key}.interface`);
    if (vm.adjacencies.has(r.adj_index)) fail(`adjacency index ${r.adj_index} used twice`, `${key}.adj_index`);
    // One ARP entry per address on an interface: a second `set ip arp` rewrites its MAC
    // (arp.c vnet_arp_set_ip4_over_ethernet_internal: hash_get (arp_int->arp_entries, ip) ->
    // make_new_arp_cache_entry = 0). Two here made two adjacencies, one of them used silently.
    const first = neighborKey.get(`${itf.swIfIndex}/${r.ip}`);
    if (first !== undefined) fail(`neighbour ${r.ip} on ${r.interface} stated twice (also ${first}): an interface holds one ARP entry per address`, `${key}.ip`);
    neighborKey.set(`${itf.swIfIndex}/${r.ip}`, key);
    const rewrite = new Uint8Array(14);
    macToBytes(r.mac, rewrite, 0);
    rewrite.set(itf.mac, 6);
    rewrite[12] = 0x08;
    const adj: Adjacency = {
      index: r.adj_index, kind: 'rewrite', link: 'ipv4', swIfIndex: itf.swIfIndex, nextHop: ip4ToU32(r.ip), rewrite, maxL3PacketBytes: itf.mtu,
    };
    vm.adjacencies.set(adj.index, adj);
    neighborAdj.set(`${itf.swIfIndex}/${r.ip}`, adj.index);
    addEntry(vm.fibs.get(itf.fibIndex)!, adj.nextHop, 32, [{ type: 'adj', index: adj.index }], r.lb_index, key);
  });

  // Routes: attached next hops use the neighbour's adjacency; recursive ones stack on the next hop's entry.
  // A second route to one prefix in one table is a second path in VPP (fib_table_entry_path_add: ECMP),
  // which this model does not build: it replaced the first route's path silently. Refused instead.
  const routeKey = new Map<string, string>();
  (raw.routes ?? []).forEach((r: Raw, i: number) => {
    const key = `routes[${i}]`;
    const fib = fibOf(r.vrf ?? 0, `${key}.vrf`);
    const [net, len] = r.prefix.split('/');
    const prefix = `${fib.tableId} ${(ip4ToU32(net) & (Number(len) === 0 ? 0 : 0xffffffff << (32 - Number(len)))) >>> 0}/${len}`;
    const firstRoute = routeKey.get(prefix);
    if (firstRoute !== undefined) fail(`route ${r.prefix} in table ${fib.tableId} stated twice (also ${firstRoute}): several paths to one prefix (ECMP) are not modelled`, `${key}.prefix`);
    routeKey.set(prefix, key);
    let bucket: Dpo;
    if (r.interface) {
      const itf = itfByName(r.interface, `${key}.interface`);
      const adj = neighborAdj.get(`${itf.swIfIndex}/${r.via}`);
      if (adj === undefined) return fail(`no neighbour ${r.via} on ${r.interface} (add it under neighbors)`, `${key}.via`);
      bucket = { type: 'adj', index: adj };
    } else {
      const via = routedLb(fib, ip4ToU32(r.via));
      if (via === undefined) return fail(`next hop ${r.via} does not resolve in table ${fib.tableId}`, `${key}.via`);
      bucket = { type: 'lb', index: via };
    }
    const exact = fib.byLength.get(Number(len))?.get(ip4ToU32(net));
    if (exact && r.lb_index === undefined) vm.loadBalances.get(exact.lbIndex)!.buckets = [bucket];
    else addEntry(fib, ip4ToU32(net), Number(len), [bucket], r.lb_index, key);
  });

  // Bridge domains, members, the BVI's own l2fib entry, static l2fib entries.
  const bdById = new Map<number, BridgeDomain>();
  (raw.bridge_domains ?? []).forEach((r: Raw, i: number) => {
    const bd: BridgeDomain = {
      bdId: r.id, bdIndex: r.index ?? r.id, learn: r.learn ?? true, forward: r.forward ?? true, flood: r.flood ?? true,
      unknownUnicastFlood: r.uu_flood ?? true, macAge: r.mac_age ?? 0, seqNum: r.seq ?? 0, members: [], bviSwIfIndex: null, l2fib: new Map(),
    };
    if (bdById.has(bd.bdId)) fail(`bridge domain ${bd.bdId} declared twice`, `bridge_domains[${i}].id`);
    bdById.set(bd.bdId, bd);
    vm.bridgeDomains.set(bd.bdIndex, bd);
  });
  (raw.interfaces ?? []).forEach((r: Raw, i: number) => {
    if (!r.bridge) return;
    const bd = bdById.get(r.bridge.bd) ?? fail(`unknown bridge domain ${r.bridge.bd}`, `interfaces[${i}].bridge.bd`);
    const itf = vm.interfaces.get(r.sw_if_index)!;
    itf.l2!.bdIndex = bd.bdIndex;
    bd.members.push(itf.swIfIndex);
    if (itf.l2!.bvi) {
      bd.bviSwIfIndex = itf.swIfIndex;
      const mac = r.mac ?? fail('a BVI needs a MAC', `interfaces[${i}].mac`);
      bd.l2fib.set(mac.toLowerCase(), { mac: mac.toLowerCase(), swIfIndex: itf.swIfIndex, isStatic: true, learned: false, bvi: true, sn: 0 });
    }
  });
  // l2fib_add_entry (l2_fib.c): configured entries, static or not, are provisioned (age_not = 1), never
  // stale-checked; the BVI's own entry above is one too (l2fib_add_fwd_entry, static and bvi).
  (raw.l2fib ?? []).forEach((r: Raw, i: number) => {
    const key = `l2fib[${i}]`;
    const bd = bdById.get(r.bd) ?? fail(`unknown bridge domain ${r.bd}`, `${key}.bd`);
    const itf = itfByName(r.interface, `${key}.interface`);
    const mac = String(r.mac).toLowerCase();
    bd.l2fib.set(mac, { mac, swIfIndex: itf.swIfIndex, isStatic: r.static ?? true, learned: false, bvi: false, sn: 0 });
  });

  // VXLAN tunnels: the tunnel interface and the DPO its outer packets follow (the dst's FIB entry).
  (raw.vxlan_tunnels ?? []).forEach((r: Raw, i: number) => {
    const key = `vxlan_tunnels[${i}]`;
    const itf = itfByName(r.interface, `${key}.interface`);
    if (itf.kind !== 'vxlan') fail(`interface ${r.interface} is not of type vxlan`, `${key}.interface`);
    const fib = fibOf(r.encap_vrf ?? 0, `${key}.encap_vrf`);
    const dst = routedLb(fib, ip4ToU32(r.dst));
    if (dst === undefined) return fail(`tunnel destination ${r.dst} does not resolve`, `${key}.dst`);
    vm.vxlanTunnels.push({
      index: r.index, swIfIndex: itf.swIfIndex, src: ip4ToU32(r.src), dst: ip4ToU32(r.dst), vni: r.vni, encapFibIndex: fib.index,
      decapNext: 1, next: { type: 'lb', index: dst },
    });
  });

  /*
   * A plugin's FIB_SOURCE_PLUGIN_HI local /32 (fib/fib_entry.h, 17.x/18.01-era copy liangfudeng/vpp
   * 667cdb51: SPECIAL, CLASSIFY, PROXY, INTERFACE, SR, PLUGIN_HI, BIER, API, CLI, ..., ADJ, lower wins).
   * On a prefix an interface address holds, the interface stays best: nothing changes. On a route's or
   * a neighbour's /32 the plugin's receive becomes the forwarding, in the entry's own load-balance
   * (fib_entry_t.fe_lb: one per entry, whichever source is best), so its index stays. A new entry gets
   * a new load-balance and a new receive DPO, numbered as hidden ones are (after everything the
   * scenario configured before the plugin sections).
   */
  function addPluginReceiveEntry(swIfIndex: number, address: number): void {
    const itf = vm.interface(swIfIndex);
    const fib = vm.fibs.get(itf.fibIndex)!;
    if (interfaceSourced.has(`${fib.index}/${address}`)) return;
    const receive: Dpo = { type: 'receive', index: hiddenLb++, swIfIndex };
    const exact = fib.byLength.get(32)?.get(address);
    if (exact) vm.loadBalances.get(exact.lbIndex)!.buckets = [receive];
    else addEntry(fib, address, 32, [receive]);
  }

  for (const [node, nexts] of Object.entries<Record<string, number>>(raw.next_slots ?? {}))
    for (const [next, index] of Object.entries(nexts)) vm.setNextSlot(node, next, index);

  // Plugins: nodes, feature registrations, their sections.
  for (const p of plugins) {
    for (const n of p.nodes) vm.addNode(n);
    for (const f of p.features) vm.addFeature(f);
    const ctx: ConfigContext = {
      fail: (reason, keyPath) => fail(reason, `${p.scenarioKey}${keyPath ? '.' + keyPath : ''}`),
      interfaceByName: (n, keyPath) => itfByName(n, `${p.scenarioKey}.${keyPath}`),
      addPluginReceiveEntry,
    };
    if (raw[p.scenarioKey] !== undefined) p.configure(vm, raw[p.scenarioKey], ctx);
  }

  // Every enabled feature must be a node the graph has.
  for (const [i, r] of (raw.interfaces ?? []).entries()) {
    const itf = vm.interfaces.get(r.sw_if_index)!;
    for (const [arc, list] of Object.entries(itf.features))
      list.forEach((n, j) => {
        if (!vm.nodes.has(n)) fail(`feature node '${n}' is not available (plugin not loaded?)`, `interfaces[${i}].features.${arc}[${j}]`);
      });
  }
  return vm;
}
