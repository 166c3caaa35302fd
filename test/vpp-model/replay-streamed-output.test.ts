// `dpconform replay` writes each part's output as the packets run (the whole output and every trace
// were held: a 50 MB trace replayed peaked at ~550 MB, ~1.1 GB as JSON). The bytes must be those the
// whole-result rendering printed: checked here against that rendering (the pre-streaming code,
// kept as the oracle) on a generated trace of ~3,500 packets - more than one part of 256 inputs,
// two instances whose `show trace` sections wait in spools, the first past its memory limit.
// Bad input is still one line with no output: every injection point is checked before the first
// packet runs, so one refused at a case's last input leaves -o's file as it was.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { generate } from '../../bench/trace.js';
import { encodePcapng } from '../../harness/io/pcapng.js';
import { readCaptureBytes } from '../../harness/io/capture.js';
import { stagesToJson } from '../../harness/suite/stage-json.js';
import { stageText } from '../../harness/vpp-trace/format.js';
import type { Packet } from '../../harness/wire/packet.js';
import { vppModel, type VppInstance } from '../../models/vpp/index.js';
import { inputsFromTraceFile, replay, type ReplayResult } from '../../models/vpp/replay.js';

// The flow whose SYN crosses to k8s-worker1 through VXLAN: the second instance's traces. (With
// pod-to-service-same-node they came from the trace's peer dpdk-input records injected into the
// master as new inputs and sent again; those are now stitched continuations, not replayed.)
const SCENARIO = 'fixtures/contiv/pod-to-pod-other-node/scenario.yaml';
const MAIN = join(process.cwd(), 'dist/harness/cli/main.js');
const tmp = mkdtempSync(join(tmpdir(), 'replay-stream-'));
const TRACE = join(tmp, 'trace-12mb.txt');

/** The output rendered from the whole result, as replay did before it streamed. */
const oracle = {
  vpp(r: ReplayResult, order: readonly string[]): string {
    const used = order.filter((n) => r.traces.some((t) => t.instance === n));
    const out: string[] = [];
    for (const name of used) {
      if (used.length > 1) out.push(...(out.length ? [''] : []), `${name}:`, '-'.repeat(name.length + 1));
      out.push('------------------- Start of thread 0 vpp_main -------------------');
      let n = 0;
      for (const t of r.traces.filter((x) => x.instance === name)) {
        out.push(`Packet ${++n}`, '');
        for (const s of t.trace.stages) stageText(s, out);
        out.push('');
      }
    }
    return out.join('\n') + '\n';
  },
  json(r: ReplayResult): string {
    const doc = JSON.parse(stagesToJson(r.traces.map((t) => t.trace))) as { traces: Array<Record<string, unknown>> };
    doc.traces.forEach((t, i) => (t.instance = r.traces[i].instance));
    return JSON.stringify(doc, null, 1) + '\n';
  },
  pcap(r: ReplayResult): Uint8Array {
    const ids = new Map<string, number>();
    const packets: Packet[] = r.outputs.map(({ instance, packet, unshownTail = 0 }) => {
      const name = `${instance}/${packet.meta.interfaceName ?? '?'}`;
      if (!ids.has(name)) ids.set(name, ids.size);
      // A trace's frames end before the bytes its records did not show (test/vpp-model/replay-trace-pcap-shown-bytes.test.ts).
      const data = packet.data.subarray(0, packet.data.length - unshownTail);
      return { data, meta: { ...packet.meta, interfaceId: ids.get(name)!, timestampNs: 0n, origLength: packet.data.length } };
    });
    return encodePcapng(packets, { interfaces: [...ids.keys()].map((name) => ({ linkType: 1, name })) });
  },
};

async function replayWhole(traces: boolean): Promise<{ r: ReplayResult; order: string[] }> {
  const inst = (await vppModel.instantiate(SCENARIO)) as VppInstance;
  const inputs = await inputsFromTraceFile(TRACE, TRACE, inst, { instance: 'k8s-master' });
  return { r: replay(inst, inputs, { traces }), order: [...inst.scenario.instances.keys()] };
}

function cli(args: string[], input?: string) {
  const r = spawnSync(process.execPath, [MAIN, ...args], { encoding: 'buffer', input: input === undefined ? undefined : readFileSync(input), env: { ...process.env, CI: 'true' }, timeout: 120_000, maxBuffer: 1 << 30 });
  return { status: r.status, stdout: r.stdout, errLines: r.stderr.toString().split('\n').filter(Boolean) };
}

beforeAll(async () => {
  // 12 MB: the master's section of the other-node flow's replay must pass the spool's 4 MiB.
  await generate(TRACE, 12 * 1024 * 1024);
});

describe('replay writes its output as the packets run, the same bytes as the whole rendering', () => {
  it('VPP text (two instances, sections spooled) and JSON, to -o FILE and to stdout', async () => {
    const { r, order } = await replayWhole(true);
    expect(r.traces.length).toBeGreaterThan(2 * 256);
    const base = ['replay', '--scenario', SCENARIO, '--input', TRACE, '--instance', 'k8s-master'];
    const vpp = oracle.vpp(r, order);
    expect(vpp.indexOf('\nk8s-worker1:\n')).toBeGreaterThan(4 << 20); // the first section went past the spool's memory
    const out = join(tmp, 'out.txt');
    expect(cli([...base, '-o', out]).status).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(vpp);
    const json = oracle.json(r);
    const viaStdout = cli([...base, '--format', 'json']);
    expect(viaStdout.status).toBe(0);
    expect(viaStdout.stdout.toString()).toBe(json);
  }, 120_000);

  it('pcapng (each interface block just before its first frame): the frames, interface ids and names of the whole rendering', async () => {
    const { r } = await replayWhole(false);
    const out = join(tmp, 'out.pcapng');
    expect(cli(['replay', '--scenario', SCENARIO, '--input', TRACE, '--instance', 'k8s-master', '--format', 'pcap', '-o', out]).status).toBe(0);
    const got = readCaptureBytes(readFileSync(out), out);
    const want = readCaptureBytes(oracle.pcap(r), 'oracle');
    expect(got.length).toBe(want.length);
    const view = (p: Packet) => ({ data: Buffer.from(p.data).toString('hex'), length: p.meta.origLength, id: p.meta.interfaceId, name: p.meta.interfaceName, t: p.meta.timestampNs });
    expect(got.map(view)).toEqual(want.map(view));
  }, 120_000);

  it('trace text on stdin and a case\'s trace input give the bytes --input FILE gives', () => {
    const file = cli(['replay', '--scenario', SCENARIO, '--input', TRACE, '--instance', 'k8s-master']).stdout;
    const stdin = cli(['replay', '--scenario', SCENARIO, '--input', '-', '--instance', 'k8s-master'], TRACE);
    expect(stdin.status).toBe(0);
    expect(stdin.stdout.equals(file)).toBe(true);
    const dir = mkdtempSync(join(tmp, 'case-'));
    writeFileSync(join(dir, 'case.yaml'), `name: big\nmodel: vpp\nscenario: ${join(process.cwd(), SCENARIO)}\ninputs:\n  - file: ${TRACE}\n    at: { instance: k8s-master }\ngolden:\n  file: ${TRACE}\n  evidence: conformance\n`);
    const ofCase = cli(['replay', '--case', dir]);
    expect(ofCase.status).toBe(0);
    expect(ofCase.stdout.equals(file)).toBe(true);
  }, 120_000);

  it("an injection point refused at a case's last input is one line at its `at:`, nothing written, -o FILE left as it was", () => {
    const dir = mkdtempSync(join(tmp, 'case-'));
    const abs = (f: string) => join(process.cwd(), f);
    writeFileSync(
      join(dir, 'case.yaml'),
      [
        'name: late-bad-interface',
        'model: vpp',
        `scenario: ${abs('fixtures/contiv/pod-to-pod-same-node/scenario.yaml')}`,
        'inputs:',
        `  - file: ${abs('golden/contiv/pod-to-pod-same-node.request.trace')}`,
        '    at: { instance: k8s-master }',
        `  - file: ${abs('fixtures/contiv/pod-to-pod-same-node/request/input.json')}`,
        '    at: { instance: k8s-master, interface: tap99 }',
        'golden:',
        `  file: ${abs('golden/contiv/pod-to-pod-same-node.request.trace')}`,
        '  evidence: conformance',
        '',
      ].join('\n'),
    );
    const out = join(tmp, 'kept.txt');
    writeFileSync(out, 'before\n');
    const r = cli(['replay', '--case', dir, '--format', 'json', '-o', out]); // JSON is written as it comes
    expect(r.status).toBe(2);
    expect(r.errLines).toEqual([expect.stringMatching(/^dpconform: .*case\.yaml \(line 7, key inputs\[1\]\.at\): instance k8s-master has no interface 'tap99' /)]);
    expect(readFileSync(out, 'utf8')).toBe('before\n');
    const toStdout = cli(['replay', '--case', dir, '--format', 'json']);
    expect(toStdout.status).toBe(2);
    expect(toStdout.stdout.length).toBe(0);
  });
});
