// fib_validate_source (net/ipv4/fib_frontend.c): a received packet whose source is one of the
// namespace's own addresses is a martian, dropped by the input route whether it would be forwarded or
// delivered locally (accept_local 0). Seen in the lab (LAB_ONLY=extra): an echo request sent from
// outside with source 172.30.89.140 to the floating IP crossed fip and rfp-, and qrouter - where
// 172.30.89.140 is local (rfp-'s /32) - DNATed it and then sent nothing at all. With policy rules
// (qrouter) the check is __fib_validate_source's reverse lookup, where a broadcast route fails too: a
// UDP datagram from the VM with source 10.0.111.255 (qr-'s subnet broadcast) went no further than qrouter.
import { describe, it, expect } from 'vitest';
import { DvrInstance } from '../../models/neutron-dvr/dataplane.js';
import { loadDvrScenario } from '../../models/neutron-dvr/scenario.js';
import { LinkType, type Packet } from '../../harness/wire/packet.js';
import { frame, type Flow } from '../../lab/dvr/host-frames.js';

const EXT_MAC = '02:00:ac:1e:00:0b';
const VM_MAC = 'fa:16:3e:66:15:3c';
const QR_MAC = 'fa:16:3e:b0:bc:f0';
const FG_MAC = 'fa:16:3e:6f:c7:c5';
const FIP = '172.30.89.140';
const ECHO: Flow = { proto: 'icmp', sport: 8232, dport: 0, ttl: 64, payload: new Uint8Array(8) };
const pkt = (data: Uint8Array): Packet => ({ data, meta: { linkType: LinkType.ETHERNET } });

async function echoToFloatingIpFrom(src: string) {
  const m = new DvrInstance(await loadDvrScenario('fixtures/neutron-dvr/scenario.yaml'));
  const r = m.inject(pkt(frame(EXT_MAC, FG_MAC, src, FIP, ECHO)), { instance: 'ext-host', interface: 'eth0' });
  const stages = r.traces.flatMap((t) => t.stages).map((s) => s.node);
  const devices = r.outputs.map((o) => o.meta.interfaceName?.split(':')[1]);
  return { stages, devices };
}

describe('a packet whose source is the receiving namespace\'s own address', () => {
  it('reaches qrouter from ext with a normal source and is forwarded to the VM (the control)', async () => {
    const { stages, devices } = await echoToFloatingIpFrom('172.30.0.11');
    expect(stages).toContain('qrouter-517ba029/ip_forward');
    expect(devices).toContain('qr-22378d26-ea');
  });

  it('with the floating IP as its source: dropped in qrouter as a martian, after fip forwarded it', async () => {
    const { stages, devices } = await echoToFloatingIpFrom(FIP);
    expect(devices).toContain('fpr-517ba029-f');
    expect(stages).toContain('qrouter-517ba029/fib_validate_source');
    expect(stages).not.toContain('qrouter-517ba029/ip_forward');
    expect(devices).not.toContain('qr-22378d26-ea');
  });

  it('from the VM with the tenant subnet\'s broadcast address as its source: dropped in qrouter (reverse lookup: broadcast)', async () => {
    const m = new DvrInstance(await loadDvrScenario('fixtures/neutron-dvr/scenario.yaml'));
    const udp: Flow = { proto: 'udp', sport: 40090, dport: 33370, ttl: 64, payload: new Uint8Array(17) };
    const r = m.inject(pkt(frame(VM_MAC, QR_MAC, '10.0.111.255', '172.30.0.11', udp)), { instance: 'vm-a7884fb1', interface: 'eth0' });
    const stages = r.traces.flatMap((t) => t.stages).map((s) => s.node);
    expect(stages).toContain('qrouter-517ba029/fib_validate_source');
    expect(stages).not.toContain('qrouter-517ba029/ip_forward');
    expect(stages).not.toContain('snat-517ba029/ip_rcv');
  });
});
