// Where header fields sit inside their layer, so a byte that differs in a packet is named by the field
// it belongs to (and a masked field's bytes are skipped). Offsets in bytes from the layer start;
// sub-byte fields (flags, DSCP) are attributed to the byte that holds them.

import type { Layer } from '../suite/peers.js';

type Span = readonly [offset: number, length: number];

export const FIELD_OFFSETS: Record<string, Record<string, Span>> = {
  eth: { dst: [0, 6], src: [6, 6], type: [12, 2] },
  vlan: { tci: [0, 2], type: [2, 2] },
  // `length` as VPP traces name it, `total_length` as the dissector does (captures).
  ip4: { tos: [1, 1], length: [2, 2], total_length: [2, 2], id: [4, 2], flags: [6, 2], ttl: [8, 1], protocol: [9, 1], checksum: [10, 2], src: [12, 4], dst: [16, 4] },
  ip6: { traffic_class: [0, 2], flow_label: [1, 3], payload_length: [4, 2], next_header: [6, 1], hop_limit: [7, 1], src: [8, 16], dst: [24, 16] },
  tcp: { src_port: [0, 2], dst_port: [2, 2], seq: [4, 4], ack: [8, 4], flags: [12, 2], window: [14, 2], checksum: [16, 2], urgent: [18, 2] },
  udp: { src_port: [0, 2], dst_port: [2, 2], length: [4, 2], checksum: [6, 2] },
  icmp: { type: [0, 1], code: [1, 1], checksum: [2, 2], id: [4, 2], seq: [6, 2] },
  icmp6: { type: [0, 1], code: [1, 1], checksum: [2, 2], id: [4, 2], seq: [6, 2] },
  vxlan: { flags: [0, 1], vni: [4, 3] },
  gre: { flags: [0, 2], protocol: [2, 2], key: [4, 4] },
  mpls: { label: [0, 3], ttl: [3, 1] },
  // Each ARP field by the name the dissector gives it (captures: dissect/fields.ts), then as VPP traces
  // (vpp-trace/format/headers.ts: opcode, sender_mac, ...) and the DVR model's records
  // (models/neutron-dvr/frame.ts: op, ...) name it. The first name is the bytes' own when the compared
  // stages state none of them.
  arp: {
    hardware_type: [0, 2], protocol_type: [2, 2], hardware_size: [4, 1], protocol_size: [5, 1], opcode: [6, 2], sender_hw: [8, 6], sender_proto: [14, 4], target_hw: [18, 6], target_proto: [24, 4],
    op: [6, 2], sender_mac: [8, 6], sender_ip: [14, 4], target_mac: [18, 6], target_ip: [24, 4],
  },
};

/**
 * The other names of a header field's bytes (`ip4.length` = `ip4.total_length`, `arp.target_hw` =
 * `arp.target_mac`): the leaves of `proto` with the same span as `leaf`. Inputs name one field
 * differently (a capture's dissector, a VPP trace, a model's records); a mask written in one spelling
 * covers the field in the others, and the bytes of a field a stage states by one name are that field,
 * not a second difference under another.
 */
export function sameBytesLeaves(proto: string, leaf: string): readonly string[] {
  const key = `${proto}.${leaf}`;
  let out = synonyms.get(key);
  if (!out) {
    const spans = FIELD_OFFSETS[proto];
    const span = spans ? spans[leaf] : undefined;
    out = span ? Object.keys(spans).filter((l) => l !== leaf && spans[l][0] === span[0] && spans[l][1] === span[1]) : [];
    synonyms.set(key, out);
  }
  return out;
}

const synonyms = new Map<string, readonly string[]>();

/**
 * The name a stage gives the field whose bytes `key` names: `key` itself or the first of its other
 * names (sameBytesLeaves) that either stage states, else `key`.
 */
export function statedFieldName(key: string, ...stated: ReadonlyArray<Readonly<Record<string, unknown>>>): string {
  if (stated.some((f) => key in f)) return key;
  const { level, rest } = splitNesting(key);
  const dot = rest.indexOf('.');
  if (dot < 0) return key;
  const proto = rest.slice(0, dot);
  for (const leaf of sameBytesLeaves(proto, rest.slice(dot + 1))) {
    const other = `${nestingPrefix(level)}${proto}.${leaf}`;
    if (stated.some((f) => other in f)) return other;
  }
  return key;
}

/** A dissected layer and the prefix its fields go by in a stage: '', 'inner.', 'inner.inner.', ... */
export interface NamedLayer {
  layer: Layer;
  prefix: string;
}

/** The prefix of nesting level `level` (0 = outermost): one `inner.` per level. */
export function nestingPrefix(level: number): string {
  return 'inner.'.repeat(level);
}

/** A field key's nesting level and the rest (`inner.inner.ip4.src` -> 2, `ip4.src`). */
export function splitNesting(key: string): { level: number; rest: string } {
  let level = 0;
  while (key.startsWith('inner.', level * 6)) level++;
  return { level, rest: key.slice(level * 6) };
}

/**
 * Layers in packet order with the names a stage gives their fields, as VPP trace stages name them:
 * the first header of a kind is plain (`ip4.ttl`), a second one of that kind (a tunnelled header) is
 * `inner.` (a third `inner.inner.`). The headers an ICMP error quotes sit one level inside the IP
 * header carrying the error: `inner.ip4.src`, `inner.udp.src_port` for an error on the wire; for an
 * error inside a tunnel (its IP header is `inner.ip4`) the quoted ones are `inner.inner.ip4.src`,
 * `inner.inner.udp.src_port`. So `outer.`/`inner.` keep naming the tunnel's two headers, and every
 * quoted byte has a field name.
 */
export function namedLayers(layers: readonly Layer[]): NamedLayer[] {
  // Asked for every byte and field of a packet: computed once per dissection.
  let out = named.get(layers);
  if (!out) named.set(layers, (out = nameLayers(layers)));
  return out;
}

const named = new WeakMap<readonly Layer[], NamedLayer[]>();

function nameLayers(layers: readonly Layer[]): NamedLayer[] {
  const out: NamedLayer[] = [];
  const seen = new Map<string, number>();
  const taken = new Set<string>();
  const quoted: Array<{ layers: Layer[]; level: number }> = [];
  /** Nesting level of the last IP header: an ICMP error's quoted packet sits one level inside it. */
  let ipLevel = 0;
  for (const l of layers) {
    const level = seen.get(l.name) ?? 0;
    seen.set(l.name, level + 1);
    if (l.name === 'ip4' || l.name === 'ip6') ipLevel = level;
    out.push({ layer: l, prefix: nestingPrefix(level) });
    taken.add(`${level}:${l.name}`);
    if (l.quoted) quoted.push({ layers: l.quoted, level: ipLevel + 1 });
  }
  for (const q of quoted) {
    for (const l of q.layers) {
      // A name a header of the packet itself already holds stays with it (cannot happen for a well-formed
      // packet: nothing follows the quoted packet); the quoted header then goes unnamed, compared by offset.
      if (taken.has(`${q.level}:${l.name}`)) continue;
      taken.add(`${q.level}:${l.name}`);
      out.push({ layer: l, prefix: nestingPrefix(q.level) });
    }
  }
  return out.sort((a, b) => a.layer.offset - b.layer.offset);
}

/** The field key (`ip4.ttl`, `inner.ip4.ttl`) holding byte `off` of a dissected packet, if any. */
export function fieldAtByte(layers: readonly Layer[], off: number): string | undefined {
  return fieldKeysByByte(layers)[off];
}

const byByte = new WeakMap<readonly Layer[], Array<string | undefined>>();

/** For every byte a layer covers, its field key (first layer and first field win, as in packet order). */
export function fieldKeysByByte(layers: readonly Layer[]): ReadonlyArray<string | undefined> {
  let keys = byByte.get(layers);
  if (keys) return keys;
  keys = [];
  for (const { layer: l, prefix } of namedLayers(layers)) {
    for (let i = l.offset; i < l.offset + l.length; i++) keys[i] ??= `${prefix}${l.name}`;
    // Fields in reverse so the first listed wins where two overlap (ip4 length / total_length).
    for (const [leaf, [o, len]] of Object.entries(FIELD_OFFSETS[l.name] ?? {}).reverse()) {
      const key = `${prefix}${l.name}.${leaf}`;
      for (let i = l.offset + o; i < Math.min(l.offset + o + len, l.offset + l.length); i++) if (keys[i] === `${prefix}${l.name}` || keys[i]?.startsWith(`${prefix}${l.name}.`)) keys[i] = key;
    }
  }
  byByte.set(layers, keys);
  return keys;
}

/** Byte span of a field key in a dissected packet (for marking changed fields in reports). */
export function fieldSpan(layers: readonly Layer[], key: string): Span | undefined {
  const { level, rest: k } = splitNesting(key);
  const dot = k.indexOf('.');
  if (dot < 0) return undefined;
  const proto = k.slice(0, dot);
  const leaf = k.slice(dot + 1);
  const spans = FIELD_OFFSETS[proto];
  const layer = layerNamed(layers, proto, level);
  if (!spans?.[leaf] || !layer) return undefined;
  return [layer.offset + spans[leaf][0], spans[leaf][1]];
}

/** The layer a stage calls `proto` at nesting level `level` (0: `proto`, 1: `inner.proto`, ...). */
export function layerNamed(layers: readonly Layer[], proto: string, level: number): Layer | undefined {
  const want = nestingPrefix(level);
  return namedLayers(layers).find((n) => n.layer.name === proto && n.prefix === want)?.layer;
}
