// ip4-load-balance over several buckets reuses the hash already in the buffer when that hash is not
// 0, halved (ip4_forward.c ip4_load_balance, liangfudeng/vpp @667cdb51: `if (PREDICT_TRUE
// (vnet_buffer (p0)->ip.flow_hash)) hc0 = vnet_buffer (p0)->ip.flow_hash = flow_hash >> 1; else
// ... ip4_compute_flow_hash`). The test is on the stored hash, so a stored 1 - what vxlan4-encap
// leaves from the L2 path (vpp-facts §5.2, `flow hash: 0x00000001`) - becomes 0: bucket 0, no hash.

import { describe, expect, it } from 'vitest';
import { VlibBuffer } from '../../models/vpp/buffer.js';
import { ip4FlowHash } from '../../models/vpp/flow-hash.js';
import { Vm } from '../../models/vpp/graph.js';
import { ip4LoadBalanceNode } from '../../models/vpp/nodes/ip4-lookup.js';
import { ip4Header } from './frame-builders.js';

/** A VM with one two-bucket load-balance (index 7) over adjacencies 20 and 21. */
function twoBuckets(): Vm {
  const vm = new Vm('lb');
  for (const index of [20, 21]) vm.adjacencies.set(index, { index, kind: 'rewrite', link: 'ipv4', swIfIndex: 1, nextHop: 0, rewrite: new Uint8Array(14), maxL3PacketBytes: 9000 });
  vm.loadBalances.set(7, { index: 7, buckets: [{ type: 'adj', index: 20 }, { type: 'adj', index: 21 }], flowHashConfig: 0x1f });
  return vm;
}

/** A UDP packet 10.0.0.1:1000 -> 10.0.0.2:(dport), its buffer at the IP header, TX adjacency the LB. */
function udpTo(dport: number, flowHash: number): VlibBuffer {
  const udp = new Uint8Array(8);
  udp[0] = 1000 >> 8;
  udp[1] = 1000 & 0xff;
  udp[2] = dport >> 8;
  udp[3] = dport & 0xff;
  const b = VlibBuffer.fromFrame(Uint8Array.from([...ip4Header('10.0.0.1', '10.0.0.2', 17, 8), ...udp]));
  b.adjIndexTx = 7;
  b.flowHash = flowHash;
  return b;
}

/** A destination port whose own flow hash is odd: computing it would pick bucket 1. */
const oddHashPort = (): number => {
  for (let port = 1; ; port++) {
    const b = udpTo(port, 0);
    if ((ip4FlowHash(b.bytes, b.start) & 1) === 1) return port;
  }
};

describe('ip4-load-balance: the stored flow hash decides whether it is reused', () => {
  it('a stored 1 is reused as 0: bucket 0, the buffer keeps 0', () => {
    const b = udpTo(oddHashPort(), 1);
    expect(ip4LoadBalanceNode.process(twoBuckets(), b)).toBe('ip4-rewrite');
    expect(b.adjIndexTx).toBe(20);
    expect(b.flowHash).toBe(0);
  });

  it('a stored 0 is computed from the packet; another stored value is halved', () => {
    const port = oddHashPort();
    const computed = udpTo(port, 0);
    ip4LoadBalanceNode.process(twoBuckets(), computed);
    expect(computed.flowHash).toBe(ip4FlowHash(computed.bytes, computed.start));
    expect(computed.adjIndexTx).toBe(21);
    const halved = udpTo(port, 0x6);
    ip4LoadBalanceNode.process(twoBuckets(), halved);
    expect([halved.flowHash, halved.adjIndexTx]).toEqual([3, 21]);
  });
});
