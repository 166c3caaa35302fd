// vxlan4-encap entered for an interface that is not a VXLAN tunnel. VPP reaches vxlan4-encap only
// through a tunnel's output arc, so 18.01's encap has no error for a miss (vxlan_encap_inline,
// vxlan/encap.c, counts only "good packets encapsulated"): the model's own drop says "(model)"
// rather than borrowing a VPP string (it said `no such tunnel`, which 18.01's encap never files).

import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { LinkType } from '../../harness/wire/packet.js';
import { vppModel, type VppInstance } from '../../models/vpp/index.js';
import { ethernet, ip4Header } from './frame-builders.js';

const SCENARIO = fileURLToPath(new URL('./scenarios/routed-chain-small-mtu.yaml', import.meta.url));

describe('vxlan4-encap with no tunnel', () => {
  it('drops under a (model) error', async () => {
    const inst = (await vppModel.instantiate(SCENARIO)) as VppInstance;
    const frame = ethernet('02:00:00:00:01:02', '02:00:00:00:0a:0a', 0x0800, ip4Header('10.0.1.2', '10.0.2.2', 17, 0));
    const r = inst.inject({ data: frame, meta: { linkType: LinkType.ETHERNET } }, { instance: 'r1', interface: 'tap1', node: 'vxlan4-encap' });
    const stages = r.traces[0].stages;
    expect(stages.map((s) => s.node)).toEqual(['error-drop']);
    expect(stages[0].lines.join('\n')).toBe('  vxlan4-encap: TX interface is not a VXLAN tunnel (model)');
  });
});
