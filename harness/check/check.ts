// `dpconform check`: a model against captures of the real dataplane, at every captured device.
//
// Packets that edge devices transmitted (the VM's port, the external host) are the inputs: they are
// replayed through ONE model instance in timestamp order. Everything the model then predicts on a
// captured device must be in that device's capture (matched by flow after translation, see
// flow-key.ts) and equal field by field; everything captured must have been predicted. The first
// divergence names the device, the model stage that produced the packet and the field.

import type { DataplaneModel, Injection, ModelInstance } from '../model.js';
import type { Packet } from '../wire/packet.js';
import type { PacketTrace } from '../stage.js';
import { macToString } from '../wire/address.js';
import { InputError } from '../io/input-error.js';
import { readCaptureAll } from '../io/capture.js';
import { requireEthernet } from '../io/require-ethernet.js';
import { withoutFcs } from '../io/without-fcs.js';
import { flowKey, ipId } from './flow-key.js';
import { CapturedByFlow, capturedRef, type Captured } from './captured-index.js';
import { deviceName, isOutputOwner, outputDevices } from './output-devices.js';
import { compareFrames, type FieldDiff } from './compare.js';
import { Bindings, boundValueText, isBindingAware } from './bindings.js';
import { isDeviceAware, requireKnownDevices } from './known-devices.js';
import { requireEachOnce } from './each-once.js';
import { requireOneInterface } from './one-interface.js';
import { requireEdgeMacSeen } from './edge-mac-seen.js';
import { CaptureFeed, ETHERNET_ONLY } from './capture-feed.js';
import { inputsToTrace, isTraceSwitchable, type TraceSwitchable } from './trace-plan.js';
import { packetLabel } from './packet-label.js';
import { checksumText } from '../diff/values.js';
import { counted } from '../report/plural.js';

export interface CaptureSpec {
  /** Dataplane instance (namespace, host) the capture was taken in. */
  node: string;
  /** Device name inside it. */
  iface: string;
  file: string;
}

/** A device whose transmitted frames are inputs; `mac` tells transmitted from received frames. */
export interface EdgeDevice {
  node: string;
  iface: string;
  mac: string;
}

/** Models whose instances know their edges implement this; otherwise pass edges explicitly. */
export interface EdgeAware {
  edges(): EdgeDevice[];
}

export interface CheckOptions {
  model: DataplaneModel;
  scenario: string;
  captures: CaptureSpec[];
  edges?: EdgeDevice[];
  /**
   * Read the captures as they are replayed instead of whole (ns): a frame is looked for among those
   * captured up to `window` after the input that caused it, and one captured more than `window`
   * before the input being replayed that nothing predicted is reported then and let go. Memory is
   * what a window of traffic holds; every capture must be in time order.
   */
  window?: bigint;
}

export interface Divergence {
  /** binding: a value bound from the capture breaks what the model knows of it (`binding`). */
  kind: 'field' | 'missing' | 'unexpected' | 'binding';
  device: string;
  /** The model stage that produced the predicted packet (its output's meta.comment). */
  stage?: string;
  diff?: FieldDiff;
  /** The refused binding: its name, the captured value and why it was refused. */
  binding?: { id: string; value: number[]; reason: string };
  /** The capture frame involved (file:frame). */
  captured?: string;
  /** The input that caused the prediction (file:frame). */
  input?: string;
  /** The packet as diff names it (`SYN 10.1.1.3:51082 -> 10.96.0.1:80`); absent when it names none. */
  label?: string;
  /** The flow key check matched the packet by (flow-key.ts): text shows it only for a packet without label. */
  key: string;
  /** For ordering: timestamp of the input (or of the unexpected capture). */
  time: bigint;
  /** For ordering within one input: where the responsible stage is in the model's traces (cause first). */
  pos: number;
}

/**
 * MATCH: every prediction at a captured device was captured and equal, every captured frame
 * predicted. INCONCLUSIVE: no divergence, but the model's frames all left by devices nobody captured
 * (nothing it predicted was compared). DIVERGED: a divergence.
 */
export type Verdict = 'MATCH' | 'DIVERGED' | 'INCONCLUSIVE';

export interface CheckResult {
  verdict: Verdict;
  inputs: number;
  predicted: number;
  matched: number;
  captured: number;
  devices: string[];
  /** Devices the model sent frames out of that no capture covers (nor its link peer's), with how many frames. */
  uncaptured: { device: string; predicted: number }[];
  divergences: Divergence[];
  /** Values the model could not predict, bound from the first capture that showed them. */
  bound: { id: string; value: number[]; captured: string }[];
  /** What the model assumed where the dataplane's source leaves the outcome open (ModelInstance.assumptions). */
  assumptions: string[];
}


/**
 * A model that can switch tracing off is replayed untraced, and again tracing only around the inputs
 * that diverged if any did (trace-plan.ts), up to the last of them: the second replay's divergences
 * are the first's in the same order (same state), with the stages a fully traced replay names.
 */
export async function runCheck(opts: CheckOptions): Promise<CheckResult> {
  const instance: ModelInstance = await opts.model.instantiate(opts.scenario);
  if (!isTraceSwitchable(instance)) return sorted((await checkPass(opts, instance)).result!);
  const untraced = await checkPass(opts, instance, { model: instance, traced: () => false, giveUp: true });
  // Most inputs diverging: the second replay would trace nearly all of them, so it traces all of them alone.
  if (!untraced.result) return sorted((await checkPass(opts, await opts.model.instantiate(opts.scenario))).result!);
  const result = untraced.result;
  if (!untraced.found.length) return sorted(result);
  const inputs = untraced.found.map((f) => f.input);
  const traced = inputsToTrace(inputs, RECENT_INPUTS - 1);
  const again = (await opts.model.instantiate(opts.scenario)) as ModelInstance & TraceSwitchable;
  const named = (await checkPass(opts, again, { model: again, traced: (i) => traced.has(i), until: inputs[inputs.length - 1] })).found;
  for (const [k, { divergence: d }] of untraced.found.entries()) {
    const n = named[k]?.divergence;
    if (!n || n.kind !== d.kind || n.device !== d.device || n.key !== d.key || n.input !== d.input) throw new Error(`model ${opts.model.name}: a second replay of the same inputs diverged elsewhere (the model is not deterministic)`);
    d.stage = n.stage;
    d.pos = n.pos;
  }
  return sorted(result);
}

/** Which inputs (by replay position) a pass traces, on an instance that switches tracing. */
interface PassTracing {
  model: TraceSwitchable;
  traced(input: number): boolean;
  /** The last input to replay: the pass stops there (no result then, only what it found). */
  until?: number;
  /** Stop (no result) once a quarter of the inputs replayed, at least GIVE_UP_AFTER of them, diverged. */
  giveUp?: boolean;
}

/** How many inputs an untraced replay sees before it may give up (a burst of divergences at the start is no pattern). */
const GIVE_UP_AFTER = 1024;

/** A divergence in what an input predicted (its stage named from the traces), and the input's replay position. */
interface Found {
  divergence: Divergence;
  input: number;
}

/**
 * One replay of every input through `instance`, matched against the captures (divergences in the
 * order found); `found` holds those of the predictions, in that order.
 */
async function checkPass(opts: CheckOptions, instance: ModelInstance, tracing?: PassTracing): Promise<{ result?: CheckResult; found: Found[] }> {
  const feeds = opts.window === undefined ? [] : opts.captures.map((spec) => new CaptureFeed(spec.file, deviceName(spec.node, spec.iface)));
  try {
    return await checkPassOver(opts, instance, feeds, tracing);
  } finally {
    // A pass that ends early (a bad frame in another capture, a traced pass done at its last
    // divergence, an untraced one giving up) leaves the other captures' readers open otherwise.
    for (const f of feeds) await f.close();
  }
}

/** checkPass over `feeds` (--window: the captures read batch by batch; none without). */
async function checkPassOver(opts: CheckOptions, instance: ModelInstance, feeds: CaptureFeed[], tracing?: PassTracing): Promise<{ result?: CheckResult; found: Found[] }> {
  const edges = opts.edges ?? ((instance as Partial<EdgeAware>).edges ? (instance as unknown as EdgeAware).edges() : undefined);
  if (!edges?.length) throw new InputError(noEdgesMessage(opts.model.name, opts.captures), {}, 'check.edges');
  requireEachOnce(opts.captures, opts.edges);
  if (isDeviceAware(instance)) {
    requireKnownDevices(instance, opts.scenario, [
      ...opts.captures.map((c) => ({ option: '--capture', text: `${c.node}:${c.iface}=${c.file}`, node: c.node, iface: c.iface })),
      ...(opts.edges ?? []).map((e) => ({ option: '--edge', text: `${e.node}:${e.iface}@${e.mac}`, node: e.node, iface: e.iface })),
    ]);
  }

  const indexed = new Map<string, CapturedByFlow>();
  /** Inputs read and not yet replayed, in replay order from `next` on. */
  let pending: Input[] = [];
  let next = 0;
  let end: bigint | undefined;
  /** Take a capture's frames: held for matching, and those its edge sent queued as inputs. */
  const take = (spec: CaptureSpec, at: number, packets: Packet[], edge: EdgeDevice | undefined): void => {
    const device = deviceName(spec.node, spec.iface);
    const index = indexed.get(device)!;
    for (const p of packets) {
      const c: Captured = { packet: p, device, file: spec.file, matched: false };
      index.add(flowKey(p), c);
      const t = p.meta.timestampNs;
      if (t !== undefined && (end === undefined || t > end)) end = t;
      if (!edge) continue;
      if (t === undefined) throw new InputError('packet without timestamp', { file: spec.file, packet: p.meta.frame }, 'check.capture');
      if (p.data.length >= 12 && macToString(p.data, 6) === edge.mac) {
        pending.push({ c, edge, at, pos: index.count });
        c.matched = true; // an input explains itself
      }
    }
  };
  const edgeOf = (spec: CaptureSpec) => edges.find((e) => e.node === spec.node && e.iface === spec.iface);
  for (const spec of opts.captures) indexed.set(deviceName(spec.node, spec.iface), new CapturedByFlow());
  if (opts.window === undefined) {
    for (const [at, spec] of opts.captures.entries()) {
      const device = deviceName(spec.node, spec.iface);
      // Compared with, and injected into, a model, whose frames carry no FCS.
      const packets = (await readCaptureAll(spec.file)).map(withoutFcs);
      for (const p of packets) requireEthernet(p, spec.file, ETHERNET_ONLY);
      requireOneInterface(packets, spec.file, device);
      const edge = edgeOf(spec);
      if (edge && opts.edges) requireEdgeMacSeen(edge, packets, spec.file);
      take(spec, at, packets, edge);
    }
    if (!pending.length) throw noInputs(edges, opts.captures);
    pending.sort(replayOrder);
  }
  /**
   * With a window: read every capture up to `window` past the next input (what it causes is
   * captured by then), so the earliest input read is the earliest of all. Undefined at the end.
   */
  const nextInput = async (): Promise<Input | undefined> => {
    if (opts.window !== undefined) {
      for (;;) {
        if (next > 1024 && next * 2 > pending.length) {
          pending = pending.slice(next);
          next = 0;
        }
        const t = next < pending.length ? pending[next].c.packet.meta.timestampNs! : undefined;
        const at = feeds.findIndex((f) => !f.done && (t === undefined || f.last === undefined || f.last <= t + opts.window!));
        if (at < 0) break;
        const before = pending.length;
        take(opts.captures[at], at, await feeds[at].next(), edgeOf(opts.captures[at]));
        if (pending.length > before) pending = pending.slice(0, next).concat(pending.slice(next).sort(replayOrder));
      }
    }
    return next < pending.length ? pending[next++] : undefined;
  };

  const divergences: Divergence[] = [];
  const bindings = new Bindings(isBindingAware(instance) ? instance : undefined);
  const bound: CheckResult['bound'] = [];
  /** The traces of the last inputs: a packet queued for ARP leaves with a later input. */
  const recent: PacketTrace[][] = [];
  let predicted = 0;
  let matched = 0;
  /** Frames the model sent out of a device no capture covers, by that device. */
  const uncaptured = new Map<string, number>();
  /** Match what one injection predicted against the captures; `c` is its input (none after the last). */
  const devicesOf = outputDevices(instance);
  /** The traces of the instance that sent `out` (all of them when the model does not say). */
  const sentBy = (traces: PacketTrace[], out: Packet): PacketTrace[] => {
    if (!isOutputOwner(instance)) return traces;
    const node = instance.instanceOf(out);
    return traces.filter((t) => instance.instanceOf(t) === node);
  };
  /** Inputs replayed so far: the position of the one being matched. */
  let replayed = 0;
  const found: Found[] = [];
  let divergedInputs = 0;
  /** Whether the model traces now: switched only when the next input wants otherwise. */
  let tracingOn: boolean | undefined;
  const traceFor = (input: number): void => {
    const on = tracing!.traced(input);
    if (on !== tracingOn) tracing!.model.setTracing((tracingOn = on));
  };
  const match = (inj: Injection, time: bigint, ref: string, c?: Captured): void => {
    const before = divergences.length;
    matchOutputs(inj, time, ref, c);
    for (let k = before; k < divergences.length; k++) found.push({ divergence: divergences[k], input: replayed });
  };
  const matchOutputs = (inj: Injection, time: bigint, ref: string, c?: Captured): void => {
    recent.push(inj.traces);
    if (recent.length > RECENT_INPUTS) recent.shift();
    for (const raw of inj.outputs) {
      const seenOn = devicesOf(raw);
      // Seen on no captured device (its own nor its link peer's): named, since nothing compared it.
      if (seenOn.length && !seenOn.some((d) => indexed.has(d))) uncaptured.set(seenOn[0], (uncaptured.get(seenOn[0]) ?? 0) + 1);
      for (const device of seenOn) matchOutput(inj, raw, device, time, ref, c);
    }
  };
  const matchOutput = (inj: Injection, raw: Packet, device: string, time: bigint, ref: string, c?: Captured): void => {
    const index = indexed.get(device);
    if (!index) return; // a device nobody captured
    const { out, unbound } = bindings.apply(raw);
    if (c && device === c.device && flowKey(out) === flowKey(c.packet) && !compareFrames(out, c.packet)) return; // the input itself
    predicted++;
    const key = flowKey(out);
    const best = index.best(key, ipId(out));
    if (!best) {
      divergences.push({ kind: 'missing', device, stage: out.meta.comment, input: ref, ...labelled(out), key, time, pos: stagePos(inj.traces, out.meta.comment) });
      return;
    }
    best.matched = true;
    for (const l of bindings.learn(unbound, best.packet)) {
      const value = [...bindings.values.get(l.id)!];
      bound.push({ id: l.id, value, captured: capturedRef(best) });
      if (l.refused) divergences.push({ kind: 'binding', device, stage: out.meta.comment, binding: { id: l.id, value, reason: l.refused }, captured: capturedRef(best), input: ref, ...labelled(out), key, time, pos: stagePos(inj.traces, out.meta.comment) });
    }
    const diff = compareFrames(out, best.packet);
    if (diff) {
      const setBy = stageThatSet(inj.traces, diff.field, diff.model) ?? setEarlier(recent, diff.field, diff.model);
      const stage = setBy?.node ?? out.meta.comment ?? lastShowing(sentBy(inj.traces, raw), diff.field, diff.model);
      divergences.push({ kind: 'field', device, stage, diff, captured: capturedRef(best), input: ref, ...labelled(best.packet), key, time, pos: setBy?.pos ?? stagePos(inj.traces, stage) });
    }
    else matched++;
  };
  let last: Input | undefined;
  for (let input = await nextInput(); input; input = await nextInput()) {
    const { c, edge } = input;
    const time = c.packet.meta.timestampNs!;
    if (tracing) traceFor(replayed);
    match(instance.inject(c.packet, { instance: edge.node, interface: edge.iface }), time, capturedRef(c), c);
    if (tracing?.until === replayed) return { found };
    if (found.length && found[found.length - 1].input === replayed) divergedInputs++;
    replayed++;
    if (tracing?.giveUp && replayed >= GIVE_UP_AFTER && divergedInputs * 4 > replayed) return { found };
    last = input;
    // Frames older than the window can no longer be predicted: reported now if unmatched, and let go.
    if (opts.window !== undefined) for (const [device, index] of indexed) index.evictBefore(time - opts.window, (x) => divergences.push(unexpected(device, x)));
  }
  if (opts.window !== undefined) {
    if (!last) throw noInputs(edges, opts.captures);
    if (opts.edges) for (const [at, spec] of opts.captures.entries()) {
      const edge = edgeOf(spec);
      if (edge) feeds[at].macs.require(edge, spec.file);
    }
  }
  // The model's timers still pending after the last input run to the end of the capture (its last
  // frame on any device): what the dataplane did after its last input is in the capture up to there.
  if (instance.finish) {
    if (tracing) traceFor(replayed);
    match(instance.finish(end), end ?? last!.c.packet.meta.timestampNs!, AFTER_LAST_INPUT);
  }
  let captured = 0;
  for (const [device, index] of indexed) {
    captured += index.count;
    for (const x of index.held()) if (!x.matched) divergences.push(unexpected(device, x));
  }
  const notCaptured = [...uncaptured].map(([device, n]) => ({ device, predicted: n }));
  const verdict: Verdict = divergences.length ? 'DIVERGED' : predicted === 0 && notCaptured.length ? 'INCONCLUSIVE' : 'MATCH';
  return { result: { verdict, inputs: replayed, predicted, matched, captured, devices: [...indexed.keys()], uncaptured: notCaptured, divergences, bound, assumptions: instance.assumptions?.() ?? [] }, found };
}

/** The result with its divergences in time order, cause first within an input. */
function sorted(r: CheckResult): CheckResult {
  r.divergences.sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : a.pos - b.pos));
  return r;
}

/** An input: a frame an edge sent, from capture `at` (its order on the command line), the `pos`th frame of its device. */
interface Input {
  c: Captured;
  edge: EdgeDevice;
  at: number;
  pos: number;
}

/** Inputs by time; at equal times in command-line order, then capture order (a stable sort of them read capture by capture). */
function replayOrder(x: Input, y: Input): number {
  const a = x.c.packet.meta.timestampNs!;
  const b = y.c.packet.meta.timestampNs!;
  return a < b ? -1 : a > b ? 1 : x.at - y.at || x.pos - y.pos;
}

function noInputs(edges: EdgeDevice[], captures: CaptureSpec[]): InputError {
  const known = edges.map((e) => `${deviceName(e.node, e.iface)} ${e.mac}`).join(', ');
  const given = captures.map((c) => deviceName(c.node, c.iface)).join(', ');
  return new InputError(`no captured packet was sent by an edge device (edges: ${known}; captured: ${given}): nothing to replay`, {}, 'check.inputs');
}

function unexpected(device: string, x: Captured): Divergence {
  return { kind: 'unexpected', device, captured: capturedRef(x), ...labelled(x.packet), key: flowKey(x.packet), time: x.packet.meta.timestampNs ?? 0n, pos: Number.MAX_SAFE_INTEGER };
}

/** `label` of a divergence's packet, when diff names it (packet-label.ts). */
function labelled(p: Packet): { label?: string } {
  const label = packetLabel(p);
  return label === undefined ? {} : { label };
}

/**
 * The model stage that gave `field` its predicted value: the last stage whose record shows the value
 * changing to it (stage fields use the dissector's names: ip4.src, udp.checksum, inner.ip4.dst).
 */
export function stageThatSet(traces: PacketTrace[], field: string, value: unknown): { node: string; pos: number } | undefined {
  let found: { node: string; pos: number } | undefined;
  let pos = 0;
  for (const t of traces) {
    for (let i = 0; i < t.stages.length; i++, pos++) {
      if (i === 0) continue;
      const before = t.stages[i - 1].fields[field];
      const after = t.stages[i].fields[field];
      if (before !== undefined && after === value && before !== after) found = { node: t.stages[i].node, pos };
    }
  }
  return found;
}

/**
 * A model that cannot name its edges leaves them to the command line: which option, in which form,
 * for which of the captured devices (a source MAC only the capture shows, so it is not guessed).
 */
function noEdgesMessage(model: string, captures: CaptureSpec[]): string {
  const devices = captures.map((c) => deviceName(c.node, c.iface)).join(', ');
  return `model ${model} does not say which devices are edges; pass --edge NODE:IF@MAC for each captured device whose transmitted frames are the inputs (NODE:IF one of ${devices}; MAC the source MAC of the frames the pod or host sent there)`;
}

/** The `input` of a divergence in what the model's timers did after the last input. */
export const AFTER_LAST_INPUT = 'timers after the last input';

/** How many inputs back a field's setter is looked for (see setEarlier). */
const RECENT_INPUTS = 32;

/**
 * When no stage of this input's traces set the field, the packet was processed by an earlier input
 * and held (queued until ARP resolved, then sent when the reply came): the setter is in the most
 * recent earlier traces that show the value being set. It sorts before this input's own stages.
 */
function setEarlier(recent: PacketTrace[][], field: string, value: unknown): { node: string; pos: number } | undefined {
  for (let i = recent.length - 2; i >= 0; i--) {
    const s = stageThatSet(recent[i], field, value);
    if (s) return { node: s.node, pos: -1 };
  }
  return undefined;
}

/**
 * For a model whose outputs name no producing stage (VPP's: meta.comment unset) when no stage set the
 * field: the last stage whose record shows it with the predicted value - where the model's value was
 * last seen before the frame left (a TTL not decremented: the tx node's record still shows 64).
 */
function lastShowing(traces: PacketTrace[], field: string, value: unknown): string | undefined {
  let found: string | undefined;
  for (const t of traces) for (const s of t.stages) if (s.fields[field] === value) found = s.node;
  return found;
}

/** Position of the last stage called `node` in the traces (flattened), for ordering. */
function stagePos(traces: PacketTrace[], node: string | undefined): number {
  let pos = 0;
  let found = Number.MAX_SAFE_INTEGER - 1;
  for (const t of traces) for (const s of t.stages) {
    if (s.node === node) found = pos;
    pos++;
  }
  return found;
}

/** The packet of a divergence in text: its label, or its flow key when diff names it not (check's identity). */
const packetText = (d: Divergence): string => d.label ?? d.key;

/** A compared field's value in text: a checksum as 0x%04x (as diff, run, inspect and VPP show it), else as JSON. */
function fieldText(v: FieldDiff['model'], field: string): string {
  return checksumText(v, field) ?? JSON.stringify(v);
}

export function describeDivergence(d: Divergence): string {
  const where = `${d.device}${d.stage ? ` (stage ${d.stage})` : ''}`;
  // A field or binding names its frame by file:frame already: the label only adds what it is.
  const what = d.label ? `${d.label}: ` : '';
  if (d.kind === 'field') {
    return `${where}: ${what}field ${d.diff!.field}: model ${fieldText(d.diff!.model, d.diff!.field)}, captured ${fieldText(d.diff!.captured, d.diff!.field)} [captured ${d.captured}, input ${d.input}]`;
  }
  if (d.kind === 'binding') return `${where}: ${what}binding ${d.binding!.id} = ${boundValueText(d.binding!.value)} refused: ${d.binding!.reason} [captured ${d.captured}, input ${d.input}]`;
  if (d.kind === 'missing') return `${where}: the model sends a packet (${packetText(d)}) that the capture does not have [input ${d.input}]`;
  return `${where}: captured packet (${packetText(d)}) that the model does not predict [${d.captured}]`;
}

/** What the model sent out of devices nobody captured: `3 predicted at k8s-master:tap4, not captured`. */
function uncapturedLines(r: CheckResult): string[] {
  return r.uncaptured.map((u) => `check: ${u.predicted} predicted at ${u.device}, not captured`);
}

export function formatCheck(r: CheckResult): string[] {
  const lines = [`check: ${counted(r.inputs, 'input packet')} replayed, ${r.predicted} predicted at ${counted(r.devices.length, 'captured device')}, ${r.matched} matched field by field, ${r.captured} captured`];
  for (const b of r.bound) lines.push(`check: bound ${b.id} = ${boundValueText(b.value)} (from ${b.captured})`);
  lines.push(...uncapturedLines(r));
  for (const a of r.assumptions) lines.push(`check: note: ${a}`);
  if (r.verdict === 'INCONCLUSIVE') {
    lines.push('check: INCONCLUSIVE: nothing compared (every frame the model predicts leaves by a device not captured; capture it)');
    return lines;
  }
  if (r.verdict === 'MATCH') {
    lines.push(r.uncaptured.length ? 'check: MATCH at the captured devices: every captured packet predicted, every prediction there captured' : 'check: MATCH: every captured packet predicted, every prediction captured');
    return lines;
  }
  lines.push(`check: DIVERGED (${r.divergences.length}); first: ${describeDivergence(r.divergences[0])}`);
  for (const d of r.divergences.slice(1, 20)) lines.push(`  then: ${describeDivergence(d)}`);
  if (r.divergences.length > 20) lines.push(`  ... ${r.divergences.length - 20} more`);
  return lines;
}
