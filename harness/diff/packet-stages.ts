// Captured packets as stages, so a capture golden (or `dpconform diff` of two captures) goes through
// the same field comparison, masks and reports as a trace: the dissected layers become fields
// (`ip4.ttl`; a second header of a kind, or a header quoted by an ICMP error, `inner.ip4.ttl` -
// field-offsets.ts namedLayers), the bytes stay as the stage's packet.

import * as crypto from 'node:crypto';
import type { FieldValue, PacketTrace, Stage } from '../stage.js';
import type { Packet } from '../wire/packet.js';
import { hex } from '../wire/bytes.js';
import type { Dissector, Layer } from '../suite/peers.js';
import { safeDissect } from './checksums.js';
import { namedLayers, nestingPrefix, splitNesting, type NamedLayer } from './field-offsets.js';

/** crypto.hash where Node has it (20.12+): one call per payload, no Hash object. */
const sha256Hex: (b: Uint8Array) => string = typeof crypto.hash === 'function' ? (b) => crypto.hash('sha256', b, 'hex') : (b) => crypto.createHash('sha256').update(b).digest('hex');

/** A dissector value as a comparable stage field: bytes as hex, lists and records as canonical JSON. */
function stageValue(v: Exclude<Layer['fields'][string], undefined>): FieldValue {
  if (v === null) return null;
  if (v instanceof Uint8Array) return hex(v);
  if (typeof v === 'object') return JSON.stringify(v, (_, x) => (typeof x === 'bigint' ? `0x${x.toString(16)}` : x));
  return v;
}

/**
 * The packet as a stage. `only`: just these field keys (what `diff` needs to tell packets apart),
 * computed by the same code so they are the same values, without the rest.
 */
export function packetStage(p: Packet, node: string, dissect: Dissector | undefined, only?: ReadonlySet<string>): Stage {
  const fields: Record<string, FieldValue> = {};
  // With `only`, a layer none of whose fields is asked for is passed over (diff reads every packet of two captures).
  const wanted = only && leavesByLayer(only);
  const layers = dissect ? safeDissect(dissect, p) : [];
  // Only outer fields asked for: they are the first layer of each name (namedLayers), found without
  // naming every layer (its cache per dissection costs the garbage collector dearly over a capture).
  const named = wanted?.outerOnly ? outerLayers(layers) : namedLayers(layers);
  for (const { layer: l, prefix } of named) {
    const asked = wanted?.byLayer.get(prefix + l.name);
    if (wanted && !asked) continue;
    if (asked) {
      // The asked fields only, each read directly (the field keys written once, in leavesByLayer).
      for (const [k, key] of asked.keys) {
        const v = Object.hasOwn(l.fields, k) ? l.fields[k] : undefined;
        if (k === 'checksum_valid' || k === 'checksum_status' || v === undefined) continue;
        fields[key] = stageValue(v);
      }
    } else {
      for (const k in l.fields) {
        const v = l.fields[k];
        // Validity (and UDP's valid/invalid/zero status) is a property of the bytes, reported through
        // checksum provenance, not a field to compare: the checksum value and the bytes it covers are.
        if (k === 'checksum_valid' || k === 'checksum_status' || v === undefined) continue;
        fields[`${prefix}${l.name}.${k}`] = stageValue(v);
      }
    }
    if (l.name === 'payload') {
      if (!asked || asked.leaves.has('length')) fields[`${prefix}payload.length`] = l.length;
      if (!asked || asked.leaves.has('sha256')) fields[`${prefix}payload.sha256`] = sha256Hex(p.data.subarray(l.offset, l.offset + l.length)).slice(0, 16);
    }
  }
  return { node, lines: [], fields, packet: p };
}

/** The field keys asked of each layer (by prefix + name), and whether all are outer ones (no `inner.`). */
interface AskedFields {
  outerOnly: boolean;
  byLayer: Map<string, { leaves: Set<string>; keys: Array<[leaf: string, key: string]> }>;
}

const askedIndex = new WeakMap<ReadonlySet<string>, AskedFields>();

/** The layers namedLayers names without a prefix: the first of each name, in packet order. */
function outerLayers(layers: readonly Layer[]): NamedLayer[] {
  const out: NamedLayer[] = [];
  for (let i = 0; i < layers.length; i++) {
    const l = layers[i];
    let first = true;
    for (let j = 0; j < i && first; j++) if (layers[j].name === l.name) first = false;
    if (first) out.push({ layer: l, prefix: '' });
  }
  return out.sort((a, b) => a.layer.offset - b.layer.offset);
}

/** Field keys by the layer that holds them: `inner.ip4.src` -> 'inner.ip4' -> 'src'. */
function leavesByLayer(keys: ReadonlySet<string>): AskedFields {
  let index = askedIndex.get(keys);
  if (index) return index;
  index = { outerOnly: true, byLayer: new Map() };
  for (const key of keys) {
    const { level, rest } = splitNesting(key);
    if (level) index.outerOnly = false;
    const dot = rest.indexOf('.');
    if (dot < 0) continue;
    const layer = nestingPrefix(level) + rest.slice(0, dot);
    let asked = index.byLayer.get(layer);
    if (!asked) index.byLayer.set(layer, (asked = { leaves: new Set(), keys: [] }));
    asked.leaves.add(rest.slice(dot + 1));
    asked.keys.push([rest.slice(dot + 1), key]);
  }
  askedIndex.set(keys, index);
  return index;
}

/** One single-stage trace per packet; the stage is named after the interface it was seen on. */
export function packetsAsTraces(packets: readonly Packet[], dissect: Dissector | undefined, defaultNode = 'wire'): PacketTrace[] {
  return packets.map((p, i) => ({ number: p.meta.frame ?? i + 1, stages: [packetStage(p, p.meta.interfaceName ?? defaultNode, dissect)] }));
}
