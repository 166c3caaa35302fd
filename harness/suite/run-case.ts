// One case: build the model from its scenario, replay every input through ONE instance (sessions
// persist), compare what came out against each golden, and update snapshot goldens when asked.

import { existsSync } from 'node:fs';
import type { DataplaneModel } from '../model.js';
import type { PacketTrace } from '../stage.js';
import type { Packet } from '../wire/packet.js';
import { InputError } from '../io/input-error.js';
import { compareTraces } from '../diff/compare.js';
import { packetsAsTraces } from '../diff/packet-stages.js';
import { addCounters, emptyCounters } from '../diff/types.js';
import type { CaseSpec, GoldenSpec } from './case-spec.js';
import { readCapturePackets, readInputPackets, readTraces } from './sources.js';
import { captureWriter, dissector } from './peers.js';
import { traceLabel } from '../diff/label.js';
import { goldenText, updateCaptureGolden, updateTextGolden } from './golden-write.js';
import type { CaseResult, ErrorRecord, GoldenComparison } from './result.js';

export interface CaseRunOptions {
  update?: boolean;
  ci?: boolean;
  resolveModel: (name: string) => Promise<DataplaneModel>;
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
  try {
    const model = await opts.resolveModel(spec.model).catch((e) => {
      throw e instanceof InputError ? new InputError(e.reason, { file: spec.file, key: 'model' }, e.code) : e;
    });
    const instance = await model.instantiate(spec.scenario ?? '');
    const traces: PacketTrace[] = [];
    const outputs: Packet[] = [];
    for (const input of spec.inputs) {
      for (const inj of await readInputPackets(input)) {
        const r = instance.inject(inj.packet, inj.at);
        traces.push(...r.traces);
        outputs.push(...r.outputs);
      }
    }
    const dissect = await dissector();
    for (const g of spec.goldens) result.comparisons.push(await compareGolden(g, spec, traces, outputs, dissect, opts));
  } catch (e) {
    result.errors.push(errorRecord(e));
  }
  finish(result, !!opts.ci);
  result.durationMs = performance.now() - t0;
  return result;
}

async function compareGolden(
  g: GoldenSpec,
  spec: CaseSpec,
  traces: PacketTrace[],
  outputs: Packet[],
  dissect: Awaited<ReturnType<typeof dissector>>,
  opts: CaseRunOptions,
): Promise<GoldenComparison> {
  const cmp: GoldenComparison = { file: g.file, kind: g.kind, evidence: g.evidence, source: g.source, interface: g.interface, state: 'compared' };
  const modelPackets = outputs.filter((p) => !g.interface || p.meta.interfaceName === g.interface);
  const modelTraces = g.kind === 'capture' ? packetsAsTraces(modelPackets, dissect, g.interface) : traces;
  const exists = existsSync(g.file);
  const canWrite = opts.update && !opts.ci && g.evidence === 'snapshot';
  const write = async (before: readonly Packet[]) => g.kind === 'capture'
    ? updateCaptureGolden(g, modelPackets, before, await captureWriter(g.file, g.interface), (p) => traceLabel(packetsAsTraces([p], dissect)[0]))
    : updateTextGolden(g, goldenText(g, modelTraces));
  if (!exists) {
    if (canWrite) {
      cmp.update = await write([]);
      cmp.state = 'written';
      return cmp;
    }
    cmp.state = 'missing';
    cmp.note = g.evidence === 'conformance'
      ? 'conformance golden missing: it must come from independent evidence (a real trace or capture), --update never invents one'
      : 'snapshot golden missing: run with --update to write it';
    if (opts.ci) cmp.note += ' (under CI a missing golden is a failure)';
    return cmp;
  }
  const goldenPackets = g.kind === 'capture' ? await readCapturePackets(g.file) : [];
  const goldenTraces = g.kind === 'capture' ? packetsAsTraces(goldenPackets, dissect, g.interface) : await readTraces(g.file, g.kind);
  if (g.kind === 'capture' && g.interface) for (const t of goldenTraces) for (const s of t.stages) s.node = g.interface;
  cmp.diff = compareTraces(modelTraces, goldenTraces, {
    masks: spec.masks.map((m) => m.path),
    bindings: spec.bindings,
    dissect,
  });
  if (canWrite && cmp.diff.diffs.length) {
    cmp.update = await write(goldenPackets);
    cmp.state = 'written';
  } else if (opts.update && g.evidence === 'conformance' && cmp.diff.diffs.length) {
    cmp.note = 'conformance golden left as is: --update rewrites snapshots only, evidence is never overwritten by the model';
  }
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
