// injectBatch is inject with the session-hash slots of a group of packets read ahead (speed only):
// the same packets give the same traces, outputs and sessions as injecting them one by one, and
// each plugin's prefetch reads the very slot its lookup will use (a table holding only that flow's
// key has that slot filled; any other key's home slot would most likely be empty).

import fc from 'fast-check';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ip4ToU32 } from '../../harness/wire/address.js';
import { LinkType, type Packet } from '../../harness/wire/packet.js';
import type { Injection } from '../../harness/model.js';
import { vppModel, type VppInstance } from '../../models/vpp/index.js';
import { nat44Of } from '../../models/vpp/nat44/nodes.js';
import { aclOf } from '../../models/vpp/acl/nodes.js';
import { synFrame } from '../../bench/replay.js';

const SCENARIO = fileURLToPath(new URL('../../fixtures/contiv/pod-to-service-same-node/scenario.yaml', import.meta.url));
const AT = { instance: 'k8s-master', interface: 'tap2' };

function syns(ports: number[]): Packet[] {
  const client = ip4ToU32('10.1.1.3');
  return ports.map((port) => {
    const data = new Uint8Array(74);
    synFrame(data, client, 1024 + port);
    return { data, meta: { linkType: LinkType.ETHERNET } } as Packet;
  });
}

function summary(inst: VppInstance, results: Injection[]) {
  return {
    traces: results.map((r) => r.traces),
    outputs: results.map((r) => r.outputs.map((p) => [p.meta.interfaceName, Buffer.from(p.data).toString('hex')])),
    nat: nat44Of(inst.vm('k8s-master'))!.thread.sessions.size,
    acl: aclOf(inst.vm('k8s-master')).sessions.size,
  };
}

describe('injectBatch', () => {
  it('gives the traces, outputs and sessions of injecting the packets one by one, in order', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.nat(50), { minLength: 1, maxLength: 100 }), async (ports) => {
        const one = (await vppModel.instantiate(SCENARIO)) as VppInstance;
        const batch = (await vppModel.instantiate(SCENARIO)) as VppInstance;
        const seen: Injection[] = [];
        const each = syns(ports).map((p) => one.inject(p, AT));
        const packets = syns(ports);
        const order: Packet[] = [];
        batch.injectBatch(packets, AT, (r, p) => {
          seen.push(r);
          order.push(p);
        });
        expect(order).toEqual(packets);
        expect(summary(batch, seen)).toEqual(summary(one, each));
      }),
      { numRuns: 10 },
    );
  });

  it('the ACL and NAT44 prefetch read the slots of the keys their lookups use', async () => {
    // One flow per fresh instance: its key is then the only one in each table, so its home slot is
    // empty before and filled after; a wrongly built key's home slot stays empty (15 in 16 slots).
    for (const p of syns([7, 8, 9, 10, 11, 12])) {
      const inst = (await vppModel.instantiate(SCENARIO)) as VppInstance;
      const vm = inst.vm('k8s-master');
      const tap2 = vm.interfacesByName.get('tap2')!.swIfIndex;
      const nat = nat44Of(vm)!;
      const acl = aclOf(vm);
      expect(acl.prefetch(tap2, p.data)).toBe(0);
      expect(nat.prefetch(vm, tap2, p.data)).toBe(0);
      inst.inject(p, AT);
      expect([acl.sessions.size, nat.thread.out2inEd.size]).toEqual([1, 1]);
      expect(acl.prefetch(tap2, p.data)).not.toBe(0);
      expect(nat.prefetch(vm, tap2, p.data)).not.toBe(0);
    }
  });
});
