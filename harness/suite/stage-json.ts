// JSON stage records: the lossless on-disk form of PacketTrace[] (goldens that are neither VPP text
// nor captures, e.g. Neutron DVR hop records, and snapshots written by --update).
//
//   { "format": "dpconform-stages", "version": 1,
//     "traces": [ { "number": 1, "stages": [ { "node": "ip4-input", "time": "...", "lines": [...],
//        "fields": { "ip4.ttl": 64, "acl.pkt_info0": { "$bigint": "0x0c01010a" } },
//        "packet": { "hex": "0002...", "known": [[0, 34]], "link_type": 1, "interface": "tap8" } } ] } ] }
//
// bigint field values are `{ "$bigint": "0x..." }` because JSON numbers lose 64-bit precision.

import { KnownBytes } from '../wire/known.js';
import { fromHex, hex } from '../wire/bytes.js';
import { LinkType, type Packet } from '../wire/packet.js';
import type { FieldValue, PacketTrace, Stage } from '../stage.js';
import { InputError } from '../io/input-error.js';

export const STAGES_FORMAT = 'dpconform-stages';

type JsonValue = string | number | boolean | null | { $bigint: string };

export function stagesToJson(traces: readonly PacketTrace[]): string {
  const doc = { format: STAGES_FORMAT, version: 1, traces: traces.map((t, i) => traceToJson(t, i)) };
  return JSON.stringify(doc, null, 2) + '\n';
}

/** One entry of the document's `traces`, the `index`-th (its number when the trace has none). */
export function traceToJson(t: PacketTrace, index: number) {
  return {
    number: t.number ?? index + 1,
    stages: t.stages.map((s) => ({
      node: s.node,
      ...(s.time !== undefined ? { time: s.time } : {}),
      lines: s.lines,
      fields: Object.fromEntries(Object.entries(s.fields).map(([k, v]) => [k, fieldToJson(v)])),
      ...(s.packet ? { packet: packetToJson(s.packet) } : {}),
    })),
  };
}

function fieldToJson(v: FieldValue): JsonValue {
  return typeof v === 'bigint' ? { $bigint: '0x' + v.toString(16) } : v;
}

function packetToJson(p: Packet) {
  return {
    hex: hex(p.data),
    ...(p.known && !p.known.isComplete() ? { known: p.known.ranges() } : {}),
    link_type: p.meta.linkType,
    ...(p.meta.interfaceName ? { interface: p.meta.interfaceName } : {}),
  };
}

/** Parse a stage-records document; errors name the file and the key path. */
export function stagesFromJson(text: string, file: string): PacketTrace[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new InputError(`not JSON: ${(e as Error).message}`, { file }, 'stages.json');
  }
  const bad = (key: string, why: string, packet?: number) => new InputError(why, { file, key, ...(packet !== undefined ? { packet } : {}) }, 'stages.invalid');
  const d = doc as Record<string, unknown>;
  if (!d || typeof d !== 'object' || d.format !== STAGES_FORMAT) throw bad('format', `expected "format": "${STAGES_FORMAT}"`);
  // A later version may mean other things by the same keys: read as version 1 it would be wrong silently.
  if (d.version !== undefined && d.version !== 1) throw bad('version', `unknown version ${JSON.stringify(d.version)} (this reader knows version 1)`);
  if (!Array.isArray(d.traces)) throw bad('traces', 'expected a list');
  return d.traces.map((t: any, i: number): PacketTrace => {
    const tk = `traces[${i}]`;
    if (!t || !Array.isArray(t.stages)) throw bad(`${tk}.stages`, 'expected a list');
    const number = typeof t.number === 'number' ? t.number : i + 1;
    return {
      number,
      stages: t.stages.map((s: any, j: number): Stage => {
        const sk = `${tk}.stages[${j}]`;
        if (!s || typeof s.node !== 'string') throw bad(`${sk}.node`, 'expected a node name');
        if (s.lines !== undefined && (!Array.isArray(s.lines) || s.lines.some((l: unknown) => typeof l !== 'string'))) throw bad(`${sk}.lines`, 'expected a list of strings');
        const fields: Record<string, FieldValue> = {};
        for (const [k, v] of Object.entries((s.fields ?? {}) as Record<string, unknown>)) {
          if (v && typeof v === 'object' && typeof (v as { $bigint?: unknown }).$bigint === 'string') fields[k] = BigInt((v as { $bigint: string }).$bigint);
          else if (v === null || ['string', 'number', 'boolean'].includes(typeof v)) fields[k] = v as FieldValue;
          else throw bad(`${sk}.fields.${k}`, 'expected a string, number, boolean, null or {"$bigint": "0x.."}');
        }
        const stage: Stage = { node: s.node, lines: s.lines ?? [], fields };
        if (typeof s.time === 'string') stage.time = s.time;
        if (s.packet !== undefined) stage.packet = packetFromJson(s.packet, (key, why) => bad(`${sk}.packet${key}`, why, number));
        return stage;
      }),
    };
  });
}

/**
 * A stage's packet. Refused rather than read loosely: an empty `hex` (a 0-byte frame was replayed),
 * `known` ranges past the end of the bytes, a `link_type` that is not a number (read as Ethernet).
 * `bad` gets the key below `packet` (`.hex`, `.known[2]`) and the reason.
 */
function packetFromJson(p: any, bad: (key: string, why: string) => InputError): Packet {
  if (!p || typeof p.hex !== 'string' || !/^([0-9a-fA-F]{2})*$/.test(p.hex)) throw bad('', 'expected { "hex": "..." } with an even number of hex digits');
  if (p.hex === '') throw bad('.hex', 'an empty packet (no bytes)');
  const data = fromHex(p.hex);
  let known: KnownBytes | undefined;
  if (p.known !== undefined) {
    if (!Array.isArray(p.known)) throw bad('.known', 'expected [[offset, length], ...]');
    known = new KnownBytes(data.length);
    p.known.forEach((r: unknown, k: number) => {
      if (!Array.isArray(r) || r.length !== 2 || !r.every((x) => Number.isInteger(x) && x >= 0)) throw bad(`.known[${k}]`, 'expected [offset, length]');
      if (r[0] + r[1] > data.length) throw bad(`.known[${k}]`, `[${r[0]}, ${r[1]}] ends at byte ${r[0] + r[1]}, past the packet's ${data.length} bytes`);
      known!.mark(r[0], r[1]);
    });
  }
  if (p.link_type !== undefined && !(Number.isInteger(p.link_type) && p.link_type >= 0)) throw bad('.link_type', `expected a link type number (1 = Ethernet), not ${JSON.stringify(p.link_type)}`);
  return {
    data,
    known,
    meta: { linkType: p.link_type ?? LinkType.ETHERNET, ...(typeof p.interface === 'string' ? { interfaceName: p.interface } : {}) },
  };
}
