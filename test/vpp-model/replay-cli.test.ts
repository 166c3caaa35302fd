// dpconform replay: trace / capture / case inputs; VPP text, JSON and pcapng outputs; bad input is
// one line on stderr and exit 2.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runReplay } from '../../harness/cli/replay.js';
import { main } from '../../harness/cli/main.js';
import { parseTrace } from '../../harness/vpp-trace/parse.js';
import { allPackets } from '../../harness/vpp-trace/trace-file.js';
import { stagesFromJson } from '../../harness/suite/stage-json.js';
import { readCaptureAll } from '../../harness/io/capture.js';
import { encodePcapng } from '../../harness/io/pcapng.js';
import { entryFrames } from '../../models/vpp/entry-frame.js';
import { vppModel, type VppInstance } from '../../models/vpp/index.js';
import { inputsFromCapture, outputsPcapng, replay } from '../../models/vpp/replay.js';
import { ip4ToU32 } from '../../harness/wire/address.js';
import { synFrame } from '../../bench/replay.js';

const tmp = mkdtempSync(join(tmpdir(), 'replay-'));
const SAME = 'fixtures/contiv/pod-to-pod-same-node/scenario.yaml';
const SAME_REQ = 'golden/contiv/pod-to-pod-same-node.request.trace';

function bodies(text: string, file = 'x') {
  return [...allPackets(parseTrace(text, { file }))].map((t) => t.stages.map((s) => [s.node, ...s.lines]));
}

describe('dpconform replay', () => {
  it('a VPP trace input replays to VPP show-trace text equal to the golden (times fixed at 00:00:00:000000)', async () => {
    const text = (await runReplay({ scenario: SAME, input: SAME_REQ, instance: 'k8s-master', format: 'vpp' })) as string;
    expect(text.startsWith('------------------- Start of thread 0 vpp_main -------------------\nPacket 1\n\n00:00:00:000000: virtio-input\n')).toBe(true);
    expect(text.endsWith('\n\n')).toBe(true);
    expect(bodies(text)).toEqual(bodies(readFileSync(SAME_REQ, 'utf8')));
  });

  it('a capture input (pcapng, interface name = the tap) gives the same trace as the trace input', async () => {
    const e = entryFrames(readFileSync(SAME_REQ, 'utf8'))[0];
    const cap = join(tmp, 'in.pcapng');
    writeFileSync(cap, encodePcapng([{ data: e.packet.data, meta: { linkType: 1, interfaceId: 0, timestampNs: 0n } }], { interfaces: [{ linkType: 1, name: 'tap11' }] }));
    const fromCap = (await runReplay({ scenario: SAME, input: cap, instance: 'k8s-master', format: 'vpp' })) as string;
    const fromTrace = (await runReplay({ scenario: SAME, input: SAME_REQ, instance: 'k8s-master', format: 'vpp' })) as string;
    expect(fromCap).toBe(fromTrace);
  });

  it('--case replays the sequence on both nodes: one labelled show-trace section per instance', async () => {
    const text = (await runReplay({ case: 'fixtures/contiv/pod-to-pod-other-node/response', format: 'vpp' })) as string;
    expect(text).toMatch(/^k8s-master:\n-{11}\n-{19} Start of thread 0 vpp_main -{19}\nPacket 1\n/);
    expect(text).toMatch(/\nk8s-worker1:\n-{12}\n-{19} Start of thread 0 vpp_main/);
    const golden = [...allPackets(parseTrace(readFileSync('golden/contiv/pod-to-pod-other-node.request.trace', 'utf8')))];
    // master: the SYN's and the SYN-ACK's client-node traces; worker: the other two
    const model = [...allPackets(parseTrace(text))];
    expect(model.map((t) => t.stages[0].node)).toEqual(['virtio-input', 'dpdk-input', 'dpdk-input', 'virtio-input']);
    // the client node's SYN trace, line for line, but for the runtime values (buffer index, phys_addr,
    // trace index) and the NAT44 session number (a pool index that depends on the VPP's history;
    // test/vpp-model/contiv-e2e.test.ts checks session numbers as a consistent renaming)
    const runtime = (l: string) =>
      l.replace(/(buffer|phys_addr|trace) 0x[0-9a-f]+/g, '$1 ?').replace(/^\s+(?=(l4-cksum|nated))/, '').replace(/(session(?: index)?) \d+$/, '$1 ?');
    expect(model[0].stages.map((s) => s.lines.map(runtime))).toEqual(golden[0].stages.map((s) => s.lines.map(runtime)));
  });

  it('--format json: stage records naming their instance; --format pcap: output frames per instance/interface', async () => {
    const json = (await runReplay({ case: 'fixtures/contiv/pod-to-pod-other-node/request', format: 'json' })) as string;
    const traces = stagesFromJson(json, 'x.json');
    const golden = [...allPackets(parseTrace(readFileSync('golden/contiv/pod-to-pod-other-node.request.trace', 'utf8')))];
    expect(traces.map((t) => t.stages.map((s) => s.node))).toEqual(golden.map((t) => t.stages.map((s) => s.node)));
    expect(JSON.parse(json).traces.map((t: { instance: string }) => t.instance)).toEqual(['k8s-master', 'k8s-worker1']);
    const out = join(tmp, 'out.pcapng');
    const bytes = await runReplay({ case: 'fixtures/contiv/pod-to-pod-other-node/request', format: 'pcap', output: out });
    writeFileSync(out, bytes);
    const pkts = await readCaptureAll(out);
    expect(pkts.map((p) => p.meta.interfaceName)).toEqual(['k8s-master/GigabitEthernet0/8/0', 'k8s-worker1/tap12']);
    expect(pkts[0].meta.origLength).toBe(124); // VXLAN: 14 + 20 + 8 + 8 + the 74-byte inner frame
    // captured up to the bytes the trace shows of the SYN (60 of 74: test/vpp-model/replay-trace-pcap-shown-bytes.test.ts)
    expect(pkts[0].data.length).toBe(110);
  });
});

describe('dpconform replay --format pcap (tracing off, inputs batched)', () => {
  it('writes the frames a traced replay transmits, byte for byte, sessions made and hit', async () => {
    const scenario = 'fixtures/contiv/pod-to-service-same-node/scenario.yaml';
    const frames = [3, 4, 3, 5, 4].map((port) => {
      const data = new Uint8Array(74);
      synFrame(data, ip4ToU32('10.1.1.3'), 1024 + port);
      return { data, meta: { linkType: 1, interfaceId: 0, timestampNs: 0n } };
    });
    const cap = join(tmp, 'syns.pcapng');
    writeFileSync(cap, encodePcapng(frames, { interfaces: [{ linkType: 1, name: 'tap2' }] }));
    const fast = (await runReplay({ scenario, input: cap, instance: 'k8s-master', format: 'pcap', output: join(tmp, 'o.pcapng') })) as Uint8Array;
    const inst = (await vppModel.instantiate(scenario)) as VppInstance;
    const traced = replay(inst, await inputsFromCapture(cap, { instance: 'k8s-master' }));
    expect(traced.traces).toHaveLength(frames.length);
    expect(traced.outputs).toHaveLength(frames.length);
    expect(Buffer.from(fast).equals(Buffer.from(outputsPcapng(traced)))).toBe(true);
  });
});

describe('dpconform replay: bad input is one line and exit 2', () => {
  let err = '';
  afterEach(() => {
    vi.restoreAllMocks();
    process.exitCode = 0;
  });
  async function cli(...args: string[]): Promise<{ code: number | undefined; err: string }> {
    err = '';
    vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((err += String(s)), true));
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    process.exitCode = 0;
    await main(['node', 'dpconform', 'replay', ...args]);
    return { code: process.exitCode as number | undefined, err };
  }
  const garbage = join(tmp, 'garbage.txt');
  writeFileSync(garbage, 'hello\nthis is not a trace\n');
  const cases: Array<[string, string[], RegExp]> = [
    ['a missing input file', ['--scenario', SAME, '--input', join(tmp, 'nope.pcap'), '--instance', 'k8s-master'], /nope\.pcap: no such file/],
    ['text that holds no packet trace', ['--scenario', SAME, '--input', garbage, '--instance', 'k8s-master'], /garbage\.txt: no packet trace/],
    ['an ambiguous instance', ['--scenario', SAME, '--input', SAME_REQ], /2 instances: say which one/],
    ['an unknown instance', ['--scenario', SAME, '--input', SAME_REQ, '--instance', 'k8s-nope'], /no instance 'k8s-nope'/],
    ['an unknown interface', ['--scenario', SAME, '--input', SAME_REQ, '--instance', 'k8s-master', '--interface', 'tap99'], /no interface 'tap99'/],
    ['an unknown node to enter at', ['--scenario', SAME, '--input', SAME_REQ, '--instance', 'k8s-master', '--interface', 'tap2', '--node', 'nosuch-node'], /has no graph node 'nosuch-node'/],
    ['an unknown format', ['--scenario', SAME, '--input', SAME_REQ, '--format', 'xml'], /unknown --format 'xml'/],
    ['a bad scenario', ['--scenario', garbage, '--input', SAME_REQ], /garbage\.txt.*(line 1|expected)/],
    ['a case folder without case.yaml', ['--case', tmp], /case\.yaml/],
    ['pcap to stdout', ['--scenario', SAME, '--input', SAME_REQ, '--format', 'pcap'], /give -o FILE/],
  ];
  for (const [what, args, msg] of cases)
    it(what, async () => {
      const r = await cli(...args);
      expect(r.code).toBe(2);
      expect(r.err.trimEnd().split('\n')).toHaveLength(1);
      expect(r.err).toMatch(msg);
      expect(r.err).not.toMatch(/\n\s+at /);
    });
});
