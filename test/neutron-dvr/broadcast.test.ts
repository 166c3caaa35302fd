// The tenant subnet's broadcast address is a broadcast route in every router namespace on the subnet
// (fib_add_ifaddr), so a packet to it is delivered locally - not forwarded back out (no ARP for
// 10.0.111.255) - and nothing answers it (icmp_echo_ignore_broadcasts; no ICMP, no RST for a
// broadcast). Seen in the lab (LAB_ONLY=extra): the VM's ping to 10.0.111.255 drew no frame at all.
import { describe, it, expect } from 'vitest';
import { DvrInstance } from '../../models/neutron-dvr/dataplane.js';
import { loadDvrScenario } from '../../models/neutron-dvr/scenario.js';
import { LinkType, type Packet } from '../../harness/wire/packet.js';
import { frame, type Flow } from '../../lab/dvr/host-frames.js';

const VM_MAC = 'fa:16:3e:66:15:3c';
const pkt = (data: Uint8Array): Packet => ({ data, meta: { linkType: LinkType.ETHERNET } });

async function sendToBroadcast(flow: Flow, dst = '10.0.111.255') {
  const m = new DvrInstance(await loadDvrScenario('fixtures/neutron-dvr/scenario.yaml'));
  const r = m.inject(pkt(frame(VM_MAC, 'ff:ff:ff:ff:ff:ff', '10.0.111.9', dst, flow)), { instance: 'vm-a7884fb1', interface: 'eth0' });
  const sentByOthers = r.outputs.filter((o) => !(o.data[6] === 0xfa && o.data[11] === 0x3c)); // not the VM's own frame
  const stages = r.traces.flatMap((t) => t.stages).map((s) => s.node);
  return { sentByOthers, stages };
}

describe('packets to the tenant subnet broadcast address', () => {
  it.each<[string, Flow]>([
    ['echo request', { proto: 'icmp', sport: 8211, dport: 0, ttl: 64, payload: new Uint8Array(8) }],
    ['UDP', { proto: 'udp', sport: 40070, dport: 33350, ttl: 64, payload: new Uint8Array(8) }],
  ])('%s: delivered locally in qrouter and snat-, never forwarded or answered', async (_kind, flow) => {
    const { sentByOthers, stages } = await sendToBroadcast(flow);
    expect(sentByOthers).toEqual([]);
    expect(stages).toContain('qrouter-517ba029/ip_local_deliver');
    expect(stages).toContain('snat-517ba029/ip_local_deliver');
    expect(stages.some((s) => s.endsWith('/ip_forward'))).toBe(false);
  });

  it('255.255.255.255 (ip_route_input_slow: limited broadcast before any table): not policy-routed to fip, not answered', async () => {
    const { sentByOthers, stages } = await sendToBroadcast({ proto: 'icmp', sport: 8216, dport: 0, ttl: 64, payload: new Uint8Array(8) }, '255.255.255.255');
    expect(sentByOthers).toEqual([]);
    expect(stages).toContain('qrouter-517ba029/ip_local_deliver');
    expect(stages.some((s) => s.startsWith('fip-'))).toBe(false);
  });
});
