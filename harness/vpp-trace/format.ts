// Print a TraceFile back as text.
//   verbatim:  the source layout (prose, fences, blank lines kept) with every stage re-printed from
//              its typed record: the output is the input, byte for byte (golden/contiv/*.trace and
//              the seed document). A stage whose header line was lost is printed from its source
//              lines (its formatter's indentation was not the seed's cut-off line 954's), elision and
//              comment lines inside a stage stay among its body lines, a last line without a newline
//              stays so. What the reader normalizes, each with a warning, is printed normalized:
//              CRLF as LF, tabs expanded, a block-shifted paste at VPP's columns;
//   canonical: what VPP's `show trace` prints (vpp-facts §2.2): thread sections, `Packet N`, one
//              blank line after each packet; prose and comments dropped.

import type { Stage } from '../stage.js';
import { lookupNode, type VppStage } from './nodes/index.js';
import { allPackets, type Segment, type TraceFile, type TraceWarning, type VppPacketTrace } from './trace-file.js';
import { outlineOf, type TraceOutline } from './trace-outline.js';

/** Time printed for a stage whose header line was lost or that a model made (no time of its own). */
export const NO_TIME = '00:00:00:000000';

/** A stage's body lines: from its record when it has one (so the formatter is what prints), else raw. */
export function stageBody(s: VppStage): string[] {
  if (s.record !== undefined) {
    const e = lookupNode(s.node);
    if (e && s.records) return s.records.flatMap((r) => e.kind.format(r, e.column));
    if (e) return e.kind.format(s.record, e.column);
  }
  return s.lines;
}

export function stageText(s: Stage, out: string[]): void {
  out.push(`${s.time ?? NO_TIME}: ${s.node}`);
  for (const l of stageBody(s as VppStage)) out.push(l);
}

export function formatVerbatim(f: TraceFile): string {
  return [...formatVerbatimText(f)].join('');
}

/** formatVerbatim's text, a segment at a time (a writer sends each on as it comes: the whole text was held twice). */
export function* formatVerbatimText(f: TraceFile): Generator<string> {
  if (!f.segments) throw new Error('formatVerbatim needs a TraceFile parsed with keepSegments');
  yield* verbatimText(f.segments, f.unterminated === true);
}

/** The verbatim text of some segments in file order (streamed: traceSegmentsSync); `unterminated`: the source's last line had no newline. */
export function* verbatimText(segments: Iterable<Segment>, unterminated: boolean): Generator<string> {
  // Each piece ends with a newline: the last is held back to drop it when the source had none.
  let last: string | undefined;
  for (const seg of segments) {
    const piece = segmentText(seg);
    if (piece === undefined) continue;
    if (last !== undefined) yield last;
    last = piece;
  }
  if (last !== undefined) yield unterminated ? last.slice(0, -1) : last;
}

function segmentText(seg: Segment): string | undefined {
  if (seg.kind === 'text') return seg.text + '\n';
  const out: string[] = [];
  // The header line was lost in the source: its lines as found (the parser re-indented the first).
  if (seg.source) out.push(...seg.source);
  else if (seg.stage.time === undefined) for (const l of stageBody(seg.stage)) out.push(l);
  else stageText(seg.stage, out);
  // Elision and comment lines go back among the body lines where they were (after the header, if printed).
  const header = seg.source || seg.stage.time === undefined ? 0 : 1;
  for (const x of [...(seg.inside ?? [])].reverse()) out.splice(header + x.at, 0, x.text);
  return out.length ? out.join('\n') + '\n' : undefined;
}

/**
 * Canonical text needs a time on every node header: a stage whose header line was lost in the
 * source (or a model stage) gets NO_TIME. One warning per such stage, so `fmt` says the time is made up.
 */
export function noTimeWarnings(f: TraceFile): TraceWarning[] {
  const out: TraceWarning[] = [];
  for (const p of allPackets(f)) out.push(...packetNoTimeWarnings(p));
  return out;
}

/** noTimeWarnings of one packet (a streaming reader sees each as it completes). */
export function packetNoTimeWarnings(p: VppPacketTrace): TraceWarning[] {
  const out: TraceWarning[] = [];
  for (const s of p.stages) {
    if (s.time === undefined) out.push({ line: s.line ?? p.line ?? 0, code: 'no-time', message: `${s.node} has no node header line of its own: printed with time ${NO_TIME}` });
  }
  return out;
}

export function formatCanonical(f: TraceFile): string {
  return [...formatCanonicalText(f)].join('');
}

/** formatCanonical's text, a packet at a time: a writer sends each on as it comes. */
export function* formatCanonicalText(f: TraceFile): Generator<string> {
  yield* canonicalText(outlineOf(f));
}

/** formatCanonicalText of an outline (a file read in two passes prints each packet as it is read). */
export function* canonicalText(f: TraceOutline): Generator<string> {
  let any = false;
  if (f.limit) {
    any = true;
    yield `Limiting display to ${f.limit.packets} packets. To display more specify max.\n`;
  }
  for (const [ti, { thread: t, count, packets }] of f.threads.entries()) {
    any = true;
    yield `------------------- Start of thread ${t.index ?? ti} ${t.name ?? (ti === 0 ? 'vpp_main' : `vpp_wk_${ti - 1}`)} -------------------\n`;
    if (count === 0) {
      yield 'No packets in trace buffer\n';
      continue;
    }
    let pi = 0;
    for (const p of packets()) {
      const block = [`Packet ${p.number ?? pi + 1}`, ''];
      for (const s of p.stages) stageText(s, block);
      block.push('', '');
      yield block.join('\n');
      pi++;
    }
  }
  if (!any) yield '\n';
}
