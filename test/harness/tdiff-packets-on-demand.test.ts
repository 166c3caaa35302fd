// `diff A.txt B.txt` and run's trace goldens keep no packet per stage: a VPP trace is read streamed
// (readTraceFile) and a stage's packet is built only for the pair being compared. Parsing the whole
// text with a packet on every stage made `diff` of two 50 MB traces peak at over 1 GB. Structural,
// not timed: what the read traces hold, and where the packets are built.
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO } from './build.js';
import { readTraces } from '../../harness/suite/sources.js';
import { firstStagePacket, withStagePackets } from '../../harness/suite/stage-packets.js';
import { diffPacketSets } from '../../harness/diff/packet-match.js';
import { parseTraceWithPackets } from '../../harness/vpp-trace/parse-packets.js';
import { allPackets } from '../../harness/vpp-trace/trace-file.js';
import type { PacketTrace } from '../../harness/stage.js';

const SEED = join(REPO, 'golden/contiv/seed/004_c3bde7ba11825164.txt');

describe('VPP traces for diff and run: stage packets on demand', () => {
  it('readTraces leaves every stage of a VPP trace without a packet', async () => {
    const traces = await readTraces(SEED, 'trace');
    expect(traces.length).toBeGreaterThan(0);
    expect(traces.flatMap((t) => t.stages).filter((s) => s.packet !== undefined)).toEqual([]);
  });

  it('withStagePackets builds the packets the whole-text reader kept, and leaves the read trace as it was', async () => {
    const traces = await readTraces(SEED, 'trace');
    const kept = [...allPackets(parseTraceWithPackets(readFileSync(SEED, 'utf8'), SEED))];
    expect(traces.length).toBe(kept.length);
    traces.forEach((t, i) => {
      const built = withStagePackets(t);
      expect(built.stages.map((s) => s.packet?.data)).toEqual(kept[i].stages.map((s) => s.packet?.data));
      expect(firstStagePacket(t)?.data).toEqual(kept[i].stages.find((s) => s.packet)?.packet?.data);
    });
    expect(traces.flatMap((t) => t.stages).some((s) => s.packet !== undefined)).toBe(false);
    expect(kept.flatMap((t) => t.stages).some((s) => s.packet !== undefined)).toBe(true);
  });

  it('diffPacketSets builds packets per matched pair: identical pairs keep none, a differing pair keeps its own', async () => {
    const a = await readTraces(SEED, 'trace');
    const b = await readTraces(SEED, 'trace');
    // One field changed in one packet of B: that pair differs, every other one is identical.
    const s = b[3].stages.find((x) => x.fields['ip4.ttl'] !== undefined)!;
    s.fields['ip4.ttl'] = 1;
    const asked: PacketTrace[] = [];
    const d = diffPacketSets(a, b, { withPackets: (t) => (asked.push(t), withStagePackets(t)) });
    expect(asked.length).toBe(2 * d.pairs.length);
    expect(d.changed).toBe(1);
    const rows = d.pairs.flatMap((p) => p.diff.traces.flatMap((t) => t.rows));
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.some((r) => r.golden?.packet !== undefined && r.model?.packet !== undefined)).toBe(true);
    for (const t of [...a, ...b]) for (const st of t.stages) expect(st.packet).toBeUndefined();
  });
});
