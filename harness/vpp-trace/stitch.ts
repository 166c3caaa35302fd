// Stitching traces of one packet across two VPPs (issue 3): the inner packet that leaves
// `vxlan4-encap` on one node is the packet after `vxlan4-input` on the other. Matched on the VNI and
// the inner headers (IPv4 addresses, id, TTL, checksum, L4 ports), which no hop between the two
// changes; the outer UDP source port, when both sides show it, must agree too.

import type { FieldValue } from '../stage.js';
import type { VppStage } from './nodes/index.js';
import type { TraceFile, VppPacketTrace } from './trace-file.js';
import { allPackets } from './trace-file.js';

/**
 * What an index keeps of a packet: the packet itself (stitch()), or only its line when the trace is
 * streamed (`trace show`, `parse --json`: a packet list is what must not be held).
 */
export interface PacketRef {
  readonly line?: number;
}

/** Shared by every stitch of that end: read-only. */
export interface StitchEnd<P extends PacketRef = VppPacketTrace> {
  readonly packet: P;
  /** Index of the vxlan stage in packet.stages. */
  readonly stage: number;
}

export interface Stitch<P extends PacketRef = VppPacketTrace> {
  from: StitchEnd<P>;
  to: StitchEnd<P>;
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

interface EncapEntry<P extends PacketRef> {
  group: string;
  vni: number;
  key: string;
  at: IndexedEnd<P>;
}

/** A tunnel end of one packet, with what pairing needs: its place in packet order and its outer port. */
interface IndexedEnd<P extends PacketRef> {
  end: StitchEnd<P>;
  /** Position of the packet in packet order. */
  order: number;
  sport?: FieldValue;
}

/**
 * The VXLAN ends of some traces, by VNI and inner key, in packet order: what stitching, counting
 * and show's notes need, without a Stitch per pair (a trace repeating one tunnelled flow pairs every
 * encap with every decap: millions of pairs in a 50 MB trace).
 */
export class TunnelIndex<P extends PacketRef = VppPacketTrace> {
  /** Each packet's encap end under its group key. */
  private readonly encapOf = new Map<P, EncapEntry<P>>();
  /** The packets with a tunnel end, by their place in packet order. */
  private readonly refAt = new Map<number, P>();
  /** The encap ends in packet order (a packet added twice, as stitch([f, f]) does, is there twice). */
  private readonly encapList: EncapEntry<P>[] = [];
  private readonly decapOf = new Map<P, { group: string; at: IndexedEnd<P> }>();
  private readonly encaps = new Map<string, IndexedEnd<P>[]>();
  private readonly decaps = new Map<string, IndexedEnd<P>[]>();
  /** Packets added so far (their place in packet order). */
  private added = 0;
  /**
   * One copy of each group and key text: every packet of a repeated flow makes the same ~150
   * characters again, and a streamed trace keeps the index (not the packets) to its end.
   */
  private readonly texts = new Map<string, string>();

  private interned(text: string): string {
    const known = this.texts.get(text);
    if (known !== undefined) return known;
    this.texts.set(text, text);
    return text;
  }

  /** The packets of `files` (each packet kept as its own ref). */
  static of(files: TraceFile | TraceFile[] = []): TunnelIndex {
    const index = new TunnelIndex();
    for (const f of Array.isArray(files) ? files : [files]) for (const p of allPackets(f)) index.add(p, p);
    return index;
  }

  /**
   * The next packet in packet order (a streaming reader adds each as it completes); only packets
   * with a tunnel end are kept, as `ref`.
   */
  add(p: VppPacketTrace, ref: P): void {
    const order = this.added++;
    const d = decapEnd(p);
    if (d) {
      const group = this.interned(`${d.vni} ${d.key}`);
      const at = { end: { packet: ref, stage: d.at }, order, sport: d.sport };
      pushTo(this.decaps, group, at);
      this.decapOf.set(ref, { group, at });
      this.refAt.set(order, ref);
    }
    const e = encapEnd(p);
    if (e) {
      const group = this.interned(`${e.vni} ${e.key}`);
      const at = { end: { packet: ref, stage: e.at }, order, sport: e.sport };
      pushTo(this.encaps, group, at);
      const entry = { group, vni: e.vni, key: this.interned(e.key), at };
      this.encapOf.set(ref, entry);
      this.refAt.set(order, ref);
      this.encapList.push(entry);
    }
  }

  /** Every encap -> decap pair, encaps in packet order, each encap's decaps in packet order. */
  stitches(): Stitch<P>[] {
    return [...this.eachStitch()];
  }

  /** stitches(), one at a time: `trace parse --json` writes each as it comes. */
  *eachStitch(): Generator<Stitch<P>> {
    for (const e of this.encapList) {
      for (const d of this.decaps.get(e.group) ?? []) if (pairs(e.at, d)) yield { from: e.at.end, to: d.end, vni: e.vni, key: e.key };
    }
  }

  /** How many pairs stitches() would list, counted by outer port, without listing them. */
  count(): number {
    const byGroup = new Map<string, { all: number; noPort: number; byPort: Map<FieldValue, number> }>();
    for (const [group, ends] of this.decaps) {
      const c = { all: ends.length, noPort: 0, byPort: new Map<FieldValue, number>() };
      for (const d of ends) {
        if (d.sport === undefined) c.noPort++;
        else c.byPort.set(d.sport, (c.byPort.get(d.sport) ?? 0) + 1);
      }
      byGroup.set(group, c);
    }
    let n = 0;
    for (const e of this.encapList) {
      const c = byGroup.get(e.group);
      if (!c) continue;
      n += e.at.sport === undefined ? c.all : c.noPort + (c.byPort.get(e.at.sport) ?? 0);
      // A packet is never paired with itself.
      const self = this.decapOf.get(e.at.end.packet);
      if (self && self.group === e.group && portsAgree(e.at, self.at)) n--;
    }
    return n;
  }

  /**
   * The pairs of the packet at `order` in packet order, in stitches() order, as [the other packet,
   * whether this one is the encap side, vni]: show prints a note per pair under its packet.
   */
  *pairsOf(order: number): Generator<{ other: P; encapSide: boolean; vni: number }> {
    const p = this.refAt.get(order);
    if (p === undefined) return;
    const own = this.encapOf.get(p);
    const dec = this.decapOf.get(p);
    // Pairs are ordered by their encap's packet: the encaps p's decap pairs with, and p's own encap
    // (all of its pairs together) at its place among them.
    let ownDone = !own;
    const ownPairs = function* (this: TunnelIndex<P>) {
      ownDone = true;
      for (const d of this.decaps.get(own!.group) ?? []) if (pairs(own!.at, d)) yield { other: d.end.packet, encapSide: true, vni: own!.vni };
    }.bind(this);
    if (dec) {
      for (const e of this.encaps.get(dec.group) ?? []) {
        if (!ownDone && e.order >= own!.at.order) yield* ownPairs();
        if (pairs(e, dec.at)) yield { other: e.end.packet, encapSide: false, vni: this.encapOf.get(e.end.packet)!.vni };
      }
    }
    if (!ownDone) yield* ownPairs();
  }
}

function pushTo<T>(m: Map<string, T[]>, k: string, v: T): void {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}

function portsAgree<P extends PacketRef>(e: IndexedEnd<P>, d: IndexedEnd<P>): boolean {
  return e.sport === undefined || d.sport === undefined || e.sport === d.sport;
}

function pairs<P extends PacketRef>(e: IndexedEnd<P>, d: IndexedEnd<P>): boolean {
  return e.end.packet !== d.end.packet && portsAgree(e, d);
}

/** Every encap -> decap pair in the given traces (one file or several concatenated). */
export function stitch(files: TraceFile | TraceFile[]): Stitch[] {
  // Decap ends by VNI and inner key, in packet order: every encap was compared with every decap,
  // quadratic in the trace (a 50 MB trace of tunnelled flows took minutes and gigabytes).
  // Each end is one StitchEnd shared by all its stitches: a trace repeating one tunnelled flow pairs
  // every encap with every decap (millions of stitches in a 50 MB trace), and an end object per
  // stitch and side was most of the memory `trace parse` and `trace show` used on it.
  return TunnelIndex.of(files).stitches();
}

/** How many pairs stitch() finds, without building them (`trace parse` prints only the number). */
export function countStitches(files: TraceFile | TraceFile[]): number {
  return TunnelIndex.of(files).count();
}
