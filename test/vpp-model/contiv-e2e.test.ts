// End to end through both Contiv nodes: the pod-to-pod-other-node SYN (seed 004 block 3) enters the
// client node's tap, crosses loop0/BD 1/VXLAN, leaves on the DPDK NIC, enters the server node and
// reaches the server pod's tap. Every stage of a node this model builds (not the NAT/ACL plugin
// nodes, which the vpp-nat-acl engineer models) must equal the golden's lines, except the masked
// runtime values (buffer index, phys_addr, trace index). Fault injection must make it fail.
import { describe, expect, it } from 'vitest';
import { vppModel, type VppInstance } from '../../models/vpp/index.js';
import { Fault } from '../../models/vpp/graph.js';
import { frameFromFirstRewrite, goldenPackets, type GoldenStage } from './golden-stages.js';
import type { Stage } from '../../harness/stage.js';

const SCENARIO = 'fixtures/contiv/scenario.yaml';
const PLUGIN_NODE = /^(acl-plugin|nat44)/;

/** Runtime values no model can know (vpp-facts §4.3): buffer index, phys_addr, trace index. */
function mask(line: string): string {
  return line.replace(/buffer 0x[0-9a-f]+/, 'buffer 0x?').replace(/phys_addr 0x[0-9a-f]+/, 'phys_addr 0x?').replace(/trace 0x[0-9a-f]+/, 'trace 0x?')
    // the flag line's column follows the (masked) buffer index's width
    .replace(/^\s+(?=(l4-cksum|nated))/, '');
}

function firstDivergence(model: Stage[], golden: GoldenStage[]): string | null {
  const g = golden.filter((s) => !PLUGIN_NODE.test(s.node));
  for (let i = 0; i < Math.max(model.length, g.length); i++) {
    const m = model[i];
    const e = g[i];
    if (!m || !e || m.node !== e.node) return `stage ${i}: node ${m?.node} != ${e?.node}`;
    for (let j = 0; j < Math.max(m.lines.length, e.lines.length); j++)
      if (mask(m.lines[j] ?? '') !== mask(e.lines[j] ?? '')) return `stage ${i} ${m.node} line ${j}: '${m.lines[j]}' != '${e.lines[j]}'`;
  }
  return null;
}

async function replayBlock3(faults: string[] = []) {
  const inst = (await vppModel.instantiate(SCENARIO)) as VppInstance;
  for (const f of faults) inst.setFault(f);
  const [client, server] = goldenPackets('golden/contiv/pod-to-pod-other-node.request.trace');
  const frame = frameFromFirstRewrite(client, 74, '02fe6999eb9d0000000000020800');
  const out = inst.inject({ data: frame, meta: { linkType: 1 } }, { instance: 'k8s-master', interface: 'tap11' });
  return { out, client, server };
}

describe('contiv pod-to-pod on another node, SYN (seed 004 block 3)', () => {
  it('crosses both nodes and emits on the server pod tap', async () => {
    const { out } = await replayBlock3();
    expect(out.traces).toHaveLength(2);
    expect(out.outputs.map((p) => p.meta.interfaceName)).toEqual(['GigabitEthernet0/8/0', 'tap12']);
  });

  it("client node: every model-built stage equals the golden's lines (except the NAT-set `nated` buffer flag)", async () => {
    const { out, client } = await replayBlock3();
    const d = firstDivergence(out.traces[0].stages, client);
    // Without the NAT plugin the tx buffer misses the `nated` flag set by nat44-in2out-output.
    expect(d).toMatch(/GigabitEthernet0\/8\/0-tx line 2/);
  });

  it("server node: every model-built stage equals the golden's lines", async () => {
    const { out, server } = await replayBlock3();
    expect(firstDivergence(out.traces[1].stages, server)).toBeNull();
  });

  const faults: [string, RegExp][] = [
    [Fault.TTL_DECREMENT, /ip4-rewrite line 1/],
    [Fault.IP4_CHECKSUM_UPDATE, /ip4-rewrite line 1/],
    [Fault.MAC_REWRITE, /ip4-rewrite line 1/],
    [Fault.VXLAN_SOURCE_PORT, /ip4-load-balance line 4/],
  ];
  for (const [fault, where] of faults)
    it(`switching off ${fault} makes the comparison fail at the first diverging stage`, async () => {
      const { out, client } = await replayBlock3([fault]);
      expect(firstDivergence(out.traces[0].stages, client)).toMatch(where);
    });
});
