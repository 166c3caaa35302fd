// Every interface a scenario configures has the same fields, in the same order, from the start and
// after packets ran (configure.ts): V8 gives objects built with different fields - or that gain one
// later, as outputNode on an interface's first output - different hidden classes, and every load
// of an interface field on the packet path then sees several (polymorphic, and a deopt of the
// optimised replay loop whenever a new class turns up). The scenario has all the kinds: a bridged
// BVI loop, a VXLAN tunnel, a dpdk NIC and taps.

import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { vppModel, type VppInstance } from '../../models/vpp/index.js';
import { synFrame } from '../../bench/replay.js';
import { ip4ToU32 } from '../../harness/wire/address.js';
import { LinkType } from '../../harness/wire/packet.js';

const SCENARIO = fileURLToPath(new URL('../../fixtures/contiv/pod-to-service-same-node/scenario.yaml', import.meta.url));

function fieldLists(inst: VppInstance): Map<string, string> {
  const vm = inst.vm('k8s-master');
  return new Map([...vm.interfaces.values()].map((itf) => [itf.name, Object.keys(itf).join(',')]));
}

describe('SwInterface shape', () => {
  it('is one field list for every interface kind, before and after packets leave on some of them', async () => {
    const inst = (await vppModel.instantiate(SCENARIO)) as VppInstance;
    const before = fieldLists(inst);
    const vm = inst.vm('k8s-master');
    const kinds = new Set([...vm.interfaces.values()].map((itf) => `${itf.kind}${itf.l2 ? '+l2' : ''}`));
    expect(kinds.size).toBeGreaterThanOrEqual(3);
    expect(new Set(before.values()).size).toBe(1);

    // A pod -> service SYN: NATed and sent out of the backend's tap (its output node is resolved).
    const data = new Uint8Array(74);
    synFrame(data, ip4ToU32('10.1.1.3'), 40000);
    const sent = inst.injectCounting([{ data, meta: { linkType: LinkType.ETHERNET } }], { instance: 'k8s-master', interface: 'tap2' });
    expect(sent).toBe(1);
    const after = fieldLists(inst);
    expect(after).toEqual(before);
  });
});
