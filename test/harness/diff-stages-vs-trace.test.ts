// `dpconform diff` of JSON stage records (`replay --format json`: each stage's fields and lines, no
// packet) against a VPP trace showed `packet.length A (absent), B 14 (packet bytes on one side only)`
// at every stage whose record prints a header. The trace states no packet either: its stage packets
// are built from the header fields its records print (suite/stage-packets.ts, vpp-trace/reconstruct.ts)
// - fields the stage records state too, and compared as fields - and their length is how much the
// record prints (ethernet-input: the 14 bytes of its Ethernet header), not the packet's. Neither side
// knows a packet: no bytes to compare and no length. Between files that both state packets (stage
// records with `packet`) a packet on one side only still differs (diff-stage-bytes-one-side.test.ts).

import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { diffFiles } from '../../harness/suite/diff-files.js';
import { readTraces } from '../../harness/suite/sources.js';
import { stagesToJson } from '../../harness/suite/stage-json.js';
import { withStagePackets } from '../../harness/suite/stage-packets.js';
import type { PacketTrace } from '../../harness/stage.js';

const trace = join(process.cwd(), 'golden/contiv/host-to-pod.request.trace');
const dir = mkdtempSync(join(tmpdir(), 'dpconform-stages-vs-trace-'));

/** The trace's stages as stage records: fields and lines, as `replay --format json` writes a model's. */
async function records(edit: (plain: PacketTrace[], read: PacketTrace[]) => PacketTrace[] = (t) => t): Promise<string> {
  const f = join(dir, `records-${Math.random().toString(36).slice(2)}.json`);
  const read = await readTraces(trace, 'trace');
  const plain = read.map((t) => ({ number: t.number, stages: t.stages.map(({ node, time, lines, fields }) => ({ node, time, lines, fields })) }));
  writeFileSync(f, stagesToJson(edit(plain, read)));
  return f;
}

const lengthDiffs = (d: Awaited<ReturnType<typeof diffFiles>>) => d.pairs.flatMap((p) => p.diff.diffs).filter((x) => x.path === 'packet.length');

describe('diff: stage records against a VPP trace, packet bytes neither file states', () => {
  it.each([
    ['records A, trace B', (r: string) => [r, trace]],
    ['trace A, records B', (r: string) => [trace, r]],
  ])('%s: identical, no packet.length on one side', async (_what, order) => {
    const [a, b] = order(await records());
    const d = await diffFiles(a, b);
    expect(lengthDiffs(d)).toEqual([]);
    expect(d.changed).toBe(0);
    expect(d.pairs.length).toBe(1);
  });

  it('a record that states the whole frame against the trace\'s 14 printed bytes: no length difference', async () => {
    // ethernet-input's packet as a capture would state it: the Ethernet header the trace prints, then
    // ip4-input's IP packet (60 bytes) - the same frame, 74 bytes, where the trace's record shows 14.
    const r = await records((ts, read) => {
      const built = withStagePackets(read[0]);
      const eth = built.stages.find((s) => s.node === 'ethernet-input')!.packet!;
      const ip = built.stages.find((s) => s.node === 'ip4-input')!.packet!;
      const frame = new Uint8Array([...eth.data, ...ip.data]);
      const stages = ts[0].stages.map((s) => (s.node === 'ethernet-input' ? { ...s, packet: { data: frame, meta: { linkType: 1 } } } : s));
      return [{ ...ts[0], stages }];
    });
    const d = await diffFiles(r, trace);
    expect(lengthDiffs(d)).toEqual([]);
    expect(d.changed).toBe(0);
  });
});
