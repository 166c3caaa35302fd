// One case: build the model from its scenario, replay every input through ONE instance (sessions
// persist), compare what came out against each golden, and update snapshot goldens when asked.

import { existsSync } from 'node:fs';
import type { DataplaneModel, Injection, ModelInstance } from '../model.js';
import type { PacketTrace } from '../stage.js';
import type { Packet } from '../wire/packet.js';
import { InputError } from '../io/input-error.js';
import { compareTraces, unusedMaskNote, type CompareOptions } from '../diff/compare.js';
import { packetsAsTraces } from '../diff/packet-stages.js';
import { addCounters, emptyCounters } from '../diff/types.js';
import type { CaseSpec, GoldenSpec, InputSpec, SourceKind } from './case-spec.js';
import { injectionPointError } from './injection-point-error.js';
import { requireGoldenDevices } from './golden-devices.js';
import { runtimeMaskRules, type MaskRule, type RuntimeMask } from '../diff/runtime-masks.js';
import { pickPackets, readCapturePackets, readInputPackets, setTraceWarningListener, type Injectable } from './sources.js';
import { readForUpdate, readGolden, refuseDamagedOverwrite, type ReadGolden } from './golden-damage.js';
import { warningLine } from '../vpp-trace/warning-line.js';
import { captureWriter, dissector } from './peers.js';
import { traceLabel } from '../diff/label.js';
import { goldenText, updateCaptureGolden, updateTextGolden, type GoldenUpdate } from './golden-write.js';
import type { CaseResult, ErrorRecord, GoldenComparison } from './result.js';
import { isBindingAware } from '../check/bindings.js';
import { CaseBindings } from './case-bindings.js';
import { captureEnd } from '../check/capture-end.js';
import { withStagePackets } from './stage-packets.js';

export interface CaseRunOptions {
  update?: boolean;
  ci?: boolean;
  resolveModel: (name: string) => Promise<DataplaneModel>;
  /** The runtime mask list (default diff/runtime-masks.ts; tests pass a reduced one to prove each entry matters). */
  runtimeMasks?: Readonly<Record<SourceKind, readonly RuntimeMask[]>>;
}

export function errorRecord(e: unknown): ErrorRecord {
  if (e instanceof InputError) return { message: e.message, code: e.code, ...e.where };
  const err = e as NodeJS.ErrnoException;
  if (err && typeof err.code === 'string' && 'path' in err) {
    return { message: `${String(err.path)}: ${err.code === 'ENOENT' ? 'no such file' : err.message}`, code: `fs.${err.code}`, file: String(err.path) };
  }
  return { message: `internal error: ${(e as Error)?.message ?? String(e)}`, code: 'internal' };
}

export async function runCase(spec: CaseSpec, opts: CaseRunOptions): Promise<CaseResult> {
  const t0 = performance.now();
  const snapshotOnly = spec.goldens.length > 0 && spec.goldens.every((g) => g.evidence === 'snapshot');
  const result: CaseResult = {
    name: spec.name,
    file: spec.file,
    model: spec.model,
    tags: spec.tags,
    status: 'passed',
    evidence: snapshotOnly ? 'snapshot' : 'conformance',
    comparisons: [],
    errors: [],
    counters: emptyCounters(),
    durationMs: 0,
  };
  // What the trace reader says about the case's trace files (a damaged line kept as raw text): the
  // case reports it, as `trace parse`, `diff` and `replay` print it. Cases run one at a time per
  // thread, so the listener is the case's while it runs.
  const warnings: string[] = [];
  const before = setTraceWarningListener((file, w) => warnings.push(warningLine(file, w).trimEnd()));
  try {
    const model = await opts.resolveModel(spec.model).catch((e) => {
      throw e instanceof InputError ? new InputError(e.reason, { file: spec.file, key: 'model' }, e.code) : e;
    });
    const instance = await model.instantiate(spec.scenario ?? '');
    requireGoldenDevices(instance, spec.goldens, spec.scenario);
    const updating = !!opts.update && !opts.ci;
    const frames = await captureGoldenFrames(spec.goldens, updating);
    // Values the model names but cannot predict are bound from the capture goldens after each input,
    // so the model's later packets (replies un-NATed with the bound port) depend on them.
    const live = isBindingAware(instance) ? new CaseBindings(instance, [...frames].map(([g, f]) => ({ g, packets: f.compared }))) : undefined;
    const traces: PacketTrace[] = [];
    const outputs: Packet[] = [];
    for (const input of spec.inputs) {
      for (const inj of await readInputPackets(input)) {
        const r = injectNamingFile(instance, inj, input);
        traces.push(...r.traces);
        outputs.push(...(live ? live.resolve(r.outputs) : r.outputs));
      }
    }
    if (instance.finish) {
      // Timers pending after the last input, up to the end of the capture goldens (check.ts does the same).
      const r = instance.finish(captureEnd([...frames.values()].flatMap((f) => f.all)));
      traces.push(...r.traces);
      outputs.push(...(live ? live.resolve(r.outputs) : r.outputs));
    }
    if (live?.bound.length) result.bound = live.bound;
    // Said under the case as its warnings are: a pass that rests on them is not the dataplane's word alone.
    for (const a of instance.assumptions?.() ?? []) warnings.push(`note: ${a}`);
    const dissect = await dissector();
    const boundSpans = live && ((p: Packet) => live.spansOf(p));
    for (const group of goldenGroups(spec.goldens)) {
      result.comparisons.push(group[0].kind === 'capture'
        ? await compareCapture(group[0], spec, outputs, dissect, opts, frames.get(group[0]), boundSpans)
        : await compareSequence(group, spec, traces, dissect, opts));
    }
    noteUnusedCaseMasks(result.comparisons, spec, opts);
  } catch (e) {
    result.errors.push(errorRecord(e));
  } finally {
    setTraceWarningListener(before);
  }
  if (warnings.length) result.warnings = warnings;
  finish(result, !!opts.ci);
  result.durationMs = performance.now() - t0;
  return result;
}

/**
 * A case mask that matched no field in ANY of the case's comparisons gets one note (on the first):
 * a mask naming one device's capture (`#9:[ext-host:eth0].outer.ip4.id`) matches nothing in the others.
 */
/**
 * instance.inject, with an input error the model raised about the packet (it sees the packet, never
 * the file it came from: e.g. a link type it cannot take) completed with the input's file.
 */
function injectNamingFile(instance: ModelInstance, inj: Injectable, input: InputSpec): Injection {
  try {
    return instance.inject(inj.packet, inj.at);
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    const moved = injectionPointError(e, input);
    if (moved) throw moved;
    throw e.where.file === undefined ? e.inFile(input.file) : e;
  }
}

function noteUnusedCaseMasks(comparisons: readonly GoldenComparison[], spec: CaseSpec, opts: CaseRunOptions): void {
  const compared = comparisons.filter((c) => c.diff);
  if (!compared.length) return;
  const first = compared[0];
  const rules = maskRules([first.kind], spec, opts, []);
  for (const rule of rules.filter((r) => r.origin === 'case')) {
    const used = compared.some((c) => c.diff!.masks.some((u) => u.origin === 'case' && u.path === rule.path.text && u.fields > 0));
    const note = unusedMaskNote(rule, rules);
    if (!used && !first.diff!.notes.includes(note)) first.diff!.notes.push(note);
  }
}

/** The frames of each capture golden on disk: all of them, and those its comparison uses (packets:). */
async function captureGoldenFrames(goldens: readonly GoldenSpec[], updating: boolean): Promise<Map<GoldenSpec, { all: Packet[]; compared: Packet[] }>> {
  const out = new Map<GoldenSpec, { all: Packet[]; compared: Packet[] }>();
  for (const g of goldens) {
    if (g.kind !== 'capture' || !existsSync(g.file)) continue;
    const all = await readForUpdate(g, updating, () => readCapturePackets(g.file));
    out.set(g, { all, compared: g.packets ? pickPackets(all, g.packets, g.file, g.packetsAt) : all });
  }
  return out;
}

/**
 * Goldens compared together: each capture alone (one interface each); every trace/stages golden in
 * ONE sequence, in case order - the concatenation of their packet traces is what the model's traces
 * are compared with, so bindings span the files (a value captured in the request's trace is required
 * in the response's).
 */
export function goldenGroups(goldens: readonly GoldenSpec[]): GoldenSpec[][] {
  const sequence = goldens.filter((g) => g.kind !== 'capture');
  const groups: GoldenSpec[][] = [];
  for (const g of goldens) {
    if (g.kind === 'capture') groups.push([g]);
    else if (g === sequence[0]) groups.push(sequence);
  }
  return groups;
}

/**
 * The masks of a comparison: runtime masks of the golden kinds first, then the case's own, then each
 * golden's own (scoped to that golden's traces within the sequence).
 */
function maskRules(kinds: readonly SourceKind[], spec: CaseSpec, opts: CaseRunOptions, goldens: ReadonlyArray<{ g: GoldenSpec; first: number; count: number }>): MaskRule[] {
  const runtime = [...new Set(kinds)].flatMap((k) => runtimeMaskRules(k, opts.runtimeMasks));
  const seen = new Set<string>();
  const unique = runtime.filter((r) => !seen.has(r.path.text) && seen.add(r.path.text));
  const own = goldens.flatMap(({ g, first, count }) => (g.masks ?? []).map((m): MaskRule => ({ path: m.path, reason: m.reason, origin: 'golden', scope: { first, count } })));
  return [...unique, ...spec.masks.map((m): MaskRule => ({ path: m.path, reason: m.reason, origin: 'case' })), ...own];
}

function missingNote(g: GoldenSpec, ci: boolean | undefined): string {
  let note = g.evidence === 'conformance'
    ? 'conformance golden missing: it must come from independent evidence (a real trace or capture), --update never invents one'
    : 'snapshot golden missing: run with --update to write it';
  if (g.packets && g.evidence === 'snapshot') note = 'snapshot golden missing: it is compared in part (packets:), which --update never writes';
  if (ci) note += ' (under CI a missing golden is a failure)';
  return note;
}

const LEFT_AS_IS = 'conformance golden left as is: --update rewrites snapshots only, evidence is never overwritten by the model';

async function compareCapture(
  g: GoldenSpec,
  spec: CaseSpec,
  outputs: Packet[],
  dissect: Awaited<ReturnType<typeof dissector>>,
  opts: CaseRunOptions,
  frames: { all: Packet[]; compared: Packet[] } | undefined,
  boundSpans: CompareOptions['boundSpans'],
): Promise<GoldenComparison> {
  const cmp: GoldenComparison = { file: g.file, kind: g.kind, evidence: g.evidence, source: g.source, interface: g.interface, state: 'compared' };
  const modelPackets = outputs.filter((p) => !g.interface || p.meta.interfaceName === g.interface);
  const modelTraces = packetsAsTraces(modelPackets, dissect, g.interface);
  // A golden compared in part (packets:) is never rewritten: the frames left out would be lost.
  const canWrite = opts.update && !opts.ci && g.evidence === 'snapshot' && !g.packets;
  const write = async (before: readonly Packet[]) =>
    updateCaptureGolden(g, modelPackets, before, await captureWriter(g.file, g.interface), (p) => traceLabel(packetsAsTraces([p], dissect)[0]));
  if (!frames) {
    if (canWrite) {
      cmp.updates = [await write([])];
      cmp.state = 'written';
      return cmp;
    }
    cmp.state = 'missing';
    cmp.note = missingNote(g, opts.ci);
    return cmp;
  }
  const goldenTraces = packetsAsTraces(frames.compared, dissect, g.interface);
  if (g.interface) for (const t of goldenTraces) for (const s of t.stages) s.node = g.interface;
  const masks = maskRules(['capture'], spec, opts, [{ g, first: 1, count: goldenTraces.length }]);
  cmp.diff = compareTraces(modelTraces, goldenTraces, { masks, bindings: spec.bindings, dissect, boundSpans, caseMasksJudgedByCaller: true });
  if (canWrite && cmp.diff.diffs.length) {
    cmp.updates = [await write(frames.all)];
    cmp.state = 'written';
  } else if (opts.update && g.evidence === 'conformance' && cmp.diff.diffs.length) cmp.note = LEFT_AS_IS;
  else if (opts.update && g.packets && cmp.diff.diffs.length) cmp.note = 'snapshot golden left as is: it is compared in part (packets:), and rewriting it would lose the other frames';
  return cmp;
}

/** Trace/stages goldens (one or several files) against the model's traces, as one sequence. */
async function compareSequence(
  gs: readonly GoldenSpec[],
  spec: CaseSpec,
  modelTraces: PacketTrace[],
  dissect: Awaited<ReturnType<typeof dissector>>,
  opts: CaseRunOptions,
): Promise<GoldenComparison> {
  const g0 = gs[0];
  const cmp: GoldenComparison = { file: g0.file, kind: g0.kind, evidence: g0.evidence, source: g0.source, state: 'compared' };
  // load-case makes a sequence one kind of evidence, so the first golden speaks for all.
  const canWrite = opts.update && !opts.ci && g0.evidence === 'snapshot';
  const files: Array<ReadGolden | undefined> = [];
  for (const g of gs) files.push(existsSync(g.file) ? await readForUpdate(g, !!opts.update && !opts.ci, () => readGolden(g.file, g.kind)) : undefined);
  const read = files.map((f) => f?.traces);
  const missing = gs.filter((_, i) => !read[i]);
  // --update splits the model's traces over the files by how many each holds; only the last file
  // may be missing then (it takes the rest).
  const writable = canWrite && missing.every((g) => g === gs[gs.length - 1]);
  const writeAll = (): GoldenUpdate[] => {
    refuseDamagedOverwrite(gs.map((g, i) => ({ file: g.file, read: files[i] })));
    let at = 0;
    return gs.map((g, i) => {
      const n = i === gs.length - 1 ? modelTraces.length - at : read[i]!.length;
      const part = modelTraces.slice(at, at + n);
      at += n;
      return updateTextGolden(g, goldenText(g, part));
    });
  };
  if (missing.length) {
    if (writable) {
      cmp.updates = writeAll();
      cmp.state = 'written';
      return cmp;
    }
    cmp.file = missing[0].file;
    cmp.state = 'missing';
    cmp.note = missingNote(missing[0], opts.ci);
    if (canWrite) cmp.note = `snapshot golden missing: --update can write a missing file only as the last of a golden sequence (it does not know how many traces the earlier files hold)`;
    return cmp;
  }
  // Read without stage packets (sources.ts readTraces): built for this comparison only.
  const goldenTraces = read.flatMap((t) => t!).map(withStagePackets);
  let first = 1;
  const parts = gs.map((g, i) => {
    const part = { file: g.file, source: g.source, firstTrace: first, traces: read[i]!.length };
    first += part.traces;
    return part;
  });
  if (gs.length > 1) cmp.parts = parts;
  const masks = maskRules(gs.map((g) => g.kind), spec, opts, gs.map((g, i) => ({ g, first: parts[i].firstTrace, count: parts[i].traces })));
  cmp.diff = compareTraces(modelTraces, goldenTraces, { masks, bindings: spec.bindings, dissect, caseMasksJudgedByCaller: true });
  if (canWrite && cmp.diff.diffs.length) {
    cmp.updates = writeAll();
    cmp.state = 'written';
  } else if (opts.update && g0.evidence === 'conformance' && cmp.diff.diffs.length) cmp.note = LEFT_AS_IS;
  return cmp;
}

/** Status and counters from the comparisons. */
function finish(r: CaseResult, ciMode: boolean): void {
  for (const c of r.comparisons) if (c.diff) r.counters = addCounters(r.counters, c.diff.counters);
  if (r.errors.length) {
    r.status = 'error';
    return;
  }
  const failing = r.comparisons.filter((c) => c.state === 'compared' && c.diff && c.diff.diffs.length);
  const missing = r.comparisons.filter((c) => c.state === 'missing');
  if (failing.length) {
    r.status = 'failed';
    r.summary = failing[0].diff!.divergences[0]?.summary;
  } else if (missing.length && ciMode) {
    r.status = 'failed';
    r.summary = missing[0].note;
  } else if (missing.length) {
    r.status = 'skipped';
    r.skipReason = missing[0].note;
  }
}
