// Model stages against golden stages: align by node name, then compare typed fields and known packet
// bytes of each aligned pair, honouring masks and bindings. Produces every difference in order;
// explain.ts turns them into divergences a person reads.

import type { FieldValue, PacketTrace, Stage } from '../stage.js';
import type { Packet } from '../wire/packet.js';
import { hex } from '../wire/bytes.js';
import { frameLength, wireFrameLength } from '../io/frame-length.js';
import { cutFields } from './cut-fields.js';
import { alignByKey } from './align.js';
import { fieldMatches, isEncapsulated, splitFieldKey, stageMatches, type FieldPath, type StageAt } from './mask-path.js';
import { checksumCovers, checksumProvenance, checksumValidity, isChecksumKey, peerChecksumNote, safeDissect } from './checksums.js';
import { FIELD_OFFSETS, fieldAtByte, fieldSpan, layerNamed, splitNesting, statedFieldName } from './field-offsets.js';
import { explain } from './explain.js';
import { valuesEqual } from './values.js';
import { traceLabel } from './label.js';
import type { Dissector, Layer } from '../suite/peers.js';
import type { MaskRule } from './runtime-masks.js';
import { emptyCounters, type BindingValue, type BoundSpan, type CaseDiff, type FieldDiff, type MaskUse, type StageRow, type TraceDiff } from './types.js';

export interface BindingRule {
  name: string;
  capture: FieldPath;
  require: FieldPath[];
}

export interface CompareOptions {
  /** Masks, tried in order; a bare FieldPath is a case mask without a reason. */
  masks?: readonly (FieldPath | MaskRule)[];
  bindings?: readonly BindingRule[];
  /** Names packet bytes by field and proves checksums; optional (bytes are then reported by offset). */
  dissect?: Dissector;
  /**
   * Values a model named but could not predict, bound from a golden and written into its packets
   * (suite/case-bindings.ts): a field over them is required to equal the bound value and a
   * difference names the binding.
   */
  boundSpans?: (p: Packet) => readonly BoundSpan[] | undefined;
  /**
   * The caller compares one case against several goldens and says itself which case masks matched no
   * field in any of them (unusedMaskNote): a mask for one device's capture is not "unused" in the others.
   */
  caseMasksJudgedByCaller?: boolean;
  /**
   * Both sides are files of one kind (`dpconform diff A B`), not a model whose records state typed
   * fields only and a golden that says what is compared: a field or the packet bytes of a stage on
   * one side only differ. (A stage file whose stage had lost its packet compared 0 fields and was
   * reported "identical", exit 0; a field only B stated was never looked at.)
   */
  peers?: boolean;
  /**
   * With `peers`: a packet built from its stage's record (a VPP trace's stage; suite/stage-packets.ts
   * isRebuiltFromRecord) states no byte its fields do not and no packet length. Against a stage with
   * no packet (stage records from `replay --format json`) there is nothing more to compare, and its
   * length is never compared: `packet.length` only where both files state their packets.
   */
  rebuiltPacket?: (p: Packet) => boolean;
}

/** Why a mask that matched no field is worth a look: it is a runtime mask already, or it names nothing. */
export function unusedMaskNote(mk: MaskRule, all: readonly MaskRule[]): string {
  const dup = all.some((o) => o.origin === 'runtime' && samePath(o.path, mk.path));
  return dup ? `mask '${mk.path.text}' is a runtime mask already (harness/diff/runtime-masks.ts): remove it from the case` : `mask '${mk.path.text}' matched no field`;
}

/** A bound value while comparing: captured once, required later. */
interface LiveBinding extends BindingValue {
  rule: BindingRule;
  /** Position of the capture, so implicit requirements only apply after it. */
  pos?: [trace: number, row: number];
}

/** Field family for implicit binding requirements: a port must reappear as a port, an address as an address. */
function leafFamily(key: string): string {
  const leaf = splitFieldKey(key).leaf.split('.').pop()!;
  if (/port$/.test(leaf)) return 'port';
  if (leaf === 'src' || leaf === 'dst' || /(addr|address|_ip)$/.test(leaf)) return 'address';
  return leaf;
}

/**
 * Fields of a stage whose model bytes are not all known (KnownBytes): header fields by their span,
 * `payload.*` by the payload layer. Fields without a byte span (record fields, TCP options) are known.
 */
function unknownFields(p: Packet | undefined, layers: readonly Layer[], keys: readonly string[]): Set<string> {
  const out = new Set<string>();
  if (!p?.known || p.known.isComplete()) return out;
  for (const k of keys) {
    // ip4-rewrite's `dump` is a hex dump from the start of the stage's packet: unknown where any byte is.
    const span = k === 'dump' ? ([0, p.data.length] as const) : (fieldSpan(layers, k) ?? payloadSpan(layers, k) ?? truncatedHeaderSpan(layers, k));
    if (!span) continue;
    for (let i = span[0]; i < span[0] + span[1]; i++) {
      if (!p.known.has(i)) {
        out.add(k);
        break;
      }
    }
  }
  return out;
}

/** Fields of a model packet lying over a value bound from a golden (CompareOptions.boundSpans). */
function spanBoundFields(p: Packet | undefined, layers: readonly Layer[], keys: readonly string[], spansOf: CompareOptions['boundSpans']): Map<string, BoundSpan> {
  const out = new Map<string, BoundSpan>();
  const spans = p && spansOf?.(p);
  if (!spans?.length) return out;
  for (const k of keys) {
    const f = fieldSpan(layers, k);
    const b = f && spans.find((s) => f[0] < s.offset + s.length && s.offset < f[0] + f[1] && !isChecksumKey(k));
    if (b) out.set(k, b);
  }
  return out;
}

/**
 * A header field of a header the packet cuts short (the dissector's `payload` with `truncated:
 * <proto>`): where the header would have it. A node may read a header past the packet's end (VPP's
 * ip4-icmp-echo-reply reads the echo id and sequence with no length check); bytes there the model
 * does not know make the field unknown.
 */
function truncatedHeaderSpan(layers: readonly Layer[], key: string): readonly [number, number] | undefined {
  const { level, rest } = splitNesting(key);
  const dot = rest.indexOf('.');
  if (dot < 0) return undefined;
  const proto = rest.slice(0, dot);
  const span = FIELD_OFFSETS[proto]?.[rest.slice(dot + 1)];
  const l = layerNamed(layers, 'payload', level);
  return span && l && l.fields.truncated === proto ? [l.offset + span[0], span[1]] : undefined;
}

function payloadSpan(layers: readonly Layer[], key: string): readonly [number, number] | undefined {
  const { level, rest } = splitNesting(key);
  if (!rest.startsWith('payload.')) return undefined;
  const l = layerNamed(layers, 'payload', level);
  return l ? [l.offset, l.length] : undefined;
}

/** Same meaning, however written (`buffer_index` = `*.buffer_index`). */
function samePath(a: FieldPath, b: FieldPath): boolean {
  return a.packet === b.packet && (a.stage?.source ?? '') === (b.stage?.source ?? '') && a.occurrence === b.occurrence && a.depth === b.depth && a.leaf === b.leaf && a.protos.join() === b.protos.join();
}

/** Compare model traces against golden traces of one case (traces paired in order). */
export function compareTraces(model: readonly PacketTrace[], golden: readonly PacketTrace[], opts: CompareOptions = {}): CaseDiff {
  const masks: MaskRule[] = (opts.masks ?? []).map((m) => ('origin' in m ? m : { path: m, reason: null, origin: 'case' }));
  const maskUses: MaskUse[] = masks.map((m) => ({ path: m.path.text, reason: m.reason, origin: m.origin, fields: 0 }));
  const counters = emptyCounters();
  const notes = new Set<string>();
  const diffs: FieldDiff[] = [];
  const traces: TraceDiff[] = [];
  const live: LiveBinding[] = (opts.bindings ?? []).map((rule) => ({ name: rule.name, rule }));
  const dissectCache = new Map<Packet, Layer[]>();
  const layersOf = (p: Packet | undefined) => {
    if (!p || !opts.dissect) return [];
    let l = dissectCache.get(p);
    if (!l) dissectCache.set(p, (l = safeDissect(opts.dissect, p)));
    return l;
  };

  const n = Math.max(model.length, golden.length);
  for (let t = 0; t < n; t++) {
    const traceNo = t + 1;
    const m = model[t];
    const g = golden[t];
    const label = traceLabel(g ?? m);
    const trace: TraceDiff = { trace: traceNo, label, rows: [] };
    traces.push(trace);
    if (!m || !g) {
      diffs.push({ kind: m ? 'extra-trace' : 'missing-trace', trace: traceNo, stage: (g ?? m)!.stages[0]?.node ?? '', row: 0, path: '' });
      for (const s of (g ?? m)!.stages) trace.rows.push(row(s.node, m ? 'extra' : 'missing', m ? undefined : s, m ? s : undefined));
      continue;
    }
    for (const a of alignByKey(m.stages, g.stages, (s) => s.node, (s) => s.node)) {
      const r = trace.rows.length;
      if (!a.model) {
        trace.rows.push(row(a.golden!.node, 'missing', a.golden));
        diffs.push({ kind: 'missing-stage', trace: traceNo, stage: a.golden!.node, row: r, path: '' });
        continue;
      }
      if (!a.golden) {
        trace.rows.push(row(a.model.node, 'extra', undefined, a.model));
        diffs.push({ kind: 'extra-stage', trace: traceNo, stage: a.model.node, row: r, path: '' });
        continue;
      }
      const sr = row(a.golden.node, 'match', a.golden, a.model);
      trace.rows.push(sr);
      const before = diffs.length;
      compareStage(traceNo, r, a.model, a.golden, sr, { stages: g.stages, stage: a.golden });
      if (diffs.length > before) sr.status = 'differ';
    }
  }

  for (const b of live) {
    if (b.pos === undefined) diffs.push({ kind: 'binding', trace: 1, stage: b.rule.capture.stageText ?? '*', row: 0, path: b.rule.capture.text, note: `binding ${b.name} captured nothing: no stage has ${b.rule.capture.text}` });
  }
  // Runtime masks are universal (not every golden shows every runtime field): only declared ones are noted.
  masks.forEach((mk, i) => {
    if (mk.origin === 'runtime') return;
    if (maskUses[i].fields) {
      if (mk.reason === null) notes.add(`mask '${mk.path.text}' gives no reason: write it as { path: '${mk.path.text}', reason: '...' }`);
      return;
    }
    if (mk.origin === 'case' && opts.caseMasksJudgedByCaller) return;
    notes.add(unusedMaskNote(mk, masks));
  });

  const divergences = explain(diffs, traces, opts.peers);
  return {
    traces,
    diffs,
    divergences,
    counters,
    bindings: live.map(({ name, model, golden, at }) => ({ name, model, golden, at })),
    masks: maskUses,
    notes: [...notes],
  };

  function row(node: string, status: StageRow['status'], golden?: Stage, model?: Stage): StageRow {
    return { node, status, golden, model, masked: [], maskedBy: {}, bound: [], unknown: [], changedBytes: [], changedFields: [] };
  }

  /** Index of the first mask naming this field, if any. */
  function maskFor(traceNo: number, at: StageAt, key: string, encapsulated: boolean): number | undefined {
    const i = masks.findIndex((mk) => {
      const local = mk.scope ? traceNo - mk.scope.first + 1 : traceNo;
      if (mk.scope && (local < 1 || local > mk.scope.count)) return false;
      return stageMatches(mk.path, at.stage.node, local, at) && fieldMatches(mk.path, key, encapsulated);
    });
    return i < 0 ? undefined : i;
  }

  function markMasked(sr: StageRow, key: string, by: number | undefined): void {
    counters.masked++;
    sr.masked.push(key);
    if (by !== undefined) {
      sr.maskedBy[key] = by;
      maskUses[by].fields++;
    }
  }

  function compareStage(traceNo: number, r: number, ms: Stage, gs: Stage, sr: StageRow, at: StageAt): void {
    const gFields: Record<string, FieldValue> = { ...gs.fields };
    const mFields: Record<string, FieldValue> = { ...ms.fields };
    // The golden's time is a field like any other (a runtime mask covers it for VPP traces); a model
    // without a clock leaves it absent, which only a mask may excuse.
    if (gs.time !== undefined) gFields.time = gs.time;
    if (ms.time !== undefined) mFields.time = ms.time;
    // A node nobody decodes yet has only its lines: compare those, so it is still evidence.
    if (!Object.keys(gs.fields).length) {
      gs.lines.forEach((l, i) => (gFields[`line.${i + 1}`] = l.trim()));
      ms.lines.forEach((l, i) => (mFields[`line.${i + 1}`] = l.trim()));
    }
    const encG = isEncapsulated(Object.keys(gFields));
    // Between peers a field only the second file states differs too (`diff A B` said identical, `diff B A` not).
    const keys = opts.peers ? [...new Set([...Object.keys(gFields), ...Object.keys(mFields)])] : Object.keys(gFields);
    const masked = new Map<string, number>();
    for (const k of keys) {
      const by = maskFor(traceNo, at, k, encG);
      if (by !== undefined) masked.set(k, by);
    }
    // A mask without depth covers the outer AND the inner header (a tunnelled one, or one an ICMP
    // error quotes): say so, since usually only one of them is unknowable.
    for (const [k, by] of masked) {
      if (splitFieldKey(k).level !== 1 || masks[by].path.depth !== 'any' || masked.get(k.slice(6)) !== by) continue;
      notes.add(`mask '${masks[by].path.text}' covers both ${k.slice(6)} and ${k}: write outer.${k.slice(6)} or ${k} to mask only one`);
    }
    // Checksums last: whether one is compared by value depends on what it covers.
    const ordered = [...keys.filter((k) => !isChecksumKey(k)), ...keys.filter(isChecksumKey)];
    const differing = new Set<string>();
    const unknown = unknownFields(ms.packet, layersOf(ms.packet), keys);
    const spanBound = spanBoundFields(ms.packet, layersOf(ms.packet), keys, opts.boundSpans);
    const pastCut = cutFields(keys, [ms, gs].map((s) => ({ packet: s.packet, layers: layersOf(s.packet) })));
    for (const k of ordered) {
      const exp = gFields[k];
      const got = k in mFields ? mFields[k] : undefined;
      if (masked.has(k)) {
        markMasked(sr, k, masked.get(k));
        continue;
      }
      if (pastCut.has(k)) {
        // Over bytes a capture cut off (cut-fields.ts): nobody knows them, whatever either side states.
        counters.unknown++;
        sr.unknown.push(k);
        continue;
      }
      if (got === undefined && unknown.has(k)) {
        // The model does not know these bytes (a port chosen at random on a clash) and states no value
        // (a model's record value is its claim and is compared even over unknown bytes): nothing to compare.
        // A checksum over them still has to be right in the golden: checked for validity there.
        const goldenValid = isChecksumKey(k) ? checksumValidity(gs.packet, k, opts.dissect) : undefined;
        if (goldenValid === undefined) {
          counters.unknown++;
          sr.unknown.push(k);
          continue;
        }
        counters.compared++;
        if (goldenValid) counters.matched++;
        else {
          differing.add(k);
          diffs.push({ kind: 'field', trace: traceNo, stage: gs.node, row: r, path: k, expected: exp, got, note: opts.peers ? 'A checksum invalid for its own bytes (B does not know the bytes it covers, so A\'s own checksum is verified instead)' : 'the golden checksum is invalid for its own bytes (the model cannot predict it: it covers bytes the model does not know, so the golden\'s own checksum is verified instead)' });
        }
        continue;
      }
      const sb = spanBound.get(k);
      if (sb) {
        // The model carries the value its binding read from the golden: the golden must hold it here.
        counters.bound++;
        sr.bound.push(k);
        if (!valuesEqual(exp, got)) diffs.push({ kind: 'binding', trace: traceNo, stage: gs.node, row: r, path: k, expected: exp, got, note: `must equal bound ${sb.id}, bound from ${sb.captured}` });
        // Equal (it was read here) but against what the model knows of it: the binding is the divergence.
        else if (sb.refused) diffs.push({ kind: 'binding', trace: traceNo, stage: gs.node, row: r, path: k, expected: exp, got, note: `binding ${sb.id} refused: ${sb.refused}` });
        continue;
      }
      if (bindingHandled(traceNo, r, at, k, exp, got, encG, sr)) continue;
      // A value bound from the golden is the golden's own: a checksum over it is still compared by value.
      const hidden = sr.bound.filter((x) => !spanBound.has(x));
      const hiddenCovered = isChecksumKey(k) && (masked.size || hidden.length) ? [...masked.keys(), ...hidden].filter((x) => checksumCovers(k, x)) : [];
      if (hiddenCovered.length) {
        // Its value follows from a masked/bound field: check that it is right for its own bytes instead.
        const valid = checksumValidity(ms.packet, k, opts.dissect);
        const why = `${k} covers ${hiddenCovered.join(', ')} (masked or bound)`;
        if (valid === undefined) {
          notes.add(`${why}: it cannot be checked (packet bytes not known)`);
          markMasked(sr, k, undefined);
        } else {
          notes.add(`${why}: checked for validity only`);
          counters.compared++;
          if (valid) counters.matched++;
          else {
            differing.add(k);
            diffs.push({ kind: 'field', trace: traceNo, stage: gs.node, row: r, path: k, expected: exp, got, note: opts.peers ? peerChecksumNote(false, checksumValidity(gs.packet, k, opts.dissect), false) : checksumProvenance(false, undefined, true) });
          }
        }
        continue;
      }
      counters.compared++;
      if (valuesEqual(exp, got)) {
        counters.matched++;
        continue;
      }
      differing.add(k);
      const d: FieldDiff = { kind: 'field', trace: traceNo, stage: gs.node, row: r, path: k, expected: exp, got };
      if (isChecksumKey(k)) {
        const coveredDiffer = [...differing].some((x) => checksumCovers(k, x));
        // Two files of one kind (`diff A B`): neither checksum is the expected one.
        d.note = (opts.peers ? peerChecksumNote : checksumProvenance)(checksumValidity(ms.packet, k, opts.dissect), checksumValidity(gs.packet, k, opts.dissect), coveredDiffer);
      }
      diffs.push(d);
    }
    compareBytes(traceNo, r, ms, gs, sr, masked, differing, encG, at);
  }

  /** A stage as a path names it: `node@K` when its node appears more than once in the packet trace. */
  function stageName(at: StageAt): string {
    let total = 0;
    let mine = 0;
    for (const s of at.stages) {
      if (s.node !== at.stage.node) continue;
      total++;
      if (s === at.stage) mine = total;
    }
    return total > 1 ? `${at.stage.node}@${mine}` : at.stage.node;
  }

  /** Bindings: capture the model's choice once, then require it. True when `k` was handled here. */
  function bindingHandled(traceNo: number, r: number, at: StageAt, k: string, exp: FieldValue | undefined, got: FieldValue | undefined, enc: boolean, sr: StageRow): boolean {
    const node = at.stage.node;
    for (const b of live) {
      if (b.pos === undefined) {
        if (stageMatches(b.rule.capture, node, traceNo, at) && fieldMatches(b.rule.capture, k, enc)) {
          b.pos = [traceNo, r];
          b.model = got;
          b.golden = exp;
          b.at = `#${traceNo}:${stageName(at)}.${k}`;
          counters.bound++;
          sr.bound.push(k);
          if (got === undefined) diffs.push({ kind: 'binding', trace: traceNo, stage: node, row: r, path: k, expected: exp, note: `binding ${b.name}: the model has no ${k} to capture` });
          return true;
        }
        continue;
      }
      const required = b.rule.require.length
        ? b.rule.require.some((p) => stageMatches(p, node, traceNo, at) && fieldMatches(p, k, enc))
        : valuesEqual(exp, b.golden) && leafFamily(k) === leafFamily(b.at!.slice(b.at!.indexOf('.') + 1));
      if (!required) continue;
      counters.bound++;
      sr.bound.push(k);
      if (!valuesEqual(got, b.model)) {
        diffs.push({ kind: 'binding', trace: traceNo, stage: node, row: r, path: k, expected: b.model, got, note: `must equal ${b.name} (captured at ${b.at})` });
      }
      return true;
    }
    return false;
  }

  function compareBytes(traceNo: number, r: number, ms: Stage, gs: Stage, sr: StageRow, masked: ReadonlyMap<string, number>, typedDiffering: Set<string>, enc: boolean, at: StageAt): void {
    const mp = ms.packet;
    const gp = gs.packet;
    const rebuilt = (p: Packet | undefined) => !!p && !!opts.rebuiltPacket?.(p);
    if (opts.peers && !gp !== !mp && !masked.has('packet.length') && !rebuilt(gp ?? mp)) {
      counters.compared++;
      diffs.push({ kind: 'bytes', trace: traceNo, stage: gs.node, row: r, path: 'packet.length', expected: gp && wireFrameLength(gp), got: mp && wireFrameLength(mp), note: 'packet bytes on one side only' });
      return;
    }
    if (!mp || !gp) return;
    const layers = layersOf(mp);
    // The frames' own bytes: an FCS a capture kept is the checksum of another link, not a prediction.
    const mLen = frameLength(mp);
    const gLen = frameLength(gp);
    const len = Math.min(mLen, gLen);
    const byField = new Map<string, number[]>();
    for (let i = 0; i < len; i++) {
      const known = (!gp.known || gp.known.has(i)) && (!mp.known || mp.known.has(i));
      if (!known) continue;
      const key = fieldAtByte(layers, i) ?? `bytes[${i}]`;
      if (mp.data[i] !== gp.data[i]) {
        sr.changedBytes.push(i);
        if (!byField.has(key)) byField.set(key, []);
        byField.get(key)!.push(i);
      } else if (!byField.has(key)) byField.set(key, []);
    }
    for (const [byteKey, offs] of byField) {
      // Bytes of a field a stage states under another name (a capture's `arp.target_hw` is the trace
      // name `arp.target_mac`'s bytes) are that field: compared once, as typed.
      const key = statedFieldName(byteKey, gs.fields, ms.fields);
      const typed = key in gs.fields || (opts.peers === true && key in ms.fields);
      if (masked.has(key) || sr.bound.includes(key)) continue;
      const by = maskFor(traceNo, at, key, enc);
      if (by !== undefined) {
        if (!typed) markMasked(sr, key, by);
        continue;
      }
      const span = fieldSpan(layers, key);
      if (offs.length && span) sr.changedFields.push([span[0], span[1], key]);
      // A field compared as a typed field is counted there once; its bytes only mark the report.
      if (typed) continue;
      counters.compared++;
      if (!offs.length) {
        counters.matched++;
        continue;
      }
      const [o, l] = span ?? [offs[0], offs[offs.length - 1] - offs[0] + 1];
      diffs.push({ kind: 'bytes', trace: traceNo, stage: gs.node, row: r, path: key.startsWith('bytes[') ? `bytes[${o}..${o + l - 1}]` : key, expected: hexWithin(gp.data, o, l), got: hexWithin(mp.data, o, l) });
      typedDiffering.add(key);
    }
    const gComplete = !gp.known || gp.known.isComplete();
    // The lengths on the wire: a frame its capture cut is as long as it was sent (cut-fields.ts).
    const [mWire, gWire] = [wireFrameLength(mp), wireFrameLength(gp)];
    if (gComplete && mWire !== gWire && !(opts.peers && (rebuilt(gp) || rebuilt(mp)))) {
      counters.compared++;
      diffs.push({ kind: 'bytes', trace: traceNo, stage: gs.node, row: r, path: 'packet.length', expected: gWire, got: mWire });
    }
  }
}

/**
 * hex of data[o, o + l), cut at the frame's end: a field's span comes from the model frame's layers
 * and may run past the end of a shorter golden frame (or the model frame be the shorter); each side
 * shows the bytes it has (reading past the end was an internal error that ended the case run).
 */
function hexWithin(data: Uint8Array, o: number, l: number): string {
  return hex(data, o, Math.max(0, Math.min(l, data.length - o)));
}
