// `dpconform replay`: packets through a model scenario, out as VPP `show trace` text, JSON stage
// records, or pcapng of the transmitted frames.
//   dpconform replay --scenario S --input FILE [--instance NAME] [--interface NAME] [--node NAME]
//                    [--packets 1,2] [--format vpp|json|pcap] [-o OUT]
//   ... | dpconform replay --scenario S --input - ...      (the capture or trace on stdin)
//   dpconform replay --case DIR [--format ...] [-o OUT]
// FILE is a pcap/pcapng (by its magic) or VPP trace text (the frame entering each packet trace's
// first node is rebuilt from its records). A case replays its scenario and inputs, in order, through
// one instance. Bad input is one line naming file/packet/line/key, exit 2. Library: models/vpp/replay.ts.

import { readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { InputError } from '../io/input-error.js';
import { rejectDirectory } from '../io/not-a-directory.js';
import { refuseOutputOverInput } from '../io/output-over-input.js';
import { scenarioFiles } from '../scenario/extends-chain.js';
import { refuseFolderOutput } from '../io/output-not-a-folder.js';
import { ByteSink } from '../io/stream-sink.js';
import { requireEthernet } from '../io/require-ethernet.js';
import { inputName } from '../io/read-handle.js';
import { concatChunks, readStdinHead } from '../io/stdin-head.js';
import { detectCaptureFormat, readCaptureBytes } from '../io/capture.js';
import type { InjectionPoint } from '../model.js';
import { loadCase } from '../suite/load-case.js';
import { pickPackets, readInputPackets } from '../suite/sources.js';
import { guarded } from './guard.js';
import type { TraceWarning } from '../vpp-trace/trace-file.js';
import { warningLine } from '../vpp-trace/warning-line.js';
import type { VppInstance } from '../../models/vpp/index.js';
import type { ReplayInput } from '../../models/vpp/replay.js';
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
}

const FORMATS = ['vpp', 'json', 'pcap'];

/** Options a case folder answers itself. */
const CASE_OWNED = ['scenario', 'input', 'instance', 'interface', 'node', 'packets'] as const;

function usage(reason: string, key: string): InputError {
  return new InputError(reason, { key }, 'replay.usage');
}

function packetList(text: string | undefined): number[] | undefined {
  if (text === undefined) return undefined;
  const list = text.split(',').map((x) => Number(x.trim()));
  if (list.some((n) => !Number.isInteger(n) || n < 1)) throw usage(`--packets takes 1-based packet numbers separated by commas, not '${text}'`, 'packets');
  return list;
}

/** A capture's frames enter the VPP model's input nodes, which take Ethernet. */
function ethernetOnly(inputs: ReplayInput[], file: string): ReplayInput[] {
  for (const i of inputs) requireEthernet(i.packet, file, 'the VPP model takes Ethernet frames');
  return inputs;
}

/**
 * A capture's frames enter at the interface its pcapng IDB names (if_name) unless --interface says
 * otherwise. A name the instance lacks, or none (a classic pcap), was reported against the scenario
 * file ("instance X has no interface 'eth0'"), as if the scenario were wrong.
 */
function requireCaptureInterfaces(inputs: ReplayInput[], inst: VppInstance, instance: string | undefined, file: string): void {
  const vm = inst.vm(instance);
  for (const i of inputs) {
    const name = i.at.interface;
    if (name !== undefined && vm.interfacesByName.has(name)) continue;
    const has = [...vm.interfacesByName.keys()].join(', ');
    // A classic pcap (or an IDB without if_name) names no interface at all.
    const problem = name === undefined ? `the capture names no interface of instance ${vm.name}` : `the capture's interface is named '${name}', which instance ${vm.name} does not have`;
    throw new InputError(`${problem} (it has ${has}): give --interface`, { file, packet: i.packet.meta.frame }, 'replay.interface');
  }
}

/** The trace reader's warnings on stderr, as `trace parse` prints them: a damaged line is never hidden. */
function printWarning(file: string): (w: TraceWarning) => void {
  return (w) => process.stderr.write(warningLine(file, w));
}

/** A run of inputs, in order; a case's input (its case.yaml entry) answers for their injection point. */
interface InputGroup {
  input?: InputSpec;
  inputs: ReplayInput[];
}

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

/** The instance and its inputs: everything a replay reads and checks before the first packet runs. */
async function prepareReplay(o: ReplayOptions): Promise<{ inst: VppInstance; groups: InputGroup[] }> {
  if (!FORMATS.includes(o.format)) throw usage(`unknown --format '${o.format}' (vpp, json or pcap)`, 'format');
  if (o.format === 'pcap' && !o.output) throw usage('--format pcap writes binary: give -o FILE', 'output');
  if (o.output) refuseFolderOutput(o.output);
  // Loaded on use, so `dpconform --help` does not load the VPP model.
  const { vppModel } = await import('../../models/vpp/index.js');
  const { inputsFromCapture, inputsFromPackets, inputsFromTraceFile, isCapture } = await import('../../models/vpp/replay.js');
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
      // A VPP trace input is rebuilt here (full entry frame), streamed as --input FILE is; other kinds through the harness reader.
      const read = await atCaseInput(input, () => (input.kind === 'trace' ? inputsFromTraceFile(input.file, input.file, inst, input.at ?? {}, input.packets, printWarning(input.file)) : readInputPackets(input)));
      groups.push({ input, inputs: read });
    }
    // `packets: []` (or inputs that hold none) printed VPP's "No packets in trace buffer", exit 0.
    if (groups.every((c) => c.inputs.length === 0)) throw new InputError('no packets to replay', { file, key: 'inputs' }, 'replay.no-packets');
    return { inst, groups };
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
  // bytes are read ahead and handed back to the reader chosen.
  const stdin = o.input === '-' ? await readStdinHead(CAPTURE_MAGIC_BYTES) : undefined;
  const capture = stdin ? detectCaptureFormat(stdin.head.subarray(0, CAPTURE_MAGIC_BYTES)) !== undefined : await isCapture(o.input);
  let inputs: ReplayInput[];
  if (capture) {
    // --packets picks frames of a capture as case.yaml's `packets:` does (it was ignored: every frame replayed).
    const all = ethernetOnly(stdin ? inputsFromPackets(readCaptureBytes(await concatChunks(stdin.chunks), name), name, at) : await inputsFromCapture(o.input, at), name);
    if (o.interface === undefined) requireCaptureInterfaces(all, inst, o.instance, name);
    inputs = packets ? pickPackets(all, packets, name) : all;
  } else {
    // Streamed (a 50 MB trace read whole, a packet per stage, peaked at ~900 MB; on stdin, read whole, ~1 GB).
    inputs = await inputsFromTraceFile(o.input, name, inst, at, packets, printWarning(name), stdin?.chunks);
  }
  if (inputs.length === 0) throw new InputError('no packets to replay', { file: name }, 'replay.no-packets');
  return { inst, groups: [{ inputs }] };
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
  const { inst, groups } = await prepareReplay(o);
  const { replayParts } = await import('../../models/vpp/replay.js');
  const { replayRenderer } = await import('../../models/vpp/replay-output.js');
  for (const g of groups) await inGroup(g, () => g.inputs.forEach((i) => inst.requireInjectionPoint(i.packet, i.at)));
  // pcap prints no trace: the frames alone come faster with tracing off (and the same).
  const opts = { traces: o.format !== 'pcap' };
  const renderer = replayRenderer(o.format as ReplayFormat, [...inst.scenario.instances.keys()]);
  try {
    // Input by input, so an injection point the model refuses is named at that input's `at:` in case.yaml, as run does.
    for (const g of groups)
      await inGroup(g, async () => {
        for (const part of replayParts(inst, g.inputs, opts)) for (const piece of renderer.add(part)) await write(piece);
      });
    for (const piece of renderer.finish()) await write(piece);
  } finally {
    renderer.dispose();
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
  const open = () => (sink ??= new ByteSink(file ?? process.stdout, { end: false }));
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
    .option('--packets <list>', "which packets to replay, e.g. 1 or 1,3: a VPP trace's `Packet N` labels (positions when it prints none), a capture's frame numbers")
    .option('--format <fmt>', 'vpp | json | pcap', 'vpp')
    .option('-o, --output <file>', 'write here instead of stdout (required for pcap)')
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
