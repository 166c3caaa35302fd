// Captured packets as stages, so a capture golden (or `dpconform diff` of two captures) goes through
// the same field comparison, masks and reports as a trace: the dissected layers become fields
// (`ip4.ttl`; a second header of a kind, or a header quoted by an ICMP error, `inner.ip4.ttl` -
// field-offsets.ts namedLayers), the bytes stay as the stage's packet.

import { createHash } from 'node:crypto';
import type { FieldValue, PacketTrace, Stage } from '../stage.js';
import type { Packet } from '../wire/packet.js';
import { hex } from '../wire/bytes.js';
import type { Dissector, Layer } from '../suite/peers.js';
import { safeDissect } from './checksums.js';
import { namedLayers } from './field-offsets.js';

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
  for (const { layer: l, prefix } of namedLayers(dissect ? safeDissect(dissect, p) : [])) {
    for (const [k, v] of Object.entries(l.fields)) {
      // Validity (and UDP's valid/invalid/zero status) is a property of the bytes, reported through
      // checksum provenance, not a field to compare: the checksum value and the bytes it covers are.
      if (k === 'checksum_valid' || k === 'checksum_status' || v === undefined) continue;
      const key = `${prefix}${l.name}.${k}`;
      if (!only || only.has(key)) fields[key] = stageValue(v);
    }
    if (l.name === 'payload') {
      if (!only || only.has(`${prefix}payload.length`)) fields[`${prefix}payload.length`] = l.length;
      if (!only || only.has(`${prefix}payload.sha256`)) fields[`${prefix}payload.sha256`] = createHash('sha256').update(p.data.subarray(l.offset, l.offset + l.length)).digest('hex').slice(0, 16);
    }
  }
  return { node, lines: [], fields, packet: p };
}

/** One single-stage trace per packet; the stage is named after the interface it was seen on. */
export function packetsAsTraces(packets: readonly Packet[], dissect: Dissector | undefined, defaultNode = 'wire'): PacketTrace[] {
  return packets.map((p, i) => ({ number: p.meta.frame ?? i + 1, stages: [packetStage(p, p.meta.interfaceName ?? defaultNode, dissect)] }));
}
