// k8s-worker1's loop0 (192.168.30.2) pings k8s-master's loop0 (192.168.30.1) across the VXLAN tunnel:
// VPP's echo reply (random IP id, ip4-icmp-echo.ts) leaves loop0 (BVI), is bridged to vxlan_tunnel0
// and vxlan4-encap puts the tunnel's outer IP/UDP/VXLAN header in front (vpp-facts §7.2). The outer
// header's id comes from the tunnel's rewrite and is known; only the inner copy of the reply's id
// and header checksum is unknown. After the encap the records decode only the outer headers, and
// ip4-rewrite's 60-byte dump ends before the inner IP header.
// The tunnel's GigabitEthernet0/8/0 is linked to k8s-worker1's: the reply crosses into that
// instance, whose records and frames must show the id VPP chose as unknown too, not the model's
// stand-in value (index.ts carries the mark across the link).

import { describe, expect, it } from 'vitest';
import { internetChecksum } from '../../harness/wire/checksum.js';
import type { Stage } from '../../harness/stage.js';
import { vppModel, type VppInstance } from '../../models/vpp/index.js';
import { ethernet, icmpEchoRequest, ip4Header, vxlanFromPeer } from './frame-builders.js';

const CLUSTER = 'fixtures/contiv/scenario.yaml';

function echoOverVxlan(): Uint8Array {
  const icmp = icmpEchoRequest(0x2a, 7);
  const ip = ip4Header('192.168.30.2', '192.168.30.1', 1, icmp.length);
  const inner = ethernet('1a:2b:3c:4d:5e:01', '1a:2b:3c:4d:5e:02', 0x0800, Uint8Array.from([...ip, ...icmp]));
  return vxlanFromPeer('192.168.16.2', inner);
}

/** Outer IP (20) + UDP (8) + VXLAN (8) + inner Ethernet (14): where the inner IP header starts. */
const INNER_IP = 50;

describe('an echo reply VPP sends inside a VXLAN tunnel', () => {
  it('reaches vxlan4-encap; the outer records keep the outer id and checksum, the inner id and checksum are unknown bytes', async () => {
    const inst = (await vppModel.instantiate(CLUSTER)) as VppInstance;
    const r = inst.inject({ data: echoOverVxlan(), meta: { linkType: 1 } }, { instance: 'k8s-master', interface: 'GigabitEthernet0/8/0' });
    const stages = r.traces[0].stages;
    const nodes = stages.map((s) => s.node);
    const encap = nodes.indexOf('vxlan4-encap');
    expect(nodes.indexOf('ip4-icmp-echo-request')).toBeGreaterThan(0);
    expect(encap).toBeGreaterThan(nodes.indexOf('ip4-icmp-echo-request'));
    const outer = stages.slice(encap + 1).filter((s): s is Stage & { packet: NonNullable<Stage['packet']> } => s.packet !== undefined);
    expect(outer.map((s) => s.node)).toEqual(['ip4-load-balance', 'ip4-rewrite', 'GigabitEthernet0/8/0-output', 'GigabitEthernet0/8/0-tx']);
    for (const s of outer) {
      const l2 = s.packet.meta.linkType === 1 ? 14 : 0;
      if (s.node !== 'ip4-rewrite') {
        expect(s.fields['ip4.id'], s.node).toBe(0);
        expect(s.fields['ip4.checksum'], s.node).toBeTypeOf('number');
        expect(internetChecksum(s.packet.data, l2, 20), `${s.node} outer header verifies`).toBe(0);
      } else expect(typeof s.fields.dump, s.node).toBe('string');
      const known = s.packet.known!;
      expect(known.has(l2 + 4, 2), `${s.node} outer id`).toBe(true);
      expect(known.has(l2 + 10, 2), `${s.node} outer checksum`).toBe(true);
      expect(known.has(l2 + INNER_IP + 4, 1) || known.has(l2 + INNER_IP + 5, 1), `${s.node} inner id`).toBe(false);
      expect(known.has(l2 + INNER_IP + 10, 1) || known.has(l2 + INNER_IP + 11, 1), `${s.node} inner checksum`).toBe(false);
      expect(known.has(l2 + INNER_IP + 12, 8), `${s.node} inner addresses`).toBe(true);
    }
    const tx = r.outputs.find((p) => inst.instanceOf(p) === 'k8s-master')!;
    expect([14 + 4, 14 + 10, 14 + INNER_IP + 4, 14 + INNER_IP + 10].map((i) => tx.known!.has(i, 2))).toEqual([true, true, false, false]);
  });

  it('crosses the link into k8s-worker1 with the inner id and header checksum still unknown', async () => {
    const inst = (await vppModel.instantiate(CLUSTER)) as VppInstance;
    const r = inst.inject({ data: echoOverVxlan(), meta: { linkType: 1 } }, { instance: 'k8s-master', interface: 'GigabitEthernet0/8/0' });
    const worker = r.traces.find((t) => inst.instanceOf(t) === 'k8s-worker1')!;
    const stages = worker.stages;
    const nodes = stages.map((s) => s.node);
    const decap = nodes.indexOf('vxlan4-input');
    expect(decap).toBeGreaterThan(0);
    expect(nodes).toContain('ip4-icmp-echo-reply');
    // Before the decap the records decode the outer headers (known); the inner copy is forgotten.
    const rx = stages[0];
    expect(rx.node).toBe('dpdk-input');
    expect(rx.fields['ip4.id']).toBe(0);
    const rxKnown = rx.packet!.known!;
    expect(rxKnown.has(14 + 4, 2) && rxKnown.has(14 + 10, 2), 'outer id and checksum').toBe(true);
    expect(rxKnown.has(14 + INNER_IP + 4, 1) || rxKnown.has(14 + INNER_IP + 5, 1), 'inner id').toBe(false);
    expect(rxKnown.has(14 + INNER_IP + 10, 1) || rxKnown.has(14 + INNER_IP + 11, 1), 'inner checksum').toBe(false);
    // After it the reply's own header is the outermost: no id or checksum field, its bytes forgotten.
    const inner = stages.slice(decap + 1).filter((s) => s.node.startsWith('ip4-') && s.node !== 'ip4-icmp-echo-reply');
    expect(inner.length).toBeGreaterThan(0);
    for (const s of inner) {
      expect(s.fields['ip4.id'], s.node).toBeUndefined();
      expect(s.fields['ip4.checksum'], s.node).toBeUndefined();
      expect(s.packet!.known!.has(4, 1) || s.packet!.known!.has(5, 1), `${s.node} id`).toBe(false);
      expect(s.packet!.known!.has(12, 8), `${s.node} addresses`).toBe(true);
    }
  });
});
