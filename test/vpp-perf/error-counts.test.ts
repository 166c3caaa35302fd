// error-drop counts errors per node and error string (VPP's `show errors`) instead of keeping one
// object per dropped packet: a replay of millions of dropped packets holds nothing per packet.

import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ip4ToU32 } from '../../harness/wire/address.js';
import { LinkType } from '../../harness/wire/packet.js';
import { vppModel, type VppInstance } from '../../models/vpp/index.js';
import { synFrame } from '../../bench/replay.js';

const SCENARIO = fileURLToPath(new URL('../../fixtures/contiv/pod-to-service-same-node/scenario.yaml', import.meta.url));

describe('error counters', () => {
  it('counts each dropped packet once under its node and error string', async () => {
    const inst = (await vppModel.instantiate(SCENARIO)) as VppInstance;
    inst.setTracing(false);
    const syn = (port: number, ttl: number) => {
      const data = new Uint8Array(74);
      synFrame(data, ip4ToU32('10.1.1.3'), port);
      data[14 + 8] = ttl; // after the checksum was computed: a stale IP checksum
      return { data, meta: { linkType: LinkType.ETHERNET } };
    };
    // Three frames with a stale IP checksum (TTL changed after the checksum): ip4-input drops them.
    inst.injectCounting([syn(1001, 9), syn(1002, 9), syn(1003, 9)], { instance: 'k8s-master', interface: 'tap2' });
    const counts = inst.vm('k8s-master').errorCounts;
    expect([...counts].map(([node, byText]) => [node, [...byText]])).toEqual([['ip4-input', [['bad ip4 checksum', 3]]]]);
  });
});
