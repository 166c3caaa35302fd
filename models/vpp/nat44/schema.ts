// The `nat44:` scenario section (snake_case, as the YAML reads) and its mapping onto Nat44Config.

import { s } from '../../../harness/scenario/schema.js';
import { NAT44_DEFAULTS, type Nat44Config, type StaticMappingConfig } from './config.js';

const port = s.int(0, 65535);
const proto = s.enumOf('tcp', 'udp', 'icmp');

export const nat44Schema = s.obj({
  forwarding: s.bool(),
  inside: s.array(s.str()),
  outside: s.array(s.str()),
  output_feature: s.array(s.str()),
  inside_vrf: s.int(0),
  outside_vrf: s.int(0),
  addresses: s.array(s.oneOf('an address or {address, vrf, twice_nat}', s.str('ip4'), s.obj({ address: s.req(s.str('ip4')), vrf: s.int(0), twice_nat: s.bool() }))),
  static_mappings: s.array(
    s.obj({
      local: s.req(s.str('ip4')),
      local_port: port,
      external: s.req(s.str('ip4')),
      external_port: port,
      protocol: proto,
      vrf: s.int(0),
      twice_nat: s.bool(),
      self_twice_nat: s.bool(),
      out2in_only: s.bool(),
    }),
  ),
  identity_mappings: s.array(s.obj({ address: s.req(s.str('ip4')), port, protocol: proto, vrf: s.int(0) })),
  lb_static_mappings: s.array(
    s.obj({
      external: s.req(s.str('ip4')),
      external_port: s.req(port),
      protocol: s.req(proto),
      vrf: s.int(0),
      twice_nat: s.bool(),
      self_twice_nat: s.bool(),
      out2in_only: s.bool(),
      locals: s.req(s.array(s.obj({ address: s.req(s.str('ip4')), port: s.req(port), probability: s.req(s.int(1, 255)), vrf: s.int(0) }))),
    }),
  ),
  max_translations_per_user: s.int(1),
  max_translations: s.int(1),
  // startup.conf `nat { translation hash buckets N }` (config.ts: translationHashBuckets); at most
  // 2^22 here: the model allocates its tables for N sessions up front (~230 bytes each, virtual
  // memory until used), and a size the machine cannot allocate fails at this key.
  translation_hash_buckets: s.int(1, 1 << 22),
  // No `history:` (session pool, LCG draws): what a running VPP saw before a trace is runtime state
  // no operator configures; values that depend on it are bound or masked in the case, never preset.
});

type Yaml = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Map the (schema-valid) YAML section onto the typed config. */
export function nat44ConfigFromYaml(y: Yaml): Nat44Config {
  const maps: StaticMappingConfig[] = [];
  const common = (m: Yaml) => ({
    vrf: m.vrf as number | undefined,
    twiceNat: m.twice_nat ?? false,
    selfTwiceNat: m.self_twice_nat ?? false,
    out2inOnly: m.out2in_only ?? false,
  });
  for (const m of y.static_mappings ?? []) {
    maps.push({ kind: 'static', local: m.local, localPort: m.local_port, external: m.external, externalPort: m.external_port, protocol: m.protocol, ...common(m) });
  }
  for (const m of y.identity_mappings ?? []) {
    maps.push({ kind: 'identity', local: m.address, localPort: m.port, external: m.address, externalPort: m.port, protocol: m.protocol, ...common(m) });
  }
  for (const m of y.lb_static_mappings ?? []) {
    maps.push({
      kind: 'load-balanced',
      external: m.external,
      externalPort: m.external_port,
      protocol: m.protocol,
      ...common(m),
      // add_lb_static_mapping_command_fn: `vrf_id = 0` (nat44_cli.c @ 0d305478)
      vrf: m.vrf ?? 0,
      locals: (m.locals as Yaml[]).map((l) => ({ address: l.address, port: l.port, probability: l.probability, vrf: l.vrf })),
    });
  }
  return {
    forwarding: y.forwarding ?? false,
    inside: y.inside ?? [],
    outside: y.outside ?? [],
    outputFeature: y.output_feature ?? [],
    insideVrf: y.inside_vrf ?? 0,
    outsideVrf: y.outside_vrf ?? 0,
    addresses: (y.addresses ?? []).map((a: string | Yaml) => (typeof a === 'string' ? { address: a } : { address: a.address, vrf: a.vrf, twiceNat: a.twice_nat })),
    staticMappings: maps,
    maxTranslationsPerUser: y.max_translations_per_user ?? NAT44_DEFAULTS.maxTranslationsPerUser,
    // VPP: max_translations = 10 * translation_buckets ("do not exceed load factor 10").
    maxTranslations: y.max_translations ?? (y.translation_hash_buckets !== undefined ? 10 * y.translation_hash_buckets : NAT44_DEFAULTS.maxTranslations),
    translationHashBuckets: y.translation_hash_buckets,
  };
}
