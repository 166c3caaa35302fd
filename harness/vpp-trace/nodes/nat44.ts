// NAT44 records (vpp-facts §8.1; master ED form §11.2). Line 1 is `{TAG}: ...`:
//   NAT44_OUT2IN: sw_if_index {rx}, next index {n}, session index {s}
//   NAT44_IN2OUT_{FAST,SLOW}_PATH: sw_if_index {rx}, next index {n}, session {s}
//   NAT44_{OUT2IN,IN2OUT}_FAST: sw_if_index {rx}, next index {n}
//   NAT44_{IN2OUT,OUT2IN}_REASS: sw_if_index {rx}, next index {n}, status {cached|translated}
//   NAT44_{IN2OUT,OUT2IN}_WORKER_HANDOFF: {next worker|same worker} {idx}
//   (master ED) ..., session {s}, translation result '{res}' via {i2of|o2if}
// Later lines (master ED `i2of`/`o2if`/`search key`/`TCP state`) are kept verbatim in `extra`.

import { dec } from '../format/vppinfra.js';
import { type NodeKind, RecordError, trimAll } from './kind.js';

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

const MAIN_RE =
  /^(NAT44_[A-Z0-9_]+): sw_if_index (-?\d+), next index (-?\d+)(?:, (session index|session) (-?\d+))?(?:, status (\S+))?(?:, translation result '([^']*)' via (\S+))?$/;
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
    const t = trimAll(lines);
    let r: Nat44Record;
    const h = HANDOFF_RE.exec(t[0] ?? '');
    if (h) r = { tag: h[1], handoff: { which: h[2] as 'next worker' | 'same worker', index: Number(h[3]) } };
    else {
      const m = MAIN_RE.exec(t[0] ?? '');
      if (!m) throw new RecordError(`not a NAT44 line: '${t[0] ?? ''}'`, 0);
      r = { tag: m[1], swIfIndex: Number(m[2]), nextIndex: Number(m[3]) };
      if (m[4] !== undefined) {
        r.sessionLabel = m[4] as Nat44Record['sessionLabel'];
        r.session = Number(m[5]);
      }
      if (m[6] !== undefined) r.status = m[6];
      if (m[7] !== undefined) r.translation = { result: m[7], via: m[8] };
    }
    if (t.length > 1) r.extra = t.slice(1);
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
