// `dpconform replay`: packets through a model scenario, out as VPP `show trace` text, JSON stage
// records, or pcapng of the transmitted frames.
//   dpconform replay --scenario S --input FILE [--instance NAME] [--interface NAME] [--node NAME]
//                    [--packets 1,2] [--format vpp|json|pcap] [-o OUT]
//   ... | dpconform replay --scenario S --input - ...      (the capture or trace on stdin)
//   dpconform replay --case DIR [--format ...] [-o OUT]
// FILE is a pcap/pcapng or VPP trace text, told by its name as diff tells it, else by its magic
// (the frame entering each packet trace's first node is rebuilt from its records). A case replays its scenario and inputs, in order, through
// one instance. Bad input is one line naming file/packet/line/key, exit 2, and no output. A capture is
// read twice, never held: checked whole first (scanCapture), then replayed batch by batch; on stdin
// it is spooled to an unlinked temporary file. Library: models/vpp/replay.ts.

import { readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { InputError } from '../io/input-error.js';
import { rejectDirectory } from '../io/not-a-directory.js';
import { refuseOutputOverInput } from '../io/output-over-input.js';
import { scenarioFiles } from '../scenario/extends-chain.js';
import { refuseFolderOutput } from '../io/output-not-a-folder.js';
import { OUTPUT_SINK_OPTIONS, outputTarget, refuseBinaryToTerminal } from '../io/output-target.js';
import { ByteSink } from '../io/stream-sink.js';
import { requireEthernet } from '../io/require-ethernet.js';
import { inputName } from '../io/read-handle.js';
import { readStdinHead } from '../io/stdin-head.js';
import { readableOnlyOnce } from '../io/read-twice.js';
import { spoolToFile } from '../io/spool-file.js';
import { detectCaptureFormat } from '../io/capture.js';
import type { InjectionPoint } from '../model.js';
import { kindFromExtension, loadCase } from '../suite/load-case.js';
import { pickPackets, readInputPackets } from '../suite/sources.js';
import type { StatedAt } from '../suite/case-spec.js';
import { guarded } from './guard.js';
import type { TraceWarning } from '../vpp-trace/trace-file.js';
import { WarningPrinter } from '../vpp-trace/warning-line.js';
import { VERBOSE_OPTION, type VerboseOption, warningsListed } from './verbose-option.js';
import type { VppInstance } from '../../models/vpp/index.js';
import type { CaptureInput, CaptureScan, ReplayInput } from '../../models/vpp/replay.js';
import type { OutputPiece, ReplayFormat } from '../../models/vpp/replay-output.js';
import type { InputSpec } from '../suite/case-spec.js';
import { atCaseInput } from '../suite/injection-point-error.js';

export interface ReplayOptions {
  scenario?: string;
  input?: string;
  case?: string;
  instance?: string;
  interface?: string;
  node?: string;
  packets?: string;
  format: string;
  output?: string;
  /** Every trace warning listed (verbose-option.ts). */
  verbose?: boolean;
}

const FORMATS = ['vpp', 'json', 'pcap'];

/** Options a case folder answers itself. */
const CASE_OWNED = ['scenario', 'input', 'instance', 'interface', 'node', 'packets'] as const;

function usage(reason: string, key: string): InputError {
  return new InputError(reason, { key }, 'replay.usage');
}

/** Most numbers --packets may name (ranges expanded): a list beyond it is a typo (`1-10000000000`), not a selection. */
const MAX_PICKED = 1 << 24;

/**
 * --packets: numbers and ranges (`1,3-5`), each packet once. A number listed twice replayed the
 * packet twice, both outputs labelled with the same number. Returned in increasing order, the
 * order of the file, whatever order they were listed in: a selection, as editcap's or tshark's
 * frame selection keeps capture order; `3,1` replayed 3 before 1 (a response before its request
 * through NAT and ACL state, and pcapng times going backwards). A case's `packets:` keeps its own
 * order (load-case.ts: a retransmission may be replayed again).
 */
function packetList(text: string | undefined): number[] | undefined {
  if (text === undefined) return undefined;
  const bad = () => usage(`--packets takes 1-based packet numbers and ranges separated by commas (e.g. 1,3-5), not '${text}'`, 'packets');
  const seen = new Set<number>();
  for (const part of text.split(',')) {
    const m = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(part);
    if (!m) throw bad();
    const from = Number(m[1]);
    const to = m[2] === undefined ? from : Number(m[2]);
    if (from < 1 || !Number.isSafeInteger(to)) throw bad();
    if (to < from) throw usage(`--packets range ${from}-${to} runs backwards: write ${to}-${from}`, 'packets');
    if (seen.size + (to - from + 1) > MAX_PICKED) throw usage(`--packets names more than ${MAX_PICKED} packets ('${text}')`, 'packets');
    for (let n = from; n <= to; n++) {
      if (seen.has(n)) throw usage(`--packets lists packet ${n} twice ('${text}'): each packet is replayed once`, 'packets');
      seen.add(n);
    }
  }
  return [...seen].sort((a, b) => a - b);
}

/** A capture's frames enter the VPP model's input nodes, which take Ethernet. */
function requireEthernetFrames(scan: CaptureScan, file: string): void {
  const bad = scan.notEthernet;
  if (bad) requireEthernet({ data: NO_BYTES, meta: { linkType: bad.linkType, frame: bad.frame } }, file, 'the VPP model takes Ethernet frames');
}

const NO_BYTES = new Uint8Array(0);

/**
 * A capture's frames enter at the interface its pcapng IDB names (if_name) unless --interface says
 * otherwise. A name the instance lacks, or none (a classic pcap), was reported against the scenario
 * file ("instance X has no interface 'eth0'"), as if the scenario were wrong.
 */
function requireCaptureInterfaces(scan: CaptureScan, inst: VppInstance, instance: string | undefined, file: string): void {
  const vm = inst.vm(instance);
  for (const [name, frame] of scan.interfaces) {
    if (name !== undefined && vm.interfacesByName.has(name)) continue;
    const has = [...vm.interfacesByName.keys()].join(', ');
    // A classic pcap (or an IDB without if_name) names no interface at all.
    const problem = name === undefined ? `the capture names no interface of instance ${vm.name}` : `the capture's interface is named '${name}', which instance ${vm.name} does not have`;
    throw new InputError(`${problem} (it has ${has}): give --interface`, { file, packet: frame }, 'replay.interface');
  }
}

/**
 * `read(warn)` with the trace reader's warnings about `file` on stderr as `trace parse` prints them,
 * grouped by kind (warning-line.ts): a damaged line is never hidden, and a kind's closing count is
 * printed once the file is read, even when it is refused.
 */
async function withWarningsPrinted<T>(file: string, o: VerboseOption, read: (warn: (w: TraceWarning) => void) => Promise<T>): Promise<T> {
  const printer = new WarningPrinter(file, (line) => process.stderr.write(line), warningsListed(o));
  try {
    return await read((w) => printer.add(w));
  } finally {
    printer.end();
  }
}

/**
 * A run of inputs, in order; a case's input (its case.yaml entry) answers for their injection point.
 * Either read already (a VPP trace's entry frames, picked frames) or a capture read as it replays.
 */
type InputGroup = { input?: InputSpec } & ({ inputs: ReplayInput[] } | { capture: CaptureInput; scan: CaptureScan });

/** fn, with an injection point the model refuses reported at the group's case input (atCaseInput). */
function inGroup<T>(g: InputGroup, fn: () => T | Promise<T>): Promise<T> {
  return g.input ? atCaseInput(g.input, fn) : Promise.resolve().then(fn);
}

/**
 * A Neutron DVR scenario (`namespaces:`) given to replay failed as a VPP one, at its first key
 * ("unknown key 'name'"): say what it is and what runs it. Read again only on that error, and only a
 * plain file (a FIFO is refused before this) of at most the size a scenario may have.
 */
function refuseDvrScenario(file: string, e: unknown): never {
  if (e instanceof InputError) {
    try {
      const st = statSync(file);
      const text = st.isFile() && st.size <= 4 << 20 ? readFileSync(file, 'utf8') : '';
      if (/^namespaces:/m.test(text) && !/^instances:/m.test(text))
        throw new InputError("a Neutron DVR scenario (namespaces:): replay runs VPP models; check DVR captures with `dpconform check --model neutron-dvr` or run their cases", { file, key: 'namespaces' }, 'replay.model');
    } catch (thrown) {
      if (thrown instanceof InputError) throw thrown;
    }
  }
  throw e;
}

/** What a replay runs: the instance, its inputs, and what to free once it has run (a capture spooled from stdin). */
interface PreparedReplay {
  inst: VppInstance;
  groups: InputGroup[];
  dispose: () => void;
}

/**
 * The instance and its inputs: everything a replay reads and checks before the first packet runs. A
 * capture is read through once here (scanCapture: its faults, link types, interface names, frame
 * count) and replayed by a second read, so its frames are never all held; a capture on stdin, which
 * cannot be read twice, is spooled to an unlinked temporary file first.
 */
async function prepareReplay(o: ReplayOptions): Promise<PreparedReplay> {
  if (!FORMATS.includes(o.format)) throw usage(`unknown --format '${o.format}' (vpp, json or pcap)`, 'format');
  if (o.format === 'pcap' && !o.output) throw usage('--format pcap writes binary: give -o FILE', '-o');
  if (o.output) refuseFolderOutput(o.output);
  if (o.format === 'pcap') refuseBinaryToTerminal(o.output, 'pcapng');
  // Loaded on use, so `dpconform --help` does not load the VPP model.
  const { vppModel } = await import('../../models/vpp/index.js');
  const { inputsFromTraceFile, isCapture, scanCapture } = await import('../../models/vpp/replay.js');
  if (o.case !== undefined) {
    // case.yaml says where each input enters (at:) and which packets (packets:); these options were ignored.
    const given = CASE_OWNED.filter((k) => o[k] !== undefined);
    if (given.length) throw usage(`--case takes its scenario, inputs, injection points and packets from case.yaml: drop ${given.map((k) => `--${k}`).join('/')}`, 'case');
    const file = join(resolve(o.case), 'case.yaml');
    const { spec, errors } = loadCase(file, o.case);
    if (!spec) throw errors[0];
    if (o.output) refuseOutputOverInput(o.output, [file, ...scenarioFiles(spec.scenario), ...spec.inputs.map((i) => i.file)]);
    if (spec.model !== 'vpp') throw new InputError(`replay renders VPP models; this case uses model '${spec.model}'`, { file, key: 'model' }, 'replay.model');
    const inst = (await vppModel.instantiate(spec.scenario ?? '')) as VppInstance;
    const groups: InputGroup[] = [];
    for (const input of spec.inputs) {
      // A VPP trace input is rebuilt here (full entry frame), streamed as --input FILE is; a capture
      // checked and streamed as --input FILE is; other kinds through the harness reader.
      const read = async (): Promise<InputGroup> => {
        if (input.kind === 'trace') return { input, inputs: await withWarningsPrinted(input.file, o, (warn) => inputsFromTraceFile(input.file, input.file, inst, input.at ?? {}, input.packets, warn)) };
        if (input.kind === 'capture') return { input, ...(await caseCapture(input)) };
        return { input, inputs: await readInputPackets(input) };
      };
      groups.push(await atCaseInput(input, read));
    }
    // `packets: []` (or inputs that hold none) printed VPP's "No packets in trace buffer", exit 0.
    if (groups.every((g) => 'inputs' in g && g.inputs.length === 0)) throw new InputError('no packets to replay', { file, key: 'inputs' }, 'replay.no-packets');
    return { inst, groups, dispose: () => {} };
  }
  if (o.scenario === undefined || o.input === undefined) throw usage('give --scenario S --input FILE, or --case DIR', o.scenario === undefined ? 'scenario' : 'input');
  const inst = (await vppModel.instantiate(o.scenario).catch((e: unknown) => refuseDvrScenario(o.scenario!, e))) as VppInstance;
  const at: InjectionPoint = {
    ...(o.instance !== undefined ? { instance: o.instance } : {}),
    ...(o.interface !== undefined ? { interface: o.interface } : {}),
    ...(o.node !== undefined ? { node: o.node } : {}),
  };
  inst.vm(at.instance); // fail early, naming the instances, when it is missing or ambiguous
  rejectDirectory(o.input, 'a capture or VPP trace file');
  if (o.output) refuseOutputOverInput(o.output, [o.input, ...scenarioFiles(o.scenario)]);
  const packets = packetList(o.packets);
  const name = inputName(o.input);
  // stdin cannot be opened once to tell a capture from trace text and again to read it: its first
  // bytes are read ahead and handed back to the reader chosen. So for any input that can be read only
  // once (a FIFO, /dev/stdin, <(...): opened three times, it failed "invalid seek" or waited).
  const stdin = o.input === '-' || readableOnlyOnce(o.input) ? await readStdinHead(CAPTURE_MAGIC_BYTES, o.input) : undefined;
  // The format as `diff` and case.yaml tell it, by the file name (kindFromExtension): a README
  // copied to x.pcap was read as trace text (8 warnings, then "no packet trace in this file"), where
  // inspect and diff say in one line that it is not a capture (its magic). The magic decides only
  // for a name that tells no format (stdin, a FIFO, an input with another extension).
  const named = kindFromExtension(o.input === '-' ? '' : o.input);
  const capture = named !== undefined ? named === 'capture' : stdin ? detectCaptureFormat(stdin.head.subarray(0, CAPTURE_MAGIC_BYTES)) !== undefined : await isCapture(o.input);
  if (!capture) {
    // Streamed (a 50 MB trace read whole, a packet per stage, peaked at ~900 MB; on stdin, read whole, ~1 GB).
    const inputs = await withWarningsPrinted(name, o, (warn) => inputsFromTraceFile(o.input!, name, inst, at, packets, warn, stdin?.chunks));
    if (inputs.length === 0) throw new InputError('no packets to replay', { file: name }, 'replay.no-packets');
    return { inst, groups: [{ inputs: numbered(inputs, packets) }], dispose: () => {} };
  }
  // A capture on stdin was read whole (a 1 M-frame capture: ~1 GB): it goes to disk, not memory.
  const spooled = stdin ? await spoolToFile(stdin.chunks) : undefined;
  try {
    const c: CaptureInput = { path: spooled?.path ?? o.input, name, at };
    const scan = await scanCapture(c.path, name);
    requireEthernetFrames(scan, name);
    if (o.interface === undefined) requireCaptureInterfaces(scan, inst, o.instance, name);
    // --packets picks frames of a capture as case.yaml's `packets:` does (it was ignored: every frame replayed).
    const group: InputGroup = packets ? { inputs: numbered(await pickedFrames(c, scan, packets), packets) } : { capture: { ...c, frames: scan.frames }, scan };
    if (scan.frames === 0) throw new InputError('no packets to replay', { file: name }, 'replay.no-packets');
    return { inst, groups: [group], dispose: () => spooled?.close() };
  } catch (e) {
    spooled?.close();
    throw e;
  }
}

/**
 * Inputs picked by --packets (in the order of its list: increasing, packetList), each numbered by
 * the number it was picked by, so what it produces is named after it (`Packet 3` of packet 3), as `trace` keeps VPP's numbers;
 * unpicked inputs are numbered by position as before. A case's `packets:` are not renumbered: its
 * inputs, several files replayed through one instance, would print the same numbers again.
 */
function numbered(inputs: ReplayInput[], packets: number[] | undefined): ReplayInput[] {
  return packets ? inputs.map((input, k) => ({ ...input, number: packets[k] })) : inputs;
}

/** A case's capture input: checked (its frames Ethernet, as --input's are: a raw-IP capture was replayed as Ethernet), then streamed (or its `packets:` picked). */
async function caseCapture(input: InputSpec): Promise<{ inputs: ReplayInput[] } | { capture: CaptureInput; scan: CaptureScan }> {
  const { scanCapture } = await import('../../models/vpp/replay.js');
  const c: CaptureInput = { path: input.file, name: input.file, at: input.at ?? {} };
  const scan = await scanCapture(c.path, c.name);
  requireEthernetFrames(scan, input.file);
  // As a trace or stage file with no packet is refused (readTraces): a capture input with no frame
  // replayed nothing, and the case failed on the golden packets the model never saw.
  if (scan.frames === 0) throw new InputError('the capture holds no packet: an input replays at least one', { file: input.file }, 'run.empty-input');
  return input.packets ? { inputs: await pickedFrames(c, scan, input.packets, input.packetsAt) } : { capture: { ...c, frames: scan.frames }, scan };
}

/** The frames `numbers` name, in that order; a number past the end is reported as pickPackets reports it. */
async function pickedFrames(c: CaptureInput, scan: CaptureScan, numbers: number[], stated?: StatedAt): Promise<ReplayInput[]> {
  // pickPackets over a list as long as the capture, holding only the numbers asked.
  const slots: number[] = [];
  slots.length = scan.frames;
  for (const n of numbers) if (n <= scan.frames) slots[n - 1] = n;
  pickPackets(slots, numbers, c.name, stated);
  const { captureFramesNumbered, inputsFromPackets } = await import('../../models/vpp/replay.js');
  return inputsFromPackets(await captureFramesNumbered(c.path, numbers), c.name, c.at);
}

/** Every injection point of a group, refused as inject would refuse it: a capture's once per interface it names. */
function requireInjectionPoints(inst: VppInstance, g: InputGroup): void {
  if ('inputs' in g) for (const i of g.inputs) inst.requireInjectionPoint(i.packet, i.at);
  else for (const interfaceName of g.scan.interfaces.keys()) inst.requireInjectionPoint({ data: NO_BYTES, meta: { linkType: 1, ...(interfaceName !== undefined ? { interfaceName } : {}) } }, g.capture.at);
}

/** Bytes that tell a capture from trace text (detectCaptureFormat). */
const CAPTURE_MAGIC_BYTES = 8;

/**
 * Run a replay, handing what the chosen format prints (text) or writes (pcapng bytes) to `write`
 * piece by piece as the packets run: a 50 MB trace replayed peaked at ~550 MB holding every trace
 * and the whole text. Every input's injection point is checked first, so bad input is still one
 * line with no output at all.
 */
export async function streamReplay(o: ReplayOptions, write: (piece: OutputPiece) => Promise<void> | void): Promise<void> {
  const { inst, groups, dispose } = await prepareReplay(o);
  try {
    const { captureParts, replayCaptureFrames, replayParts } = await import('../../models/vpp/replay.js');
    const { PcapngRenderer, replayRenderer } = await import('../../models/vpp/replay-output.js');
    for (const g of groups) await inGroup(g, () => requireInjectionPoints(inst, g));
    // pcap prints no trace: the frames alone come faster with tracing off (and the same).
    const opts = { traces: o.format !== 'pcap' };
    const renderer = replayRenderer(o.format as ReplayFormat, [...inst.scenario.instances.keys()]);
    try {
      // Input by input, so an injection point the model refuses is named at that input's `at:` in case.yaml, as run does.
      for (const g of groups)
        await inGroup(g, async () => {
          if ('inputs' in g) for (const part of replayParts(inst, g.inputs, opts)) for (const piece of renderer.add(part)) await write(piece);
          // The frames straight from the read buffers into the model, unless they carry an FCS to cut off first.
          else if (renderer instanceof PcapngRenderer && !g.scan.fcs) {
            const written = async (): Promise<void> => {
              for (const piece of renderer.take()) await write(piece);
            };
            await replayCaptureFrames(inst, g.capture, (instance, itf, bytes, us) => renderer.frame(instance, itf, bytes, us), written);
          }
          else for await (const part of captureParts(inst, g.capture, opts)) for (const piece of renderer.add(part)) await write(piece);
        });
      for (const piece of renderer.finish()) await write(piece);
      // Beside the output, never in it (a trace or capture a program reads): what the model assumed.
      for (const a of inst.assumptions()) process.stderr.write(`dpconform: note: ${a}\n`);
    } finally {
      renderer.dispose();
    }
  } finally {
    dispose();
  }
}

/** Run a replay and return what the chosen format prints (text) or writes (bytes), whole. */
export async function runReplay(o: ReplayOptions): Promise<string | Uint8Array> {
  const pieces: OutputPiece[] = [];
  await streamReplay(o, (p) => void pieces.push(p));
  const { wholeOutput } = await import('../../models/vpp/replay-output.js');
  return wholeOutput(pieces, o.format !== 'pcap');
}

/**
 * Where the output goes: stdout or -o FILE, opened at the first piece (after every input was read
 * and checked, so bad input leaves an existing file as it was).
 */
function outputSink(file: string | undefined): { write: (piece: OutputPiece) => Promise<void>; close: () => Promise<void> } {
  let sink: ByteSink | undefined;
  const open = () => (sink ??= new ByteSink(file === undefined ? process.stdout : outputTarget(file), OUTPUT_SINK_OPTIONS));
  return {
    write: (piece) => (typeof piece === 'string' ? open().writeText(piece) : open().write(piece)),
    close: async () => {
      await sink?.close();
    },
  };
}

export function registerReplay(program: Command): void {
  program
    .command('replay')
    .description('replay packets (pcap/pcapng or a VPP trace) through a model scenario, or a case folder; print the model trace (VPP text, JSON) or write the output frames (pcapng)')
    .option('--scenario <file>', 'scenario YAML')
    .option('--input <file>', 'pcap/pcapng capture or VPP `show trace` text (- reads either from stdin)')
    .option('--case <dir>', 'a case folder: its scenario and inputs, in order')
    .option('--instance <name>', 'instance the packets enter (needed when the scenario has several)')
    .option('--interface <name>', 'interface they arrive on (default: the capture interface / the trace record)')
    .option('--node <name>', 'first node (default: the trace\'s first node, else the interface\'s input node)')
    .option('--packets <list>', "which packets to replay, e.g. 1 or 1,3-5 (each once; replayed in increasing order, whatever order listed): a VPP trace's `Packet N` labels (positions when it prints none), a capture's frame numbers")
    .option('--format <fmt>', 'vpp | json | pcap', 'vpp')
    .option('-o, --output <file>', 'write here instead of stdout (required for pcap; - for stdout)')
    .option(...VERBOSE_OPTION)
    .action(
      guarded(async (o: ReplayOptions) => {
        const out = outputSink(o.output);
        try {
          await streamReplay(o, out.write);
        } finally {
          await out.close();
        }
      }),
    );
}
