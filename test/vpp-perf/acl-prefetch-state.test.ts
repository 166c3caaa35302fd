// The ACL plugin's prefetch hook reads ahead the session slots of an instance's ACL state, and makes
// none: an instance whose scenario configures no ACL (its packets meet no ACL node) must not get an
// empty ACL state, with its 64 K-entry per-interface counters and session table, because a batch ran
// with read-ahead on.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ip4ToU32 } from '../../harness/wire/address.js';
import { LinkType, type Packet } from '../../harness/wire/packet.js';
import { ACL_STATE } from '../../models/vpp/acl/index.js';
import { vppModel, type VppInstance } from '../../models/vpp/index.js';
import { synFrame } from '../../bench/replay.js';

const WITH_ACL = fileURLToPath(new URL('../../fixtures/contiv/pod-to-service-same-node/scenario.yaml', import.meta.url));

function syns(count: number): Packet[] {
  return Array.from({ length: count }, (_, i) => {
    const data = new Uint8Array(74);
    synFrame(data, ip4ToU32('10.1.1.3'), 1025 + i);
    return { data, meta: { linkType: LinkType.ETHERNET } } as Packet;
  });
}

async function replayed(scenario: string, instance: string): Promise<VppInstance> {
  const inst = (await vppModel.instantiate(scenario)) as VppInstance;
  inst.setTracing(false);
  inst.setPrefetch('on'); // every group read ahead, whatever the policy would measure
  inst.injectCounting(syns(8), { instance, interface: 'tap2' });
  return inst;
}

describe('ACL prefetch hook', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'acl-prefetch-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('makes no ACL state on an instance configured without ACL', async () => {
    const file = join(dir, 'no-acl.yaml');
    await writeFile(file, 'instances:\n  r1:\n    interfaces:\n      - { name: tap2, sw_if_index: 1, type: tap, addresses: [10.1.1.1/24] }\n');
    const inst = await replayed(file, 'r1');
    expect(inst.prefetchPolicy.prefetchedGroups).toBeGreaterThan(0);
    expect(inst.vm('r1').peekState(ACL_STATE)).toBeUndefined();
  });

  it('reads ahead in the ACL state of an instance configured with ACL (which it does not replace)', async () => {
    const inst = await vppModel.instantiate(WITH_ACL) as VppInstance;
    const configured = inst.vm('k8s-master').peekState(ACL_STATE);
    expect(configured).toBeDefined();
    inst.setTracing(false);
    inst.setPrefetch('on');
    inst.injectCounting(syns(8), { instance: 'k8s-master', interface: 'tap2' });
    expect(inst.vm('k8s-master').peekState(ACL_STATE)).toBe(configured);
  });
});
