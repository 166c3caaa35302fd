// `dpconform trace show`: one block per packet, one line per stage, the header fields that changed
// since the previous stage highlighted (TTL, checksums, addresses, ports) - where NAT, TTL
// decrement and encapsulation happen, at a glance.

import type { FieldValue } from '../stage.js';
import type { VppStage } from './nodes/index.js';
import type { PacketRef, Stitch, TunnelIndex } from './stitch.js';
import type { TraceFile, VppPacketTrace } from './trace-file.js';
import { outlineOf, type TraceOutline } from './trace-outline.js';
import { allWarnings, warningCount } from './spooled.js';
import { groupedWarnings, LISTED_PER_KIND, warningLine } from './warning-line.js';

export interface Paint {
  node(s: string): string;
  changed(s: string): string;
  dim(s: string): string;
  warn(s: string): string;
}

export const NO_PAINT: Paint = { node: (s) => s, changed: (s) => s, dim: (s) => s, warn: (s) => s };

/** The fields a reader follows along a path, in display order. */
const WATCHED = [
  'eth.src', 'eth.dst', 'ip4.src', 'ip4.dst', 'ip4.ttl', 'ip4.checksum', 'tcp.src_port', 'tcp.dst_port', 'tcp.checksum',
  'udp.src_port', 'udp.dst_port', 'udp.checksum', 'inner.ip4.src', 'inner.ip4.dst', 'inner.ip4.ttl', 'ip6.src', 'ip6.dst', 'ip6.hop_limit',
];
const HEX = new Set(['ip4.checksum', 'tcp.checksum', 'udp.checksum']);

function show(k: string, v: FieldValue): string {
  return HEX.has(k) && typeof v === 'number' ? '0x' + v.toString(16).padStart(4, '0') : String(v);
}

/** A one-line summary of a stage's own record (what the node decided). */
function summary(s: VppStage): string {
  const f = s.fields;
  const pick = (...ks: string[]) => ks.filter((k) => f[k] !== undefined && f[k] !== null).map((k) => `${k}=${show(k, f[k])}`).join(' ');
  switch (s.kind) {
    case 'acl':
      return pick('sw_if_index', 'action', 'acl', 'rule');
    case 'nat44':
      return pick('sw_if_index', 'next_index', 'session_index');
    case 'lookup':
      return pick('fib', 'dpo_idx', 'flow_hash');
    case 'rewrite':
      return pick('tx_sw_if_index', 'adj');
    case 'vxlan-encap':
    case 'vxlan-input':
      return pick('tunnel', 'vni', 'error');
    case 'l2-mac':
    case 'l2-output':
      return pick('sw_if_index', 'bd_index');
    case undefined:
      return s.lines.length ? `(raw) ${s.lines[0].trim()}` : '';
    default:
      return '';
  }
}

/** The note lines printed under a packet (`order`: its place in packet order, from 0): where it continues across a tunnel. */
export type PacketNotes = (p: VppPacketTrace, order: number) => Iterable<string>;

export function showTrace(f: TraceFile, paint: Paint, stitches: Stitch[] = []): string {
  return [...showTraceText(f, paint, stitchNotes(stitches, paint))].join('');
}

/**
 * Each packet's stitches, in stitch order, as 2 * index + side (0: it continues on the peer, 1: it
 * continues the peer's packet). Scanning every stitch for every packet was quadratic; the note
 * lines are made when their packet is printed.
 */
function stitchNotes(stitches: Stitch[], paint: Paint): PacketNotes {
  const notes = new Map<VppPacketTrace, number[]>();
  const note = (p: VppPacketTrace, ref: number) => {
    const list = notes.get(p);
    if (list) list.push(ref);
    else notes.set(p, [ref]);
  };
  stitches.forEach((st, i) => {
    note(st.from.packet, 2 * i);
    note(st.to.packet, 2 * i + 1);
  });
  return (p) =>
    (notes.get(p) ?? []).map((ref) => {
      const st = stitches[ref >> 1];
      return ref & 1 ? fromPeerNote(paint, st.from.packet, st.vni) : toPeerNote(paint, st.to.packet, st.vni);
    });
}

const toPeerNote = (paint: Paint, peer: PacketRef, vni: number) => paint.dim(`  -> continues on the peer VPP (vni ${vni}, packet at line ${peer.line})`);
const fromPeerNote = (paint: Paint, peer: PacketRef, vni: number) => paint.dim(`  <- continues the peer VPP's packet at line ${peer.line} (vni ${vni})`);

/** The same notes as the stitches would give, read from the tunnel index as each packet is printed: no Stitch list. */
export function tunnelNotes(index: TunnelIndex<PacketRef>, paint: Paint): PacketNotes {
  return function* (_p, order) {
    for (const { other, encapSide, vni } of index.pairsOf(order)) yield encapSide ? toPeerNote(paint, other, vni) : fromPeerNote(paint, other, vni);
  };
}

/**
 * showTrace's text in pieces, one per packet (then the warnings), each made as it is asked for: a
 * trace repeating one tunnelled flow prints hundreds of megabytes of notes, and the whole text
 * held at once (plus its parts) took gigabytes; a writer sends each piece on as it comes.
 */
export function* showTraceText(f: TraceFile, paint: Paint, notesOf: PacketNotes, listed = LISTED_PER_KIND): Generator<string> {
  yield* showOutlineText(outlineOf(f), paint, notesOf, listed);
}

/** What a warning names as its file when the trace was parsed from text without a name. */
const UNNAMED_TRACE = '<trace>';

/** showTraceText of an outline (a file read in two passes prints each packet as it is read). */
export function* showOutlineText(f: TraceOutline, paint: Paint, notesOf: PacketNotes, listed = LISTED_PER_KIND): Generator<string> {
  let n = 0;
  for (const { thread: t, packets } of f.threads) {
    if (t.index !== undefined) yield paint.dim(`thread ${t.index} ${t.name ?? ''}`) + '\n';
    for (const p of packets()) {
      n++;
      const block: string[] = [];
      block.push(`Packet ${p.number ?? n}${p.caption ? ` - ${p.caption}` : ''}${p.line ? paint.dim(` (line ${p.line})`) : ''}`);
      const seen: Record<string, FieldValue> = {};
      for (const s of p.stages) {
        const parts: string[] = [];
        for (const k of WATCHED) {
          const v = s.fields[k];
          if (v === undefined || v === null) continue;
          if (seen[k] === undefined) parts.push(`${k}=${show(k, v)}`);
          else if (seen[k] !== v) parts.push(paint.changed(`${k} ${show(k, seen[k])}->${show(k, v)}`));
          seen[k] = v;
        }
        const own = summary(s);
        block.push(`  ${(s.time ?? '') + ' '}${paint.node(s.node.padEnd(30))} ${[own, ...parts].filter(Boolean).join('  ')}`);
      }
      for (const l of notesOf(p, n - 1)) block.push(l);
      block.push('');
      yield block.join('\n') + '\n';
    }
  }
  const warnings = warningCount(f);
  // Grouped by kind (warning-line.ts): `listed` of each, then a line counting the rest; each as every
  // other command words it, `file:line: warning: ...` (it read `warning: line 954: ...`, no file).
  for (const w of groupedWarnings(allWarnings(f), listed)) yield paint.warn(warningLine(f.file ?? UNNAMED_TRACE, w).trimEnd()) + '\n';
  if (n === 0 && warnings === 0 && !f.threads.some((t) => t.thread.index !== undefined)) yield '\n';
}
