// Nat44Config -> the Nat44 engine of one instance: interface roles (and the feature-arc positions
// VPP enables for them), FIBs of the VRFs, pool addresses, static/identity/LB mappings (no runtime history: a fresh VPP).

import { ip4ToU32 } from '../../../harness/wire/address.js';
import type { ConfigContext, Vm } from '../graph.js';
import type { Nat44Config, NatProtocolName } from './config.js';
import { Nat44 } from './engine.js';
import { NatProto, type NatProtoValue } from './keys.js';

/** Where a config error points; keys are the YAML paths inside the `nat44:` section. */
export interface Nat44Locator {
  fail(reason: string, keyPath: string): never;
  swIfIndex(name: string, keyPath: string): number;
  fibIndex(tableId: number, keyPath: string): number;
}

const PROTO: Record<NatProtocolName, NatProtoValue> = { udp: NatProto.UDP, tcp: NatProto.TCP, icmp: NatProto.ICMP };

export function buildNat44(cfg: Nat44Config, loc: Nat44Locator): Nat44 {
  const roles = { inside: new Set<number>(), outside: new Set<number>(), outputFeature: new Set<number>() };
  cfg.inside.forEach((n, i) => roles.inside.add(loc.swIfIndex(n, `inside[${i}]`)));
  cfg.outside.forEach((n, i) => roles.outside.add(loc.swIfIndex(n, `outside[${i}]`)));
  cfg.outputFeature.forEach((n, i) => {
    const sw = loc.swIfIndex(n, `output_feature[${i}]`);
    roles.outputFeature.add(sw);
    roles.outside.add(sw);
  });
  const nat = new Nat44(loc.fibIndex(cfg.insideVrf, 'inside_vrf'), loc.fibIndex(cfg.outsideVrf, 'outside_vrf'), cfg.forwarding, roles, cfg.maxTranslationsPerUser, cfg.maxTranslations, cfg.translationHashBuckets ?? 0);
  cfg.addresses.forEach((a, i) =>
    (a.twiceNat ? nat.twiceNatAddresses : nat.addresses).add(ip4ToU32(a.address), a.vrf === undefined ? -1 : loc.fibIndex(a.vrf, `addresses[${i}].vrf`)),
  );
  const counters = { static: 0, identity: 0, 'load-balanced': 0 };
  const sectionOf = { static: 'static_mappings', identity: 'identity_mappings', 'load-balanced': 'lb_static_mappings' } as const;
  for (const m of cfg.staticMappings) {
    const path = `${sectionOf[m.kind]}[${counters[m.kind]++}]`;
    const hasPorts = m.localPort !== undefined || m.externalPort !== undefined;
    if (hasPorts && !m.protocol) loc.fail('a mapping with ports needs a protocol', `${path}.protocol`);
    if (m.kind === 'static' && (m.localPort === undefined) !== (m.externalPort === undefined)) {
      loc.fail('give both local_port and external_port, or neither (address-only)', path);
    }
    // add_static_mapping_command_fn (nat44_cli.c @ 0d305478): `if (twice_nat && addr_only)`, and
    // snat_add_static_mapping returns VNET_API_ERROR_UNSUPPORTED for it.
    if (m.kind === 'static' && !hasPorts && (m.twiceNat || m.selfTwiceNat)) loc.fail('twice NAT only for 1:1 NAPT', path);
    // No vrf on a static or identity mapping: the inside VRF (config.ts StaticMappingConfig.vrf).
    const fib = m.vrf === undefined ? nat.insideFib : loc.fibIndex(m.vrf, `${path}.vrf`);
    const proto = m.protocol ? PROTO[m.protocol] : 0;
    const locals = (m.locals ?? []).map((l, i) => ({
      addr: ip4ToU32(l.address),
      port: l.port,
      probability: l.probability,
      prefix: 0,
      fib: l.vrf === undefined ? fib : loc.fibIndex(l.vrf, `${path}.locals[${i}].vrf`),
    }));
    if (m.kind === 'load-balanced' && locals.length === 0) loc.fail('a load-balanced mapping needs at least one local', `${path}.locals`);
    if (m.kind === 'load-balanced') refuseZeroLastPrefix(locals, path, loc);
    const externalAddr = ip4ToU32(m.external ?? m.local ?? '0.0.0.0');
    const addrOnly = m.kind !== 'load-balanced' && !hasPorts;
    // `if (!(addr_only || sm->static_mapping_only || out2in_only))` (load-balanced: `if
    // (!(sm->static_mapping_only || out2in_only))`): the external port is reserved on a pool address.
    if (!addrOnly && !m.out2inOnly && m.protocol && !nat.addresses.reserve(externalAddr, proto, m.externalPort ?? 0)) {
      loc.fail('External port already in use.', `${path}.${m.kind === 'identity' ? 'port' : 'external_port'}`);
    }
    nat.mappings.add({
      localAddr: m.local ? ip4ToU32(m.local) : 0,
      localPort: m.localPort ?? 0,
      externalAddr,
      externalPort: m.externalPort ?? 0,
      proto,
      addrOnly,
      fib,
      twiceNat: m.twiceNat,
      selfTwiceNat: m.selfTwiceNat,
      out2inOnly: m.out2inOnly,
      locals,
      prefixes: [],
    });
  }
  nat.installLbEntries();
  return nat;
}

/**
 * The backends' running probability sum is a u8 (nat44_lb_addr_port_t.prefix), and the fork's
 * snat_static_mapping_match draws with `rand = 1 + (random_u32 (&sm->random_seed) %
 * m->locals[hi].prefix)` (vpp-dev/vpp src/plugins/nat/nat.c @ 0d305478): probabilities summing to a
 * multiple of 256 leave the last prefix 0, and the first lookup by external address divides by it.
 * On x86 that is SIGFPE, which 18.01's unix_signal_handler treats as fatal (`case SIGFPE: fatal = 1`,
 * then os_exit (1); vlib/unix/main.c, vpp-dev/vpp @ 3e8642b). A VPP that exits has no trace to
 * model, so such a configuration is refused here.
 */
function refuseZeroLastPrefix(locals: ReadonlyArray<{ probability: number }>, path: string, loc: Nat44Locator): void {
  const sum = locals.reduce((acc, l) => acc + l.probability, 0);
  if (sum % 256 === 0) {
    loc.fail(
      `the backends' probabilities sum to ${sum}, a multiple of 256: VPP 18.01 keeps the running sum in a u8, so the last prefix is 0 and its first lookup of this mapping divides by it (SIGFPE, VPP exits)`,
      `${path}.locals`,
    );
  }
}

/** The feature-arc positions VPP enables for the NAT interface roles (snat_interface_add_del[_output_feature]). */
export function enableNat44Features(vm: Vm, nat: Nat44): void {
  const enable = (sw: number, arc: string, node: string): void => {
    const itf = vm.interface(sw);
    const list = (itf.features[arc] ??= []);
    if (!list.includes(node)) list.push(node);
  };
  for (const sw of nat.itfs.inside) enable(sw, 'ip4-unicast', 'nat44-in2out');
  for (const sw of nat.itfs.outside) enable(sw, 'ip4-unicast', 'nat44-out2in');
  for (const sw of nat.itfs.outputFeature) enable(sw, 'ip4-output', 'nat44-in2out-output');
}

/** A Nat44Locator over the plugin ConfigContext. */
export function locatorFor(vm: Vm, ctx: ConfigContext): Nat44Locator {
  return {
    fail: (reason, keyPath) => ctx.fail(reason, keyPath),
    swIfIndex: (name, keyPath) => ctx.interfaceByName(name, keyPath).swIfIndex,
    fibIndex: (tableId, keyPath) => {
      const f = vm.fibByTableId.get(tableId);
      if (f) return f.index;
      if (tableId === 0) return 0;
      return ctx.fail(`no FIB with table id ${tableId}`, keyPath);
    },
  };
}
