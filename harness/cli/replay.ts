// `dpconform replay`: packets through a model scenario, out as VPP `show trace` text, JSON stage
// records, or pcapng of the transmitted frames.
//   dpconform replay --scenario S --input FILE [--instance NAME] [--interface NAME] [--node NAME]
//                    [--packets 1,2] [--format vpp|json|pcap] [-o OUT]
//   ... | dpconform replay --scenario S --input - ...      (the capture or trace on stdin)
//   dpconform replay --case DIR [--format ...] [-o OUT]
// FILE is a pcap/pcapng (by its magic) or VPP trace text (the frame entering each packet trace's
// first node is rebuilt from its records). A case replays its scenario and inputs, in order, through
// one instance. Bad input is one line naming file/packet/line/key, exit 2. Library: models/vpp/replay.ts.

import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { InputError } from '../io/input-error.js';
import { rejectDirectory } from '../io/not-a-directory.js';
import { refuseOutputOverInput } from '../io/output-over-input.js';
import { scenarioFiles } from '../scenario/extends-chain.js';
import { refuseFolderOutput } from '../io/output-not-a-folder.js';
import { withFilePath } from '../io/error-path.js';
import { requireEthernet } from '../io/require-ethernet.js';
import { inputName } from '../io/read-handle.js';
import { readStdinWhole } from '../io/stdin-whole.js';
import { decodeUtf8 } from '../io/utf8-text.js';
import { detectCaptureFormat, readCaptureBytes } from '../io/capture.js';
import type { InjectionPoint } from '../model.js';
import { loadCase } from '../suite/load-case.js';
import { pickPackets, readInputPackets } from '../suite/sources.js';
import { guarded } from './guard.js';
import type { TraceWarning } from '../vpp-trace/trace-file.js';
import { warningLine } from '../vpp-trace/warning-line.js';
import { readTraceText } from '../vpp-trace/read-text.js';
import type { VppInstance } from '../../models/vpp/index.js';
import type { ReplayInput, ReplayResult } from '../../models/vpp/replay.js';
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

/** A case input (case.yaml entry) and the packets read from it. */
interface CaseInputs {
  input: InputSpec;
  inputs: ReplayInput[];
}
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

/** Run a replay and return what the chosen format prints (text) or writes (bytes). */
export async function runReplay(o: ReplayOptions): Promise<string | Uint8Array> {
  if (!FORMATS.includes(o.format)) throw usage(`unknown --format '${o.format}' (vpp, json or pcap)`, 'format');
  if (o.format === 'pcap' && !o.output) throw usage('--format pcap writes binary: give -o FILE', 'output');
  if (o.output) refuseFolderOutput(o.output);
  // Loaded on use, so `dpconform --help` does not load the VPP model.
  const { vppModel } = await import('../../models/vpp/index.js');
  const { inputsFromCapture, inputsFromPackets, inputsFromTraceFile, inputsFromTraceText, isCapture, outputsPcapng, replay, showTraceText, stagesJsonText } = await import('../../models/vpp/replay.js');
  let inst: VppInstance;
  let inputs: ReplayInput[] = [];
  let caseInputs: CaseInputs[] | undefined;
  if (o.case !== undefined) {
    // case.yaml says where each input enters (at:) and which packets (packets:); these options were ignored.
    const given = CASE_OWNED.filter((k) => o[k] !== undefined);
    if (given.length) throw usage(`--case takes its scenario, inputs, injection points and packets from case.yaml: drop ${given.map((k) => `--${k}`).join('/')}`, 'case');
    const file = join(resolve(o.case), 'case.yaml');
    const { spec, errors } = loadCase(file, o.case);
    if (!spec) throw errors[0];
    if (o.output) refuseOutputOverInput(o.output, [file, ...scenarioFiles(spec.scenario), ...spec.inputs.map((i) => i.file)]);
    if (spec.model !== 'vpp') throw new InputError(`replay renders VPP models; this case uses model '${spec.model}'`, { file, key: 'model' }, 'replay.model');
    inst = (await vppModel.instantiate(spec.scenario ?? '')) as VppInstance;
    const ofCase: CaseInputs[] = [];
    for (const input of spec.inputs) {
      // A VPP trace input is rebuilt here (full entry frame), other kinds through the harness reader.
      const text = input.kind === 'trace' ? await readTraceText(input.file) : undefined;
      const read = await atCaseInput(input, async () => (text !== undefined ? inputsFromTraceText(input.file, text, inst, input.at ?? {}, input.packets, printWarning(input.file)) : readInputPackets(input)));
      ofCase.push({ input, inputs: read });
    }
    // `packets: []` (or inputs that hold none) printed VPP's "No packets in trace buffer", exit 0.
    if (ofCase.every((c) => c.inputs.length === 0)) throw new InputError('no packets to replay', { file, key: 'inputs' }, 'replay.no-packets');
    caseInputs = ofCase;
  } else {
    if (o.scenario === undefined || o.input === undefined) throw usage('give --scenario S --input FILE, or --case DIR', o.scenario === undefined ? 'scenario' : 'input');
    inst = (await vppModel.instantiate(o.scenario)) as VppInstance;
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
    // stdin is read whole first: it cannot be opened once to tell a capture from trace text and again to read it.
    const stdin = o.input === '-' ? await readStdinWhole() : undefined;
    const capture = stdin ? detectCaptureFormat(stdin.subarray(0, 8)) !== undefined : await isCapture(o.input);
    if (capture) {
      // --packets picks frames of a capture as case.yaml's `packets:` does (it was ignored: every frame replayed).
      const all = ethernetOnly(stdin ? inputsFromPackets(readCaptureBytes(stdin, name), name, at) : await inputsFromCapture(o.input, at), name);
      if (o.interface === undefined) requireCaptureInterfaces(all, inst, o.instance, name);
      inputs = packets ? pickPackets(all, packets, name) : all;
    } else {
      // A file is streamed (a 50 MB trace read whole, a packet per stage, peaked at ~900 MB).
      inputs = stdin ? inputsFromTraceText(name, decodeUtf8(stdin, name), inst, at, packets, printWarning(name)) : await inputsFromTraceFile(o.input, name, inst, at, packets, printWarning(name));
    }
    if (inputs.length === 0) throw new InputError('no packets to replay', { file: name }, 'replay.no-packets');
  }
  // pcap prints no trace: the frames alone come faster with tracing off (and the same).
  const opts = { traces: o.format !== 'pcap' };
  let r: ReplayResult;
  if (!caseInputs) r = replay(inst, inputs, opts);
  else {
    // Input by input, so an injection point the model refuses is named at that input's `at:` in case.yaml, as run does.
    r = { traces: [], outputs: [] };
    for (const c of caseInputs) {
      const part = await atCaseInput(c.input, () => replay(inst, c.inputs, opts));
      for (const t of part.traces) r.traces.push(t);
      for (const p of part.outputs) r.outputs.push(p);
    }
  }
  if (o.format === 'json') return stagesJsonText(r);
  if (o.format === 'pcap') return outputsPcapng(r);
  return showTraceText(r, [...inst.scenario.instances.keys()]);
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
        const out = await runReplay(o);
        if (o.output) {
          try {
            writeFileSync(o.output, out);
          } catch (e) {
            throw withFilePath(e, o.output);
          }
        }
        else process.stdout.write(out);
      }),
    );
}
