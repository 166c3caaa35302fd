// nf_conntrack checks the L4 checksum at PREROUTING (nf_conntrack_checksum=1): a wrong one makes the
// packet INVALID - untracked, so never NATed - and the router forwards it with the VM's fixed address.
// Seen in the lab (LAB_ONLY=extra): UDP with a wrong checksum from the VM left qrouter's rfp- from
// 10.0.111.9, and from VM2 left the snat namespace's qg- from 10.0.111.5.
import { describe, it, expect } from 'vitest';
import { DvrInstance } from '../../models/neutron-dvr/dataplane.js';
import { loadDvrScenario } from '../../models/neutron-dvr/scenario.js';
import { u16, u32 } from '../../harness/wire/bytes.js';
import { LinkType, type Packet } from '../../harness/wire/packet.js';
import { frame, type Flow } from '../../lab/dvr/host-frames.js';
import { ARP_REQUEST, buildArp } from '../../models/neutron-dvr/arp.js';

const QR_MAC = 'fa:16:3e:b0:bc:f0';
const pkt = (data: Uint8Array): Packet => ({ data, meta: { linkType: LinkType.ETHERNET } });
const FLOW: Flow = { proto: 'udp', sport: 40072, dport: 33352, ttl: 64, payload: new TextEncoder().encode('dpconform udp badsum') };

async function sourceLeaving(vm: { ns: string; mac: string; ip: string }, device: string, badChecksum: boolean): Promise<number[]> {
  const m = new DvrInstance(await loadDvrScenario('fixtures/neutron-dvr/scenario.yaml'));
  // The external host resolves fg- and qg- first (as in the lab's warm-up): fip and snat- learn its MAC.
  for (const tip of [0xac1e5981, 0xac1e597e]) m.inject(pkt(buildArp(ARP_REQUEST, '02:00:ac:1e:00:0b', 0xac1e000b, tip)), { instance: 'ext-host', interface: 'eth0' });
  const b = frame(vm.mac, QR_MAC, vm.ip, '172.30.0.11', FLOW);
  if (badChecksum) b[41] ^= 0x5a; // UDP checksum, low byte
  const r = m.inject(pkt(b), { instance: vm.ns, interface: 'eth0' });
  return r.outputs.filter((o) => o.meta.interfaceName === device && u16(o.data, 12) === 0x0800 && o.data[23] === 17).map((o) => u32(o.data, 26));
}

describe('conntrack and a wrong L4 checksum (udp_error at PREROUTING)', () => {
  const VM = { ns: 'vm-a7884fb1', mac: 'fa:16:3e:66:15:3c', ip: '10.0.111.9' };
  const VM2 = { ns: 'vm-3b6f0d2e', mac: 'fa:16:3e:3b:6f:0d', ip: '10.0.111.5' };
  const RFP = 'qrouter-517ba029-f811-4af8-9cfd-6cef0babd1d1:rfp-517ba029-f';
  const QG = 'snat-517ba029-f811-4af8-9cfd-6cef0babd1d1:qg-cf417cb0-53';

  it('float SNAT: a good checksum leaves as the floating IP, a wrong one as the fixed IP', async () => {
    expect(await sourceLeaving(VM, RFP, false)).toEqual([0xac1e598c]);
    expect(await sourceLeaving(VM, RFP, true)).toEqual([0x0a006f09]);
  });

  it('central SNAT: a wrong checksum leaves qg- with VM2\'s own address', async () => {
    expect(await sourceLeaving(VM2, QG, false)).toEqual([0xac1e597e]);
    expect(await sourceLeaving(VM2, QG, true)).toEqual([0x0a006f05]);
  });
});
