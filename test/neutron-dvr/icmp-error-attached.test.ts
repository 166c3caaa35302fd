// An ICMP error a router generates joins the offending packet's connection (icmp_glue_bits ->
// nf_ct_attach) even when that connection was never confirmed (the packet died in ip_forward), as
// RELATED in the other direction; NAT then translates it. Seen in the lab (LAB_ONLY=extra): VM2's
// datagram to the floating IP with TTL 1 was DNATed by qrouter, expired there, and the time exceeded
// came from 172.30.89.140 quoting the datagram as VM2 sent it (to 172.30.89.140).
import { describe, it, expect } from 'vitest';
import { DvrInstance } from '../../models/neutron-dvr/dataplane.js';
import { loadDvrScenario } from '../../models/neutron-dvr/scenario.js';
import { u16, u32 } from '../../harness/wire/bytes.js';
import { internetChecksum } from '../../harness/wire/checksum.js';
import { LinkType, type Packet } from '../../harness/wire/packet.js';
import { frame, type Flow } from '../../lab/dvr/host-frames.js';
import { ethDst } from '../../models/neutron-dvr/frame.js';

const VM2_MAC = 'fa:16:3e:3b:6f:0d';
const QR_MAC = 'fa:16:3e:b0:bc:f0';
const FIP = 0xac1e598c; // 172.30.89.140
const pkt = (data: Uint8Array): Packet => ({ data, meta: { linkType: LinkType.ETHERNET } });
const FLOW: Flow = { proto: 'udp', sport: 40071, dport: 33351, ttl: 1, payload: new TextEncoder().encode('dpconform udp probe') };

describe('ICMP errors attached to an unconfirmed NATed connection (nf_ct_attach)', () => {
  it('TTL 1 after DNAT: the error comes from the floating IP and quotes the packet as sent', async () => {
    const m = new DvrInstance(await loadDvrScenario('fixtures/neutron-dvr/scenario.yaml'));
    const sent = frame(VM2_MAC, QR_MAC, '10.0.111.5', '172.30.89.140', FLOW);
    const r = m.inject(pkt(sent), { instance: 'vm-3b6f0d2e', interface: 'eth0' });
    const back = r.outputs.filter((o) => o.meta.interfaceName === 'vm-3b6f0d2e:eth0' && ethDst(o.data) === VM2_MAC && u16(o.data, 12) === 0x0800);
    expect(back).toHaveLength(1);
    const e = back[0].data;
    expect([e[34], e[35]]).toEqual([11, 0]);
    expect(u32(e, 26)).toBe(FIP); // outer source: translated like a reply to the connection
    expect(e.subarray(42)).toEqual(sent.subarray(14)); // the quote un-DNATed: the datagram as VM2 sent it
    expect(internetChecksum(e, 34, e.length - 34)).toBe(0);
    // the connection stays unconfirmed: the same datagram with a live TTL is a NEW connection again
    const again = frame(VM2_MAC, QR_MAC, '10.0.111.5', '172.30.89.140', { ...FLOW, ttl: 64 });
    const r2 = m.inject(pkt(again), { instance: 'vm-3b6f0d2e', interface: 'eth0' });
    const states = r2.traces.flatMap((t) => t.stages).filter((s) => s.node === 'qrouter-517ba029/nf_conntrack_in').map((s) => s.fields.ctstate);
    expect(states[0]).toBe('NEW');
  });
});
