// ip4-icmp-error never writes p0->error (icmp4.c ip4_icmp_error: neither on its send path nor on its
// no-address drop), so when the ICMP error it built is itself dropped further on - its destination,
// the offending packet's source, is unrouted and meets the FIB's default drop (ip4_specials) -
// error-drop prints the error that made the ICMP error, not one of its own.

import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ip4ToU32 } from '../../harness/wire/address.js';
import { LinkType } from '../../harness/wire/packet.js';
import { vppModel, type VppInstance } from '../../models/vpp/index.js';
import { tcpFrame, tcpFrameLength } from '../../bench/tcp-frame.js';

const CHAIN = fileURLToPath(new URL('./scenarios/routed-chain.yaml', import.meta.url));

describe('an ICMP error that is dropped on its way back', () => {
  it('shows the error that made it (ip4-input: ip4 ttl <= 1)', async () => {
    // TTL 1 from an unrouted source (198.51.100.7) through r1 towards host-b's network.
    const s = {
      dstMac: Uint8Array.of(2, 0, 0, 0, 1, 2), srcMac: Uint8Array.of(2, 0, 0, 0, 0x0a, 0x0a), src: ip4ToU32('198.51.100.7'), dst: ip4ToU32('10.0.2.2'), ipId: 1, ttl: 1, df: true,
      sport: 40000, dport: 80, seq: 1, ack: 0, flags: 0x02, window: 29200, options: new Uint8Array(0), payload: new Uint8Array(0),
    };
    const data = new Uint8Array(tcpFrameLength(s));
    tcpFrame(data, s);
    const inst = (await vppModel.instantiate(CHAIN)) as VppInstance;
    const { traces, outputs } = inst.inject({ data, meta: { linkType: LinkType.ETHERNET } }, { instance: 'r1', interface: 'tap1' });
    const stages = traces[0].stages;
    expect(stages.map((x) => x.node)).toEqual([
      'virtio-input', 'ethernet-input', 'ip4-input', 'ip4-lookup', 'ip4-rewrite', 'ip4-icmp-error', 'ip4-lookup', 'ip4-drop', 'error-drop',
    ]);
    expect(stages.at(-1)!.lines.map((l) => l.trim())).toEqual(['ip4-input: ip4 ttl <= 1']);
    expect(outputs).toHaveLength(0);
  });
});
