// Streaming, line-based reader of VPP `show trace` text as people paste it (issue 3). It tolerates,
// each with a warning naming the line: CRLF, tabs, indentation shifted as a block, missing
// `Packet N` lines (a packet then starts where the node sequence restarts at a device input node or
// the time goes backwards), `...` elisions, prose and `//` comments between stages, markdown
// fences, thread sections, `No packets in trace buffer`, `Limiting display to N packets`, every
// timestamp style (h:m:s:u, relative/unix seconds, ISO datetime), the same packet traced on two
// VPPs one after the other, and a lost node header line (the node is inferred from its body).
// Known nodes get typed records (nodes/*); unknown nodes keep their raw lines and never fail.

import type { FieldValue } from '../stage.js';
import { isAscii } from 'node:buffer';
import { InputError } from '../io/input-error.js';
import { type AnyRecord, type VppStage, isInputNode, lookupNode, recordsFields } from './nodes/index.js';
import { type NodeKind, RecordError } from './nodes/kind.js';
import { lineStart } from './format/scan.js';
import { FIP64_COLUMN0_RE } from './nodes/fip64.js';
import { headersToFields, parseHeaders } from './format/headers.js';
import type { Segment, SegmentRole, TraceFile, TraceThread, TraceWarning, VppPacketTrace } from './trace-file.js';
import { addWarning, WARNINGS_HELD } from './spooled.js';

const TIME = String.raw`(\d{2,}:\d{2}:\d{2}:\d{6}|\d+\.\d+|\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?)`;
const HEADER_RE = new RegExp(`^${TIME}: ([A-Za-z0-9][\\w./:-]*)$`);
/** A clock time (`HH:MM:SS:uuuuuu:`, VPP's own style) starting a line that is not a node header. */
const DAMAGED_HEADER_RE = /^\d{2,}:\d{2}:\d{2}:\d{6}:/;
const THREAD_RE = /^-{3,} Start of thread (\d+) (\S+) -{3,}$/;
const PACKET_RE = /^Packet (\d+)$/;
const LIMIT_RE = /^Limiting display to (\d+) packets/;
const ELISION_RE = /^(?:\.{3,}|…|\[\.\.\.\]|\[…\]|<snip>|\[snip\])$/;
/** Longest line we accept: a trace line is short; anything this long is not a trace (bounded memory). */
const MAX_LINE = 1 << 20;
/**
 * Largest packet number, thread index or display limit VPP can print: vlib/trace.c
 * cli_show_trace_buffer formats them from u32 values (`Packet %d` of `i + 1`, `Start of thread %d`
 * of `index`, `Limiting display to %d packets` of `max`; version not pinned to 18.01, the lines are
 * the same in the seed's 18.01 traces). A longer number was read as a float and printed back as
 * `Packet 1e+23` or another number than the text's.
 */
const MAX_U32 = 0xffffffff;

/** A body whose first line survived without its node header: the node it must have come from. */
const BODY_SIGNATURES: Array<[RegExp, string]> = [
  [/^virtio: hw_if_index /, 'virtio-input'],
  [/^af_packet: hw_if_index /, 'af-packet-input'],
  [/^\S+ rx queue \d+$/, 'dpdk-input'],
  [/^VXLAN encap to /, 'vxlan4-encap'],
  [/^VXLAN decap /, 'vxlan4-input'],
  [/^NAT44_OUT2IN: /, 'nat44-out2in'],
  [/^l2-input: /, 'l2-input'],
  [/^l2-fwd: /, 'l2-fwd'],
  [/^l2-output: /, 'l2-output'],
  [/^l2-classify: /, 'l2-input-classify'],
  [/^UDP: src-port /, 'ip4-udp-lookup'],
];

export interface ParseOptions {
  file?: string;
  /** Keep the source layout for verbatim formatting (default true; the bench streams without it). */
  keepSegments?: boolean;
  /** Keep packets in the returned TraceFile (default true). */
  keepPackets?: boolean;
  /** Called as each packet completes. */
  onPacket?: (p: VppPacketTrace, thread: TraceThread) => void;
  /** Decode known nodes into typed records (default true). */
  typed?: boolean;
  /** Fill Stage.fields from the records (default true; a reader that only wants records can skip it and call stageFields later). */
  fields?: boolean;
  /** Warnings kept in memory (TraceFile.warnings); the rest wait in a Spool (moreWarnings). Default WARNINGS_HELD. */
  warningsHeld?: number;
}

/** Longest caption: a label on one line (`trace show` prints it after `Packet N - `). */
const CAPTION_MAX = 80;

/**
 * A packet's caption from the line of prose nearest before it (`SYN from the client's node:`, a
 * heading), one short line: all the prose since the last packet, joined, labelled seed 004's first
 * packet with ~1,500 characters of its markdown (and was held in memory however long it grew).
 */
function captionOf(line: string): string {
  return line.length > CAPTION_MAX ? line.slice(0, CAPTION_MAX) + '...' : line;
}

/**
 * A node header in VPP's usual `HH:MM:SS:uuuuuu: node` form, read by charCodes (it starts every
 * stage): the index of the `: ` after the time, or -1 for anything else (then HEADER_RE decides).
 */
function clockHeaderEnd(t: string): number {
  let i = 0;
  while (i < t.length && isDigit(t.charCodeAt(i))) i++;
  if (i < 2 || t.length < i + 14 || t.charCodeAt(i) !== 58) return -1;
  for (let k = 1; k <= 12; k++) {
    const c = t.charCodeAt(i + k);
    if (k === 3 || k === 6 ? c !== 58 : !isDigit(c)) return -1;
  }
  const end = i + 13;
  if (t.charCodeAt(end) !== 58 || t.charCodeAt(end + 1) !== 32 || end + 2 >= t.length || !isNodeNameChar(t.charCodeAt(end + 2), true)) return -1;
  for (let k = end + 3; k < t.length; k++) if (!isNodeNameChar(t.charCodeAt(k), false)) return -1;
  return end;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** `[A-Za-z0-9][\w./:-]*` */
function isNodeNameChar(c: number, first: boolean): boolean {
  if (isDigit(c) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122)) return true;
  return !first && (c === 95 || c === 46 || c === 47 || c === 58 || c === 45);
}

/** The clock style's value in microseconds, from the text before `end` (`HH...:MM:SS:uuuuuu`). */
function clockValue(t: string, end: number): number {
  let h = 0;
  for (let i = 0; i < end - 13; i++) h = h * 10 + t.charCodeAt(i) - 48;
  const d = (k: number, n: number): number => {
    let v = 0;
    for (let i = k; i < k + n; i++) v = v * 10 + t.charCodeAt(i) - 48;
    return v;
  };
  return ((h * 60 + d(end - 12, 2)) * 60 + d(end - 9, 2)) * 1e6 + d(end - 6, 6);
}

/** h:m:s:u as microseconds (for "time went backwards"); other styles as seconds * 1e6. */
function timeValue(t: string): number | undefined {
  const n = t.length;
  // HH:MM:SS:uuuuuu, read by hand: it is on every node header line.
  if (n >= 15 && t.charCodeAt(n - 7) === 58 && t.charCodeAt(n - 10) === 58 && t.charCodeAt(n - 13) === 58) {
    const h = Number(t.slice(0, n - 13));
    const v = ((h * 60 + Number(t.slice(n - 12, n - 10))) * 60 + Number(t.slice(n - 9, n - 7))) * 1e6 + Number(t.slice(n - 6));
    if (!Number.isNaN(v)) return v;
  }
  if (/^\d+\.\d+$/.test(t)) return Number(t) * 1e6;
  const d = Date.parse(t);
  return Number.isNaN(d) ? undefined : d * 1000;
}

interface OpenStage {
  stage: VppStage;
  /** Column of the node header: body lines are indented further. */
  base: number;
  inferred: boolean;
  elided: boolean;
  /** A stage whose header line was lost: its source lines as found, for verbatim printing (keepSegments). */
  source?: string[];
  /** Index of its segment in file.segments. */
  segment: number;
}

type StageSegment = Extract<Segment, { kind: 'stage' }>;

export class TraceParser {
  private readonly opts: Required<Pick<ParseOptions, 'keepSegments' | 'keepPackets' | 'typed' | 'fields'>> & ParseOptions;
  private readonly file: TraceFile;
  private lineNo = 0;
  private thread: TraceThread | undefined;
  private packet: VppPacketTrace | undefined;
  /** Whether the current packet was opened by a `Packet N` line. */
  private numbered = false;
  private lastTime: number | undefined;
  private open: OpenStage | undefined;
  /** The last prose line since the last packet (rules like `----` skipped): the next packet's caption. */
  private lastProse: string | undefined;
  private sawCr = false;
  private sawTab = false;
  private sawShift = false;

  constructor(opts: ParseOptions = {}) {
    this.opts = { keepSegments: true, keepPackets: true, typed: true, fields: true, ...opts };
    this.file = { threads: [], warnings: [], lines: 0 };
    if (opts.file !== undefined) this.file.file = opts.file;
    if (this.opts.keepSegments) this.file.segments = [];
  }

  /**
   * Every warning is kept, each as it was given: the count and `trace parse --json` are the true ones
   * (grouping by kind is the printers' business, warning-line.ts). Memory stays bounded the way a
   * streamed read's checksum warnings are: past `warningsHeld` they wait in a Spool (spooled.ts).
   */
  warn(line: number, code: string, message: string): void {
    addWarning(this.file, { line, code, message }, this.opts.warningsHeld ?? WARNINGS_HELD);
  }

  /**
   * Feed the lines of one piece of text. `text` is what they were split from: when it holds no CR,
   * tab or NUL (checked once, natively), the per-line checks for them are skipped.
   */
  pushLines(lines: readonly string[], text: string): void {
    const clean = !text.includes('\r') && !text.includes('\t') && !text.includes('\0');
    for (let i = 0; i < lines.length; i++) this.pushLine(lines[i], clean);
  }

  /** Feed one line (without its `\n`). */
  push(raw: string): void {
    this.pushLine(raw, false);
  }

  /** CRLF, NUL and tabs, each warned about once. */
  private normalize(raw: string, ln: number): string {
    let line = raw;
    if (line.endsWith('\r')) {
      line = line.slice(0, -1);
      if (!this.sawCr) this.warn(ln, 'crlf', 'CRLF line endings (read as LF)');
      this.sawCr = true;
    }
    if (line.includes('\0')) throw new InputError('NUL byte: a binary file, not a VPP trace', { file: this.opts.file, line: ln }, 'trace.binary');
    if (line.includes('\t')) {
      line = expandTabs(line);
      if (!this.sawTab) this.warn(ln, 'tab', 'tabs in the text (expanded to 8-column stops)');
      this.sawTab = true;
    }
    return line;
  }

  private pushLine(raw: string, clean: boolean): void {
    const ln = ++this.lineNo;
    if (raw.length > MAX_LINE) throw new InputError(`line longer than ${MAX_LINE} characters: not a VPP trace`, { file: this.opts.file, line: ln }, 'trace.line-too-long');
    const line = clean ? raw : this.normalize(raw, ln);
    // Body lines of the open stage come first: they are the bulk of a trace, so this path avoids
    // regexes - a node header starts with a digit, an elision with . … [ or <, a comment with /.
    const o = this.open;
    let indent = 0;
    while (indent < line.length && line.charCodeAt(indent) === 32) indent++;
    if (o && indent > o.base && indent < line.length) {
      const c = line.charCodeAt(indent);
      const special = (c >= 48 && c <= 57) || c === 46 || c === 0x2026 || c === 91 || c === 60 || c === 47;
      if (!special || (!ELISION_RE.test(line.trim()) && !line.startsWith('//', indent) && !HEADER_RE.test(line.trim()))) {
        // A block-shifted paste is read back at VPP's columns: the header's shift is removed.
        o.stage.lines.push(o.base > 0 ? line.slice(Math.min(o.base, indent)) : line);
        o.source?.push(line);
        return;
      }
    }
    const t = line.trim();
    const ce = clockHeaderEnd(t);
    if (ce > 0) {
      if (indent > 0 && !this.sawShift) {
        this.warn(ln, 'shifted', `trace indented by ${indent} (read as shifted as a block)`);
        this.sawShift = true;
      }
      this.startStage(ln, t.slice(ce + 2), t.slice(0, ce), indent, false, clockValue(t, ce));
      return;
    }
    if (o && o.stage.node.endsWith('fip64') && FIP64_COLUMN0_RE.test(t)) {
      o.stage.lines.push(t);
      o.source?.push(line);
      return;
    }
    // A rewrite with no dump prints its second line as just the indentation.
    if (o && t === '' && line.length > o.base && o.stage.lines.length === 1 && lookupNode(o.stage.node)?.kind.kind === 'rewrite') {
      o.stage.lines.push(line.slice(Math.max(0, o.base)));
      o.source?.push(line);
      return;
    }

    const h = HEADER_RE.exec(t);
    if (h) {
      if (indent > 0 && !this.sawShift) {
        this.warn(ln, 'shifted', `trace indented by ${indent} (read as shifted as a block)`);
        this.sawShift = true;
      }
      this.startStage(ln, h[2], h[1], indent, false);
      return;
    }
    let m: RegExpExecArray | null;
    if ((m = THREAD_RE.exec(t))) {
      const index = this.u32(m[1], 'thread index', ln);
      this.closeStage();
      this.closePacket();
      this.thread = { index, name: m[2], line: ln, packets: [] };
      this.file.threads.push(this.thread);
      this.text(ln, 'thread', line);
      return;
    }
    if ((m = PACKET_RE.exec(t))) {
      const n = this.u32(m[1], 'packet number', ln);
      this.closeStage();
      this.closePacket();
      const th = this.ensureThread(ln);
      const prev = th.packets.length ? th.packets[th.packets.length - 1].number : undefined;
      if (prev !== undefined && n <= prev) {
        // A second VPP's trace pasted after the first: numbering restarts without a thread header.
        this.warn(ln, 'packet-restart', `Packet ${n} after Packet ${prev}: a new trace section`);
        this.thread = { packets: [] };
        this.file.threads.push(this.thread);
      }
      this.openPacket(ln, n);
      this.numbered = true;
      this.text(ln, 'packet', line);
      return;
    }
    if (t === 'No packets in trace buffer') {
      this.closeStage();
      this.closePacket();
      this.ensureThread(ln).empty = true;
      this.text(ln, 'empty', line);
      return;
    }
    if ((m = LIMIT_RE.exec(t))) {
      const packets = this.u32(m[1], 'display limit', ln);
      this.closeStage();
      this.file.limit = { packets, line: ln };
      this.text(ln, 'limit', line);
      return;
    }
    if (t === '') {
      this.closeStage();
      this.text(ln, 'blank', line);
      return;
    }
    if (/^(```|~~~)/.test(t)) {
      this.closeStage();
      this.closePacket();
      this.warn(ln, 'fence', 'markdown code fence');
      this.text(ln, 'fence', line);
      return;
    }
    if (ELISION_RE.test(t)) {
      this.warn(ln, 'elision', `elided text ('${t}'): the stage is incomplete`);
      if (this.open) this.open.elided = true;
      if (this.packet) this.packet.elided = true;
      this.text(ln, 'elision', line);
      return;
    }
    if (t.startsWith('//')) {
      this.warn(ln, 'comment', 'comment line inside the trace');
      this.text(ln, 'comment', line);
      return;
    }
    // A body line with no node header above it: infer the node from what the body says.
    if (!this.open || this.open.base >= indent) {
      const sig = BODY_SIGNATURES.find(([re]) => re.test(t));
      if (sig) {
        this.warn(ln, 'missing-node-header', `body line without its node header: read as ${sig[1]}`);
        this.startStage(ln, sig[1], undefined, indent, true);
        this.open!.stage.lines.push('  ' + t);
        this.open!.source?.push(line);
        return;
      }
      if (indent > 0 && !this.open) {
        this.warn(ln, 'orphan-line', 'indented line outside any stage');
        this.text(ln, 'orphan', line);
        return;
      }
    }
    // A node header's time with no node name VPP prints after it (`ip4 lookup`, nothing, `x (y)`):
    // a damaged header. Its body lines are warned about one by one; this names the line that broke.
    if (DAMAGED_HEADER_RE.test(t)) this.warn(ln, 'bad-node-header', `node header without a node name: '${t.length > 80 ? t.slice(0, 80) + '...' : t}' (read as prose)`);
    // Prose: ends the stage but not the packet (a comment between stages of one packet).
    this.closeStage();
    if (!/^[-=~_*]+$/.test(t)) this.lastProse = t;
    this.text(ln, 'prose', line);
  }

  /** A number VPP printed from a u32 (MAX_U32); a larger one is not VPP's text: bad input, naming the line. */
  private u32(digits: string, what: string, ln: number): number {
    const n = Number(digits);
    if (n > MAX_U32) throw new InputError(`${what} ${digits.length > 24 ? `${digits.slice(0, 24)}... (${digits.length} digits)` : digits} is larger than VPP prints (a u32, at most ${MAX_U32})`, { file: this.opts.file, line: ln }, 'trace.number-too-large');
    return n;
  }

  end(): TraceFile {
    this.closeStage();
    this.closePacket();
    this.file.lines = this.lineNo;
    return this.file;
  }

  private text(line: number, role: SegmentRole, text: string): void {
    const segments = this.file.segments;
    if (!segments) return;
    const o = this.open;
    // An elision or comment line does not end the stage: it stays where it is among its body lines.
    if (o && (role === 'elision' || role === 'comment')) {
      const seg = segments[o.segment] as StageSegment;
      (seg.inside ??= []).push({ at: o.stage.lines.length, line, role, text });
      return;
    }
    segments.push({ kind: 'text', role, line, text });
  }

  private ensureThread(line: number): TraceThread {
    if (!this.thread) {
      this.thread = { packets: [] };
      if (line) this.thread.line = line;
      this.file.threads.push(this.thread);
    }
    return this.thread;
  }

  private openPacket(line: number, number?: number): VppPacketTrace {
    const p: VppPacketTrace = { stages: [], line };
    if (number !== undefined) p.number = number;
    if (this.lastProse !== undefined) p.caption = captionOf(this.lastProse);
    this.lastProse = undefined;
    this.packet = p;
    this.numbered = false;
    this.lastTime = undefined;
    return p;
  }

  private closePacket(): void {
    const p = this.packet;
    if (!p) return;
    this.packet = undefined;
    const th = this.ensureThread(0);
    if (p.stages.length === 0 && p.number === undefined) return;
    // A `Packet N` line with no node record under it (a file cut right after it): nothing to read,
    // yet it counted as a packet (diff reported it missing) without a word.
    if (p.stages.length === 0) this.warn(p.line ?? this.lineNo, 'empty-packet', `Packet ${p.number} has no node record (is the trace cut here?)`);
    if (this.opts.keepPackets) th.packets.push(p);
    else if (p.number !== undefined) th.packets.splice(0, th.packets.length, { number: p.number, stages: [], line: p.line }); // keep the number for restart detection
    this.opts.onPacket?.(p, th);
  }

  private startStage(line: number, node: string, time: string | undefined, base: number, inferred: boolean, tv = time !== undefined ? timeValue(time) : undefined): void {
    this.closeStage();
    let p = this.packet;
    if (p && p.stages.length > 0) {
      if (isInputNode(node)) {
        this.warn(line, 'split-input-node', `${node} starts a new packet ${this.numbered ? 'inside a numbered packet' : '(no Packet line)'}`);
        this.closePacket();
        p = undefined;
      } else if (tv !== undefined && this.lastTime !== undefined && tv < this.lastTime) {
        this.warn(line, 'split-time', `time goes backwards at ${node}: a new packet`);
        this.closePacket();
        p = undefined;
      }
    }
    if (!p) {
      this.ensureThread(line);
      p = this.openPacket(line);
    }
    if (tv !== undefined) this.lastTime = tv;
    const stage: VppStage = { node, lines: [], fields: {}, line };
    if (time !== undefined) stage.time = time;
    p.stages.push(stage);
    const segments = this.file.segments;
    this.open = { stage, base, inferred, elided: false, segment: segments ? segments.length : -1 };
    if (!segments) return;
    if (inferred) {
      // The source's own lines: the formatter would print them at its columns, not as found.
      const source: string[] = [];
      this.open.source = source;
      segments.push({ kind: 'stage', stage, source });
    } else segments.push({ kind: 'stage', stage });
  }

  /** The last line had no `\n` after it (verbatim printing leaves it so). */
  markUnterminated(): void {
    this.file.unterminated = true;
  }

  /**
   * The segments read so far that nothing read later can change, removed from the file: all but the
   * open stage's and what follows it (an elision or comment line inside a stage comes after it).
   */
  takeSegments(): Segment[] {
    const all = this.file.segments;
    if (!all) return [];
    const n = this.open ? this.open.segment : all.length;
    if (this.open) this.open.segment = 0;
    return all.splice(0, n);
  }

  private closeStage(): void {
    const o = this.open;
    if (!o) return;
    this.open = undefined;
    if (!this.opts.typed) return;
    decodeStage(o.stage, o.elided, (i, code, msg) => this.warn((o.stage.line ?? 0) + 1 + i - (o.inferred ? 1 : 0), code, msg), this.opts.fields);
  }
}

/**
 * Give a stage its typed record and fields. A stage whose text does not fit its kind keeps its raw
 * lines; what header fields can still be read from it (an elided decode) are kept.
 */
export function decodeStage(stage: VppStage, elided: boolean, warn: (lineIndex: number, code: string, message: string) => void, withFields = true): void {
  const e = lookupNode(stage.node);
  if (!e) {
    stage.fields = compact(scavengeFields(stage.lines));
    return;
  }
  try {
    const record = e.kind.parse(stage.lines) as AnyRecord;
    stage.record = record;
    stage.kind = e.kind.kind;
    if (withFields) {
      // Eager on purpose: a lazy own accessor (defineProperty + closure per stage) measured slower
      // than computing the ~30 fields outright.
      const fields: Record<string, FieldValue> = {};
      e.kind.toFields(record, fields);
      stage.fields = compact(fields);
    }
  } catch (err) {
    if (!(err instanceof RecordError)) throw err;
    // VPP prints consecutive records of one node under one header (vpp-facts §2.2.3).
    const several = splitRecords(e.kind, stage.lines);
    if (several) {
      stage.record = several[0];
      stage.records = several;
      stage.kind = e.kind.kind;
      if (withFields) stage.fields = compact(recordsFields(e.kind, several));
      return;
    }
    if (!elided) warn(err.lineIndex, 'record', `${stage.node}: ${err.message} (kept as raw text)`);
    stage.fields = compact(scavengeFields(stage.lines));
  }
}

/**
 * The same fields as a fresh object literal. Fields are written by computed names, and V8 turns an
 * object that gains more than ~16 properties that way into a hash table: ~1.6 KB for the 25 fields
 * of an ip4-input stage, against ~250 B for the copy, whose layout every stage of that kind shares.
 * A parsed trace keeps one per stage (a 50 MB trace: 215,000).
 */
function compact(fields: Record<string, FieldValue>): Record<string, FieldValue> {
  return { ...fields };
}

/**
 * A body that is several records of one kind back to back: the split where every part parses,
 * preferring longer first records (a lookup line alone would parse as a lookup without headers).
 * Suffixes that cannot be split are remembered. A part that fails at a line fails at that line
 * however much text follows (the parsers read top-down), so no longer part is tried: a 3,000-line
 * body of one-line records with a bad last line took 50 s (every start tried every end, cubic).
 * What is left is bounded by SPLIT_BUDGET lines handed to the parser; past it the body stays raw text
 * (warned about), never a hang.
 */
export function splitRecords(kind: NodeKind<unknown>, lines: readonly string[]): AnyRecord[] | undefined {
  const failed = new Set<number>();
  const col = lineStart(lines[0] ?? '');
  let budget = SPLIT_BUDGET + 16 * lines.length;
  /** The record, or the index of the line it fails at. */
  const tryParse = (from: number, to: number): AnyRecord | number => {
    budget -= to - from;
    if (budget < 0) throw new SplitBudgetSpent();
    try {
      return kind.parse(lines.slice(from, to)) as AnyRecord;
    } catch (err) {
      if (err instanceof RecordError) return from + err.lineIndex;
      throw err;
    }
  };
  const from = (start: number, first: boolean): AnyRecord[] | undefined => {
    if (failed.has(start)) return undefined;
    let k = lines.length - 1;
    if (!first) {
      const whole = tryParse(start, lines.length);
      if (typeof whole !== 'number') return [whole];
      k = Math.min(k, whole + 1);
    }
    for (; k > start; k--) {
      // A record's first line is at the body column; deeper lines continue the one before.
      if (lineStart(lines[k]) > col) continue;
      const head = tryParse(start, k);
      // It fails at line `head` for every end past the line after it (one line of slack for a
      // parser that looks one line ahead).
      if (typeof head === 'number') {
        k = Math.min(k, head + 2);
        continue;
      }
      const tail = from(k, false);
      if (tail) return [head, ...tail];
    }
    failed.add(start);
    return undefined;
  };
  if (lines.length <= 1) return undefined;
  try {
    return from(0, true);
  } catch (err) {
    if (err instanceof SplitBudgetSpent) return undefined;
    throw err;
  }
}

/** Body lines splitRecords may hand to parsers beyond 16 per body line (then the body is left unsplit). */
const SPLIT_BUDGET = 1 << 20;

class SplitBudgetSpent extends Error {}

/** Fill in the fields of a stage parsed with `fields: false`. */
export function stageFields(stage: VppStage): Record<string, FieldValue> {
  const e = lookupNode(stage.node);
  if (stage.record !== undefined && e && Object.keys(stage.fields).length === 0) {
    if (stage.records) Object.assign(stage.fields, recordsFields(e.kind, stage.records));
    else e.kind.toFields(stage.record, stage.fields);
  }
  return stage.fields;
}

/** Header fields from wherever a header decode starts in some lines (elided or unknown stages). */
export function scavengeFields(lines: readonly string[]): Record<string, FieldValue> {
  const t = lines.map((l) => l.trim());
  const out: Record<string, FieldValue> = {};
  for (let i = 0; i < t.length; ) {
    let h = parseHeaders(t, i, 'eth');
    if (h.headers.length === 0) h = parseHeaders(t, i, 'ip');
    if (h.headers.length) {
      headersToFields(h.headers, out);
      i = h.next;
    } else i++;
  }
  return out;
}

export function expandTabs(line: string): string {
  let out = '';
  for (const ch of line) {
    if (ch === '\t') out += ' '.repeat(8 - (out.length % 8));
    else out += ch;
  }
  return out;
}

/** Parse a whole text. */
export function parseTrace(text: string, opts: ParseOptions = {}): TraceFile {
  const p = new TraceParser(opts);
  const lines = text.split('\n');
  // A final newline ends the last line; it does not start another.
  if (lines.length && lines[lines.length - 1] === '') lines.pop();
  p.pushLines(lines, text);
  if (text !== '' && !text.endsWith('\n')) p.markUnterminated();
  return p.end();
}

/** Parse a stream of text chunks line by line, without holding the whole text. */
export async function parseTraceStream(chunks: AsyncIterable<string | Uint8Array>, opts: ParseOptions = {}): Promise<TraceFile> {
  const p = new TraceParser(opts);
  for await (const _ of feedChunks(p, chunks));
  return p.end();
}

/**
 * A trace's packets, in file order, from chunks read synchronously (a file's second pass,
 * vpp-trace/trace-source.ts), kept no longer than the consumer holds each: `trace show`, `fmt`,
 * `to-pcap` and `parse --json` print each as it comes.
 */
export function* tracePacketsSync(chunks: Iterable<string | Uint8Array>, opts: ParseOptions = {}): Generator<VppPacketTrace> {
  let done: VppPacketTrace[] = [];
  const p = new TraceParser({ ...opts, keepSegments: false, keepPackets: false, onPacket: (t) => done.push(t) });
  const take = () => {
    const out = done;
    done = [];
    return out;
  };
  const feeder = new ChunkFeeder(p);
  for (const c of chunks) {
    feeder.feed(c);
    if (done.length) yield* take();
  }
  feeder.finish();
  p.end();
  yield* take();
}

/**
 * A trace's layout segments (parsed with keepSegments, keeping no packet), in file order, each once
 * nothing read later can change it: `trace fmt --verbatim` prints each as it comes.
 */
export function* traceSegmentsSync(chunks: Iterable<string | Uint8Array>, opts: ParseOptions = {}): Generator<Segment> {
  const p = new TraceParser({ ...opts, keepSegments: true, keepPackets: false });
  const feeder = new ChunkFeeder(p);
  for (const c of chunks) {
    feeder.feed(c);
    yield* p.takeSegments();
  }
  feeder.finish();
  p.end();
  yield* p.takeSegments();
}

/**
 * The packet traces of a stream of text chunks, in file order, a chunk's worth at a time, as
 * parseTraceStream reads them (opts.onPacket sees each too): for a reader that goes through two
 * traces side by side (`diff` compares their packets once both partners are in).
 */
export async function* tracePacketStream(chunks: AsyncIterable<string | Uint8Array>, opts: ParseOptions = {}): AsyncGenerator<VppPacketTrace[]> {
  let done: VppPacketTrace[] = [];
  const p = new TraceParser({ ...opts, onPacket: (t, th) => (done.push(t), opts.onPacket?.(t, th)) });
  const take = () => {
    const out = done;
    done = [];
    return out;
  };
  for await (const _ of feedChunks(p, chunks)) if (done.length) yield take();
  p.end();
  if (done.length) yield take();
}

/** Feed `p` the lines of the chunks; yields after each chunk's lines. */
async function* feedChunks(p: TraceParser, chunks: AsyncIterable<string | Uint8Array>): AsyncGenerator<void> {
  const feeder = new ChunkFeeder(p);
  for await (const c of chunks) {
    feeder.feed(c);
    yield;
  }
  feeder.finish();
}

/**
 * Splits chunks of text (or bytes, any cut) into the lines a parser is fed: the same for a stream
 * read asynchronously and for a file's second pass read synchronously (vpp-trace/trace-source.ts).
 */
export class ChunkFeeder {
  private readonly dec = new TextDecoder();
  /** Whether the decoder may hold the start of a UTF-8 sequence from the previous chunk. */
  private decoderPending = false;
  private rest = '';

  constructor(readonly parser: TraceParser) {}

  feed(c: string | Uint8Array): void {
    let chunkText: string;
    if (typeof c === 'string') chunkText = c;
    else {
      // Traces are ASCII: a latin1 copy is 2-3x faster than UTF-8 decoding and gives one-byte
      // strings, which the scanner reads faster. Non-ASCII chunks (prose, `…`) go through the decoder.
      const b = Buffer.isBuffer(c) ? c : Buffer.from(c.buffer, c.byteOffset, c.byteLength);
      if (isAscii(b) && !this.decoderPending) chunkText = b.toString('latin1');
      else {
        chunkText = this.dec.decode(b, { stream: true });
        this.decoderPending = !isAscii(b);
      }
    }
    const text = this.rest + chunkText;
    const parts = text.split('\n');
    this.rest = parts.pop()!;
    this.parser.pushLines(parts, text);
    if (this.rest.length > 1 << 20) this.parser.push(this.rest); // throws: an endless line is not a trace
  }

  /** The last line, if the text does not end with a newline. */
  finish(): void {
    const rest = this.rest + this.dec.decode();
    this.rest = '';
    if (rest !== '') {
      this.parser.push(rest);
      this.parser.markUnterminated();
    }
  }
}

export type { TraceWarning };
