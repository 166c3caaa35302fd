// What a parsed trace holds: `trace parse` on a 50 MB trace peaked near 1 GB. Stitches of one
// tunnel end now share one end object (a trace repeating a tunnelled flow has millions of
// stitches), and readTraceFile checks each stage's checksums without keeping its packet: the
// packet is built again where it is printed (parse --json, to-pcap), byte for byte the same. Stage
// fields are copied into a plain object once built (a hash table otherwise).

import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import type { VppStage } from '../../harness/vpp-trace/nodes/index.js';
import type { TraceFile, VppPacketTrace } from '../../harness/vpp-trace/trace-file.js';
import { allPackets } from '../../harness/vpp-trace/trace-file.js';
import { stitch } from '../../harness/vpp-trace/stitch.js';
import { readTraceFile } from '../../harness/vpp-trace/read.js';
import { parseTrace } from '../../harness/vpp-trace/parse.js';
import { packetOf, reconstructPackets } from '../../harness/vpp-trace/reconstruct.js';
import { jsonText, traceJson } from '../../harness/vpp-trace/json.js';

const SEED = 'golden/contiv/seed/004_c3bde7ba11825164.txt';

function stage(node: string, fields: Record<string, string | number>, kind?: string): VppStage {
  return { node, lines: [], fields, ...(kind ? { kind } : {}) };
}
const inner = { 'ip4.src': '10.1.1.1', 'ip4.dst': '10.1.2.1', 'ip4.id': 7, 'ip4.ttl': 64, 'ip4.checksum': 1, 'ip4.proto': 6 };
const encap = (line: number): VppPacketTrace => ({ line, stages: [stage('ip4-rewrite', inner), stage('vxlan4-encap', { vni: 10 }, 'vxlan-encap')] });
const decap = (line: number): VppPacketTrace => ({ line, stages: [stage('vxlan4-input', { vni: 10, tunnel: 0 }, 'vxlan-input'), stage('ip4-input', inner)] });

describe('stitch ends', () => {
  it('one object per tunnel end, shared by all its stitches', () => {
    const f: TraceFile = { threads: [{ packets: [encap(1), decap(2), encap(3), decap(4)] }], warnings: [], lines: 0 };
    const st = stitch(f);
    expect(st.map((s) => [s.from.packet.line, s.to.packet.line])).toEqual([[1, 2], [1, 4], [3, 2], [3, 4]]);
    expect(st[0].from).toBe(st[1].from);
    expect(st[2].from).toBe(st[3].from);
    expect(st[0].to).toBe(st[2].to);
    expect(st[1].to).toBe(st[3].to);
  });
});

describe('readTraceFile', () => {
  it('keeps no packet on the stages; the packet printed is the one reconstructPackets keeps', async () => {
    const read = await readTraceFile(SEED);
    const kept = parseTrace(readFileSync(SEED, 'utf8'), { file: SEED });
    reconstructPackets(kept);
    const readStages = [...allPackets(read)].flatMap((p) => p.stages);
    const keptStages = [...allPackets(kept)].flatMap((p) => p.stages);
    expect(readStages.filter((s) => s.packet !== undefined)).toEqual([]);
    const built = readStages.map((s) => packetOf(read, s));
    expect(built.filter(Boolean).length).toBeGreaterThan(100);
    expect(built).toEqual(keptStages.map((s) => s.packet));
    expect(read.warnings.filter((w) => w.code === 'checksum')).toEqual(kept.warnings.filter((w) => w.code === 'checksum'));
    expect(jsonText(traceJson(read))).toBe(jsonText(traceJson({ ...kept, file: SEED })));
  });
});

describe('stage fields', () => {
  it('are plain fast objects, not hash tables (a 25-field hash table is ~1.6 KB, the object ~250 B)', () => {
    setFlagsFromString('--allow-natives-syntax');
    const hasFastProperties = new Function('o', 'return %HasFastProperties(o)') as (o: object) => boolean;
    const f = parseTrace(readFileSync(SEED, 'utf8'), { file: SEED });
    const stages = [...allPackets(f)].flatMap((p) => p.stages);
    expect(stages.filter((s) => Object.keys(s.fields).length > 20).length).toBeGreaterThan(20);
    expect(stages.filter((s) => !hasFastProperties(s.fields)).map((s) => `${s.node} (line ${s.line})`)).toEqual([]);
  });
});
