// NAT44 records (vpp-facts §8.1; master ED form §11.2). Line 1 is `{TAG}: ...`:
//   NAT44_OUT2IN: sw_if_index {rx}, next index {n}, session index {s}
//   NAT44_IN2OUT_{FAST,SLOW}_PATH: sw_if_index {rx}, next index {n}, session {s}
//   NAT44_{OUT2IN,IN2OUT}_FAST: sw_if_index {rx}, next index {n}
//   NAT44_{IN2OUT,OUT2IN}_REASS: sw_if_index {rx}, next index {n}, status {cached|translated}
//   NAT44_{IN2OUT,OUT2IN}_WORKER_HANDOFF: {next worker|same worker} {idx}
//   (master ED) ..., session {s}, translation result '{res}' via {i2of|o2if}
// Later lines (master ED `i2of`/`o2if`/`search key`/`TCP state`) are kept verbatim in `extra`.

import { dec } from '../format/vppinfra.js';
import { LineTemplate, lineEnd, lineStart, trimmed } from '../format/scan.js';
import { type NodeKind, RecordError } from './kind.js';

export interface Nat44Record {
  tag: string;
  /** RX sw_if_index (even on -output nodes). Absent on handoff records. */
  swIfIndex?: number;
  nextIndex?: number;
  /** Which session wording the tag prints: `session index` (out2in) or `session` (in2out). */
  sessionLabel?: 'session index' | 'session';
  /** Session pool index, -1 = none. */
  session?: number;
  /** Reassembly status. */
  status?: string;
  /** Worker handoff: `next worker` / `same worker` and its index. */
  handoff?: { which: 'next worker' | 'same worker'; index: number };
  /** Master ED: translation result and direction. */
  translation?: { result: string; via: string };
  /** Further lines, verbatim (printed at column 2). */
  extra?: string[];
}

const MAIN = new LineTemplate('%s: sw_if_index %d, next index %d');
const SESSION_INDEX = new LineTemplate(', session index %d');
const SESSION = new LineTemplate(', session %d');
const STATUS_RE = /^, status (\S+)/;
const TRANSLATION_RE = /^, translation result '([^']*)' via (\S+)$/;

/** `NAT44_` then capitals, digits and underscores. */
function isTag(s: string): boolean {
  if (!s.startsWith('NAT44_') || s.length === 6) return false;
  for (let i = 6; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (!((c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95)) return false;
  }
  return true;
}

/** The common record line; the rarer optional tails (status, ED translation) are read with regexes. */
function parseMain(line: string | undefined): Nat44Record | undefined {
  if (line === undefined) return undefined;
  const e = lineEnd(line);
  let p = MAIN.matchAt(line, lineStart(line), e);
  if (p < 0 || !isTag(MAIN.s(0))) return undefined;
  const r: Nat44Record = { tag: MAIN.s(0), swIfIndex: MAIN.n(1), nextIndex: MAIN.n(2) };
  const si = SESSION_INDEX.matchAt(line, p, e);
  const s = si >= 0 ? si : SESSION.matchAt(line, p, e);
  if (s >= 0) {
    r.sessionLabel = si >= 0 ? 'session index' : 'session';
    r.session = si >= 0 ? SESSION_INDEX.n(0) : SESSION.n(0);
    p = s;
  }
  if (p === e) return r;
  let rest = line.slice(p, e);
  const st = STATUS_RE.exec(rest);
  if (st) {
    r.status = st[1];
    rest = rest.slice(st[0].length);
  }
  if (rest === '') return r;
  const tr = TRANSLATION_RE.exec(rest);
  if (!tr) return undefined;
  r.translation = { result: tr[1], via: tr[2] };
  return r;
}
const HANDOFF_RE = /^(NAT44_[A-Z0-9_]+): (next worker|same worker) (\d+)$/;

export const nat44: NodeKind<Nat44Record> = {
  kind: 'nat44',
  format(r) {
    let s: string;
    if (r.handoff) s = `  ${r.tag}: ${r.handoff.which} ${r.handoff.index}`;
    else {
      s = `  ${r.tag}: sw_if_index ${dec(r.swIfIndex ?? -1)}, next index ${dec(r.nextIndex ?? -1)}`;
      if (r.sessionLabel !== undefined) s += `, ${r.sessionLabel} ${dec(r.session ?? -1)}`;
      if (r.status !== undefined) s += `, status ${r.status}`;
      if (r.translation) s += `, translation result '${r.translation.result}' via ${r.translation.via}`;
    }
    return [s, ...(r.extra ?? []).map((l) => `  ${l}`)];
  },
  parse(lines) {
    let r = parseMain(lines[0]);
    if (!r) {
      const h = HANDOFF_RE.exec(trimmed(lines[0]));
      if (!h) throw new RecordError(`not a NAT44 line: '${trimmed(lines[0])}'`, 0);
      r = { tag: h[1], handoff: { which: h[2] as 'next worker' | 'same worker', index: Number(h[3]) } };
    }
    if (lines.length > 1) r.extra = lines.slice(1).map((l) => l.trim());
    return r;
  },
  toFields(r, out) {
    out.tag = r.tag;
    if (r.swIfIndex !== undefined) out.sw_if_index = r.swIfIndex;
    if (r.nextIndex !== undefined) out.next_index = r.nextIndex;
    if (r.session !== undefined) out.session_index = r.session;
    if (r.status !== undefined) out.status = r.status;
    if (r.handoff) {
      out.handoff = r.handoff.which;
      out.worker = r.handoff.index;
    }
    if (r.translation) {
      out.translation_result = r.translation.result;
      out.translation_via = r.translation.via;
    }
    r.extra?.forEach((l, i) => (out[`extra.${i}`] = l));
  },
};
