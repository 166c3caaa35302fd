// JSON form of a parsed trace (`dpconform trace parse --json`): bigints (ACL pkt-info words) as
// 0x-hex strings, packets' bytes as hex with their known ranges. The threads, packets and stitches
// are lazy lists, written out a packet at a time (jsonTextPieces): the text of a 50 MB trace with a
// million stitches is longer than a JavaScript string can be, and building it held gigabytes.

import { hex } from '../wire/bytes.js';
import type { PacketRef, Stitch } from './stitch.js';
import type { TraceFile, VppPacketTrace } from './trace-file.js';
import { outlineOf, type ThreadOutline, type TraceOutline } from './trace-outline.js';
import { allWarnings } from './spooled.js';
import type { Packet } from '../wire/packet.js';
import { packetOf } from './reconstruct.js';

/** A list whose items are made as it is written. */
export class LazyList {
  constructor(readonly items: () => Iterable<unknown>) {}
}

/** traceJson with its big lists lazy: the threads, each thread's packets, the stitches. */
export function lazyTraceJson(f: TraceFile, stitches: () => Iterable<Stitch<PacketRef>> = () => []): unknown {
  return lazyOutlineJson(outlineOf(f), stitches);
}

/** lazyTraceJson of an outline (a file read in two passes writes each packet as it is read). */
export function lazyOutlineJson(f: TraceOutline, stitches: () => Iterable<Stitch<PacketRef>> = () => []): unknown {
  return {
    file: f.file,
    limit: f.limit,
    threads: new LazyList(() => mapped(f.threads, (t) => threadJson(f, t))),
    stitches: new LazyList(() => mapped(stitches(), stitchJson)),
    // Spooled warnings are written as they are read back; a listed few as before.
    warnings: f.moreWarnings ? new LazyList(() => allWarnings(f)) : f.warnings,
  };
}

function* mapped<T>(items: Iterable<T>, fn: (item: T) => unknown): Generator<unknown> {
  for (const item of items) yield fn(item);
}

function threadJson(f: TraceOutline, { thread: t, packets }: ThreadOutline): unknown {
  return { index: t.index, name: t.name, empty: t.empty, packets: new LazyList(() => mapped(packets(), (p) => packetTraceJson(f, p))) };
}

function packetTraceJson(f: TraceOutline, p: VppPacketTrace): unknown {
  const stages = p.stages.map((s) => ({ node: s.node, time: s.time, line: s.line, kind: s.kind, fields: s.fields, lines: s.lines, packet: packetJson(packetOf(f, s)) }));
  return { number: p.number, line: p.line, caption: p.caption, elided: p.elided, stages };
}

function stitchJson(s: Stitch<PacketRef>): unknown {
  return { from: { packet_line: s.from.packet.line, stage: s.from.stage }, to: { packet_line: s.to.packet.line, stage: s.to.stage }, vni: s.vni };
}

export function traceJson(f: TraceFile, stitches: Stitch[] = []): unknown {
  return materialize(lazyTraceJson(f, () => stitches));
}

/** The value with every lazy list made an array. */
function materialize(v: unknown): unknown {
  if (v instanceof LazyList) return [...v.items()].map(materialize);
  if (hasLazyMember(v)) return Object.fromEntries(Object.entries(v as object).map(([k, x]) => [k, materialize(x)]));
  return v;
}

function hasLazyMember(v: unknown): boolean {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && Object.values(v).some((x) => x instanceof LazyList);
}

function packetJson(p: Packet | undefined): unknown {
  return p && { link_type: p.meta.linkType, data: hex(p.data), known: p.known?.ranges() };
}

const bigintAsHex = (_k: string, x: unknown) => (typeof x === 'bigint' ? '0x' + x.toString(16).padStart(16, '0') : x);

export function jsonText(v: unknown): string {
  return JSON.stringify(v, bigintAsHex, 2);
}

/**
 * jsonText(v) in pieces, byte for byte, with lazy lists written an item at a time: each item is
 * stringified alone and indented to its depth (JSON strings hold no raw newline, so every newline
 * in an item's text starts one of its lines).
 */
export function* jsonTextPieces(v: unknown, depth = 0): Generator<string> {
  const indent = (d: number) => '  '.repeat(d);
  if (v instanceof LazyList) {
    let first = true;
    for (const item of v.items()) {
      yield (first ? '[\n' : ',\n') + indent(depth + 1);
      yield* jsonTextPieces(item, depth + 1);
      first = false;
    }
    yield first ? '[]' : '\n' + indent(depth) + ']';
    return;
  }
  if (hasLazyMember(v)) {
    // JSON.stringify leaves out members whose value is undefined.
    const entries = Object.entries(v as object).filter(([, x]) => x !== undefined);
    let first = true;
    for (const [k, x] of entries) {
      yield (first ? '{\n' : ',\n') + indent(depth + 1) + JSON.stringify(k) + ': ';
      yield* jsonTextPieces(x, depth + 1);
      first = false;
    }
    yield '\n' + indent(depth) + '}';
    return;
  }
  yield jsonText(v).replaceAll('\n', '\n' + indent(depth));
}
