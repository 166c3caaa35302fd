// Text-exact end to end: all 18 packet traces of seed 004 (14 blocks; blocks 3, 4, 11, 12 on both
// nodes). Each flow's request then response enters its flow scenario through the frame rebuilt from
// the golden (models/vpp/entry-frame.ts); every line the model prints must be the golden's line,
// except the runtime values no model can know (vpp-facts §4.3: buffer index, phys_addr, trace index)
// and the session numbers: NAT44 session indices and ACL session-hit `rule`s are pool indices whose
// absolute values depend on sessions that VPP held before the trace (no scenario states them). The
// model's numbers must be a consistent renaming of the seed's, per instance and pool: the same seed
// number always maps to the same model number (the reply hits the session its request made) and two
// seed numbers never map to one model number.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { vppModel, type VppInstance } from '../../models/vpp/index.js';
import { entryFrames } from '../../models/vpp/entry-frame.js';
import { parseTrace } from '../../harness/vpp-trace/parse.js';
import { allPackets } from '../../harness/vpp-trace/trace-file.js';
import type { PacketTrace } from '../../harness/stage.js';
import { DIRECTIONS, FLOWS, type Flow } from './contiv-flows.js';
import { SessionRenaming } from './session-renaming.js';

function mask(line: string): string {
  return line
    .replace(/buffer 0x[0-9a-f]+/, 'buffer 0x?')
    .replace(/phys_addr 0x[0-9a-f]+/, 'phys_addr 0x?')
    .replace(/trace 0x[0-9a-f]+/, 'trace 0x?')
    // the buffer-flags line is indented under the (masked) buffer index: its column follows that width
    .replace(/^\s+(?=(l4-cksum|nated|buffer-flags))/, '');
}

function goldenTraces(file: string): PacketTrace[] {
  return [...allPackets(parseTrace(readFileSync(file, 'utf8'), { file }))];
}

async function replayFlow(flow: Flow) {
  const inst = (await vppModel.instantiate(`fixtures/contiv/${flow.name}/scenario.yaml`)) as VppInstance;
  const out: PacketTrace[] = [];
  const instances: string[] = [];
  DIRECTIONS.forEach((dir, i) => {
    const file = `golden/contiv/${flow.name}.${dir}.trace`;
    const e = entryFrames(readFileSync(file, 'utf8'), file)[0];
    const vm = inst.vm(flow.enters[i]);
    const itf = e.interfaceName ?? [...vm.interfaces.values()].find((x) => x.hwIfIndex === e.hwIfIndex)!.name;
    const traces = inst.inject(e.packet, { instance: flow.enters[i], interface: itf, node: e.node }).traces;
    out.push(...traces);
    instances.push(...traces.map((x) => inst.instanceOf(x)!));
  });
  return { out, instances };
}

describe('every seed 004 packet trace, line for line', () => {
  let total = 0;
  for (const flow of FLOWS)
    it(`${flow.name}: request and response on ${flow.enters[0] === flow.enters[1] ? 'one node' : 'both nodes'}`, async () => {
      const { out: model, instances } = await replayFlow(flow);
      const golden = DIRECTIONS.flatMap((d) => goldenTraces(`golden/contiv/${flow.name}.${d}.trace`));
      expect(model.length).toBe(golden.length);
      total += golden.length;
      const sessions = new SessionRenaming();
      model.forEach((t, i) => {
        expect(t.stages.map((s) => s.node)).toEqual(golden[i].stages.map((s) => s.node));
        t.stages.forEach((s, j) => {
          const where = `${flow.name} trace ${i + 1} ${s.node}`;
          const expected = golden[i].stages[j].lines.map((l, k) => sessions.rename(instances[i], l, s.lines[k] ?? '', where));
          expect(s.lines.map(mask), where).toEqual(expected.map(mask));
        });
      });
    });
  it('covers all 18 packet traces', () => expect(total).toBe(18));
});
