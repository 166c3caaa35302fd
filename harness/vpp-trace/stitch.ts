// Stitching traces of one packet across two VPPs (issue 3): the inner packet that leaves
// `vxlan4-encap` on one node is the packet after `vxlan4-input` on the other. Matched on the VNI and
// the inner headers (IPv4 addresses, id, TTL, checksum, L4 ports), which no hop between the two
// changes; the outer UDP source port, when both sides show it, must agree too.

import type { FieldValue } from '../stage.js';
import type { VppStage } from './nodes/index.js';
import type { TraceFile, VppPacketTrace } from './trace-file.js';
import { allPackets } from './trace-file.js';

/** Shared by every stitch of that end: read-only. */
export interface StitchEnd {
  readonly packet: VppPacketTrace;
  /** Index of the vxlan stage in packet.stages. */
  readonly stage: number;
}

export interface Stitch {
  from: StitchEnd;
  to: StitchEnd;
  vni: number;
  /** The inner-header key both ends agree on. */
  key: string;
}

const KEY_FIELDS = ['ip4.src', 'ip4.dst', 'ip4.id', 'ip4.ttl', 'ip4.checksum', 'ip4.proto', 'tcp.src_port', 'tcp.dst_port', 'tcp.seq', 'udp.src_port', 'udp.dst_port'];

function innerKey(fields: Record<string, FieldValue>): string | undefined {
  if (fields['ip4.src'] === undefined) return undefined;
  return KEY_FIELDS.map((k) => `${k}=${String(fields[k] ?? '')}`).join(' ');
}

/** Outer UDP source port seen on the wire side of a stage list (first/last stage with UDP 4789). */
function outerSport(stages: VppStage[]): FieldValue | undefined {
  for (const s of stages) if (s.fields['udp.dst_port'] === 4789) return s.fields['udp.src_port'];
  return undefined;
}

/** Where a packet enters or leaves a VXLAN tunnel, and the inner headers it carries there. */
interface TunnelEnd {
  at: number;
  vni: number;
  key: string;
  sport?: FieldValue;
}

function encapEnd(p: VppPacketTrace): TunnelEnd | undefined {
  const at = p.stages.findIndex((s) => s.kind === 'vxlan-encap');
  if (at < 0) return undefined;
  for (let i = at - 1; i >= 0; i--) {
    const key = innerKey(p.stages[i].fields);
    if (key) return { at, vni: p.stages[at].fields.vni as number, key, sport: outerSport(p.stages.slice(at + 1)) };
  }
  return undefined;
}

function decapEnd(p: VppPacketTrace): TunnelEnd | undefined {
  const at = p.stages.findIndex((s) => s.kind === 'vxlan-input' && s.fields.tunnel !== undefined);
  if (at < 0) return undefined;
  for (let i = at + 1; i < p.stages.length; i++) {
    const key = innerKey(p.stages[i].fields);
    if (key) return { at, vni: p.stages[at].fields.vni as number, key, sport: outerSport(p.stages.slice(0, at)) };
  }
  return undefined;
}

/** Every encap -> decap pair in the given traces (one file or several concatenated). */
export function stitch(files: TraceFile | TraceFile[]): Stitch[] {
  const packets = (Array.isArray(files) ? files : [files]).flatMap((f) => [...allPackets(f)]);
  // Decap ends by VNI and inner key, in packet order: every encap was compared with every decap,
  // quadratic in the trace (a 50 MB trace of tunnelled flows took minutes and gigabytes).
  // Each end is one StitchEnd shared by all its stitches: a trace repeating one tunnelled flow pairs
  // every encap with every decap (millions of stitches in a 50 MB trace), and an end object per
  // stitch and side was most of the memory `trace parse` and `trace show` used on it.
  const decaps = new Map<string, Array<{ end: StitchEnd; d: TunnelEnd }>>();
  for (const q of packets) {
    const d = decapEnd(q);
    if (!d) continue;
    const k = `${d.vni} ${d.key}`;
    const entry = { end: { packet: q, stage: d.at }, d };
    const list = decaps.get(k);
    if (list) list.push(entry);
    else decaps.set(k, [entry]);
  }
  const out: Stitch[] = [];
  for (const p of packets) {
    const e = encapEnd(p);
    if (!e) continue;
    let from: StitchEnd | undefined;
    for (const { end, d } of decaps.get(`${e.vni} ${e.key}`) ?? []) {
      if (end.packet === p) continue;
      if (e.sport !== undefined && d.sport !== undefined && e.sport !== d.sport) continue;
      from ??= { packet: p, stage: e.at };
      out.push({ from, to: end, vni: e.vni, key: e.key });
    }
  }
  return out;
}
