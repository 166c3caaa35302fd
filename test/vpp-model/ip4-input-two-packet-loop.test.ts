// ip4-input's TTL test exists only in its two-packet loop (vpp-facts §5.1), and that loop checks
// both packets of each pair: 17.x/18.01-era src/vnet/ip/ip4_input.h (liangfudeng/vpp @667cdb51)
// ip4_input_check_x2 has `if (PREDICT_FALSE (ip0->ttl < 1)) error0 = IP4_ERROR_TIME_EXPIRED;` and the
// same for ip1, while ip4_input_check_x1 has no TTL test. Pairs are taken from the front while at
// least 4 packets are left: in a 4-packet frame a packet with TTL 0 expires at index 0 or 1 (the first
// pair, b0 and b1 alike) and passes this check at 2 or 3 (the one-packet loop).

import { describe, expect, it } from 'vitest';
import { ip4ToU32 } from '../../harness/wire/address.js';
import { VlibBuffer } from '../../models/vpp/buffer.js';
import { vppModel, type VppInstance } from '../../models/vpp/index.js';
import { ip4InputNode } from '../../models/vpp/nodes/ip4-input.js';
import { tcpFrame, tcpFrameLength } from '../../bench/tcp-frame.js';

function ttl0Buffer(): VlibBuffer {
  const s = {
    dstMac: Uint8Array.of(2, 0, 0, 0, 1, 2), srcMac: Uint8Array.of(2, 0, 0, 0, 0x0a, 0x0a), src: ip4ToU32('10.0.1.2'), dst: ip4ToU32('10.0.2.2'), ipId: 1, ttl: 0, df: true,
    sport: 40000, dport: 80, seq: 1, ack: 0, flags: 0x02, window: 29200, options: new Uint8Array(0), payload: new Uint8Array(0),
  };
  const data = new Uint8Array(tcpFrameLength(s));
  tcpFrame(data, s);
  const b = VlibBuffer.fromFrame(data);
  b.currentData = 14;
  b.currentLength = data.length - 14;
  return b;
}

describe('ip4-input: TTL 0 in the two-packet loop', () => {
  it.each([
    [4, 0, true],
    [4, 1, true],
    [5, 1, true],
    [6, 3, true],
    [1, 0, false],
    [3, 1, false],
    [4, 2, false],
    [4, 3, false],
    [5, 4, false],
  ])('frame of %i, packet %i: time expired %s', async (size, index, expired) => {
    const inst = (await vppModel.instantiate('test/vpp-model/scenarios/routed-chain.yaml')) as VppInstance;
    const vm = inst.vm('r1');
    vm.frame = { size, index };
    const b = ttl0Buffer();
    const next = ip4InputNode.process(vm, b);
    expect(next === 'ip4-icmp-error', `next ${String(next)}`).toBe(expired);
    expect(b.error?.text === 'ip4 ttl <= 1').toBe(expired);
  });
});
