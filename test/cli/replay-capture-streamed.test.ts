// `dpconform replay` of a capture read every frame into a Packet before the first one ran (a 1 M-frame
// capture peaked at 1.1 GB as pcapng output, 2.8 GB as VPP text) and stamped every output frame 0.
// Now a capture is checked by one read (faults, link types, interface names, --packets numbers) and
// replayed by a second, batch by batch (--format pcap straight from the read buffers): the output is
// what the whole-capture replay (models/vpp/replay.ts replay(), Packets) makes of it, each output
// frame stamped with the time of the input frame that made it, bad input is still one line, exit 2
// and no output file, and it works the same from stdin and as a case's input.
// The capture: 300 pod <-> service TCP connections (bench/connections.ts), 3,000 frames, more than
// one read batch (1,024 frames), at nanosecond times that are not whole microseconds.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ConnectionTraffic, ensureConnectionCapture } from '../../bench/connections.js';
import { POD_TO_SERVICE, repoRoot, serviceEndpoints } from '../../bench/service-endpoints.js';
import { readCaptureAll } from '../../harness/io/capture.js';
import { writePcapng } from '../../harness/io/pcapng.js';
import { DEFAULT_BATCH } from '../../harness/io/record-batch.js';
import { pickPackets } from '../../harness/suite/sources.js';
import type { Packet } from '../../harness/wire/packet.js';
import { vppModel, type VppInstance } from '../../models/vpp/index.js';
import { inputsFromCapture, outputsPcapng, replay, showTraceText } from '../../models/vpp/replay.js';
import { dpconform } from './spawn-cli.js';

const SCENARIO = join(repoRoot(), POD_TO_SERVICE);
const dir = mkdtempSync(join(tmpdir(), 'dpconform-replay-streamed-'));
const CAPTURE = join(dir, 'connections.pcapng');
const FRAMES = 3000;
/** 2023-11-14T22:13:20.123456789Z, then 1,000,003 ns per frame: no frame time is a whole microsecond. */
const T0 = 1_700_000_000_123_456_789n;
const AT = { instance: 'k8s-master' };
const args = (input: string, more: string[]) => ['replay', '--scenario', SCENARIO, '--instance', 'k8s-master', '--input', input, ...more];

let input: Packet[];

beforeAll(async () => {
  const traffic = new ConnectionTraffic(serviceEndpoints(SCENARIO, 'k8s-master'), { connections: FRAMES / 10, open: 30 });
  const plain = await readCaptureAll(await ensureConnectionCapture(traffic, dir));
  const names = traffic.interfaces();
  input = plain.map((p, i) => ({ data: p.data, meta: { linkType: 1, interfaceId: names.indexOf(p.meta.interfaceName!), timestampNs: T0 + BigInt(i) * 1_000_003n } }));
  await writePcapng(CAPTURE, input, { interfaces: names.map((name) => ({ linkType: 1, name })), nanosecond: true });
});

/** The whole-capture replay of the library (every frame a Packet first), fresh instance. */
async function wholeReplay(numbers?: number[], traces = false) {
  const inst = (await vppModel.instantiate(SCENARIO)) as VppInstance;
  const all = await inputsFromCapture(CAPTURE, AT);
  // Picked frames are numbered by the number that picked them (their output frames say `input packet N`).
  const picked = numbers && pickPackets(all, numbers, CAPTURE).map((input, k) => ({ ...input, number: numbers[k] }));
  return { inst, result: replay(inst, picked ?? all, { traces }) };
}

function replayStdin(file: string, more: string[]) {
  const r = spawnSync(process.execPath, ['dist/harness/cli/main.js', ...args('-', more)], { input: readFileSync(file), encoding: 'utf8', env: { ...process.env, CI: 'true' } });
  return { status: r.status, errLines: r.stderr.split('\n').filter(Boolean) };
}

describe('replay of a capture larger than a read batch, streamed', () => {
  it('--format pcap: the bytes of the whole-capture replay (frames, interfaces, times)', async () => {
    expect(FRAMES).toBeGreaterThan(2 * DEFAULT_BATCH);
    const out = join(dir, 'out.pcapng');
    const r = dpconform(args(CAPTURE, ['--format', 'pcap', '-o', out]));
    expect(r.errLines).toEqual([]);
    expect(r.status).toBe(0);
    const { result } = await wholeReplay();
    expect(result.outputs.length).toBe(FRAMES);
    expect(Buffer.from(readFileSync(out)).equals(Buffer.from(outputsPcapng(result)))).toBe(true);
  });

  it('--format vpp: the text of the whole-capture replay', async () => {
    // To a file: the text is more than spawnSync takes from stdout.
    const out = join(dir, 'out.txt');
    const r = dpconform(args(CAPTURE, ['-o', out]));
    expect(r.errLines).toEqual([]);
    const { inst, result } = await wholeReplay(undefined, true);
    const text = readFileSync(out, 'utf8');
    expect(text).toBe(showTraceText(result, [...inst.scenario.instances.keys()]));
    expect(text.match(/^Packet \d+$/gm)!.length).toBe(FRAMES);
  });

  it('each output frame carries the time of the input frame that made it, in microseconds (every frame was stamped 0)', async () => {
    const out = join(dir, 'times.pcapng');
    expect(dpconform(args(CAPTURE, ['--format', 'pcap', '-o', out])).status).toBe(0);
    const written = await readCaptureAll(out);
    // Each input frame transmits exactly one frame (the whole-capture replay, first test).
    expect(written.map((p) => p.meta.timestampNs)).toEqual(input.map((p) => (p.meta.timestampNs! / 1000n) * 1000n));
  });

  it('a bad frame late in the capture: one line naming file and packet, exit 2, no output file', () => {
    const bytes = readFileSync(CAPTURE);
    const cut = join(dir, 'cut.pcapng');
    writeFileSync(cut, bytes.subarray(0, bytes.length - 50));
    for (const format of ['pcap', 'vpp', 'json']) {
      const out = join(dir, `cut-out.${format}`);
      const r = dpconform(args(cut, ['--format', format, '-o', out]));
      expect(r.errLines).toEqual([expect.stringMatching(new RegExp(`^dpconform: ${cut} \\(packet ${FRAMES}, offset \\d+\\): truncated`))]);
      expect(r.status).toBe(2);
      expect(existsSync(out)).toBe(false);
    }
  });

  it('a capture on stdin: the same bytes as from the file; a bad one names <stdin> and the packet', () => {
    const fromFile = join(dir, 'file.pcapng');
    const fromStdin = join(dir, 'stdin.pcapng');
    expect(dpconform(args(CAPTURE, ['--format', 'pcap', '-o', fromFile])).status).toBe(0);
    expect(replayStdin(CAPTURE, ['--format', 'pcap', '-o', fromStdin])).toEqual({ status: 0, errLines: [] });
    expect(readFileSync(fromStdin).equals(readFileSync(fromFile))).toBe(true);
    const cut = join(dir, 'cut-stdin.pcapng');
    writeFileSync(cut, readFileSync(CAPTURE).subarray(0, -50));
    const bad = replayStdin(cut, ['--format', 'pcap', '-o', join(dir, 'never.pcapng')]);
    expect(bad.errLines).toEqual([expect.stringMatching(new RegExp(`^dpconform: <stdin> \\(packet ${FRAMES}, offset \\d+\\): truncated`))]);
    expect(bad.status).toBe(2);
    expect(existsSync(join(dir, 'never.pcapng'))).toBe(false);
  });

  // Replayed in the capture's order whatever order they are listed in, each once (a number listed
  // twice is refused: test/cli/replay-packets-list.test.ts).
  it('--packets picks frames of a capture, in the capture order; a number past the end is refused', async () => {
    const numbers = [FRAMES - 1, 1, 1500];
    const out = join(dir, 'picked.pcapng');
    const r = dpconform(args(CAPTURE, ['--format', 'pcap', '-o', out, '--packets', numbers.join(',')]));
    expect(r.errLines).toEqual([]);
    const { result } = await wholeReplay([1, 1500, FRAMES - 1]);
    expect(result.outputs.length).toBeGreaterThan(0);
    expect(Buffer.from(readFileSync(out)).equals(Buffer.from(outputsPcapng(result)))).toBe(true);
    const past = dpconform(args(CAPTURE, ['--format', 'pcap', '-o', join(dir, 'past.pcapng'), '--packets', `1,${FRAMES + 1}`]));
    expect(past.errLines).toEqual([`dpconform: ${CAPTURE} (key packets): packet ${FRAMES + 1} requested but the file holds ${FRAMES}`]);
    expect(past.status).toBe(2);
    expect(existsSync(join(dir, 'past.pcapng'))).toBe(false);
  });

  it('a case whose input is the capture: the same output as --input', () => {
    const caseDir = mkdtempSync(join(dir, 'case-'));
    writeFileSync(join(caseDir, 'case.yaml'), `name: streamed\nmodel: vpp\nscenario: ${SCENARIO}\ninputs:\n  - file: ${CAPTURE}\n    at: { instance: k8s-master }\ngolden:\n  file: ${CAPTURE}\n  evidence: conformance\n`);
    const viaInput = join(dir, 'input.pcapng');
    const viaCase = join(dir, 'case.pcapng');
    expect(dpconform(args(CAPTURE, ['--format', 'pcap', '-o', viaInput])).status).toBe(0);
    expect(dpconform(['replay', '--case', caseDir, '--format', 'pcap', '-o', viaCase])).toMatchObject({ status: 0, errLines: [] });
    expect(readFileSync(viaCase).equals(readFileSync(viaInput))).toBe(true);
    const [caseText, inputText] = [join(dir, 'case.txt'), join(dir, 'input.txt')];
    expect(dpconform(['replay', '--case', caseDir, '-o', caseText]).status).toBe(0);
    expect(dpconform(args(CAPTURE, ['-o', inputText])).status).toBe(0);
    expect(readFileSync(caseText).equals(readFileSync(inputText))).toBe(true);
  });
});
