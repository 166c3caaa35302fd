// IP Record Route on forwarded packets (ip_options_compile + ip_forward_options): each router with a
// free slot writes its output route's source address there and advances the pointer; a full option
// passes unchanged. Seen in the lab (LAB_ONLY=extra): the VM's 2-slot option (slot 1 its own address)
// got 169.254.106.114 from qrouter (out of rfp-), and fip left the then full option alone.
import { describe, it, expect } from 'vitest';
import { DvrInstance } from '../../models/neutron-dvr/dataplane.js';
import { loadDvrScenario } from '../../models/neutron-dvr/scenario.js';
import { setU16, u16 } from '../../harness/wire/bytes.js';
import { internetChecksum } from '../../harness/wire/checksum.js';
import { LinkType, type Packet } from '../../harness/wire/packet.js';
import { frame } from '../../lab/dvr/host-frames.js';
import { ARP_REQUEST, buildArp } from '../../models/neutron-dvr/arp.js';

const VM_MAC = 'fa:16:3e:66:15:3c';
const QR_MAC = 'fa:16:3e:b0:bc:f0';
const pkt = (data: Uint8Array): Packet => ({ data, meta: { linkType: LinkType.ETHERNET } });
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

/** The VM's UDP datagram with IPOPT_RR as its stack sends it: 2 slots, the first holding 10.0.111.9. */
function withRecordRoute(option: number[]): Uint8Array {
  const plain = frame(VM_MAC, QR_MAC, '10.0.111.9', '172.30.0.11', { proto: 'udp', sport: 40048, dport: 33339, ttl: 64, payload: new TextEncoder().encode('dpconform udp probe') });
  const b = new Uint8Array(plain.length + option.length);
  b.set(plain.subarray(0, 34));
  b.set(option, 34);
  b.set(plain.subarray(34), 34 + option.length);
  b[14] = 0x45 + option.length / 4;
  setU16(b, 16, u16(plain, 16) + option.length);
  setU16(b, 24, 0);
  setU16(b, 24, internetChecksum(b, 14, 20 + option.length));
  return b;
}

async function atExternalHost(b: Uint8Array): Promise<Uint8Array[]> {
  const m = new DvrInstance(await loadDvrScenario('fixtures/neutron-dvr/scenario.yaml'));
  // The external host resolves fg- first (as in the lab's warm-up): fip then knows its MAC.
  m.inject(pkt(buildArp(ARP_REQUEST, '02:00:ac:1e:00:0b', 0xac1e000b, 0xac1e5981)), { instance: 'ext-host', interface: 'eth0' });
  const r = m.inject(pkt(b), { instance: 'vm-a7884fb1', interface: 'eth0' });
  return r.outputs.filter((o) => o.meta.interfaceName === 'fip-cb1f1abb-443c-49df-b863-ba4cebf10d18:fg-73de653f-c4' && u16(o.data, 12) === 0x0800).map((o) => o.data);
}

describe('IP Record Route through the DVR routers (ip_forward_options)', () => {
  it("qrouter fills the free slot with rfp-'s address; fip finds the option full", async () => {
    const out = await atExternalHost(withRecordRoute([7, 11, 8, 10, 0, 111, 9, 0, 0, 0, 0, 0]));
    expect(out).toHaveLength(1);
    expect(hex(out[0].subarray(34, 46))).toBe('070b0c0a006f09a9fe6a7200');
    expect(internetChecksum(out[0], 14, 32)).toBe(0);
  });

  it('a three-slot option gets both routers: qrouter (169.254.106.114) then fip (fg-, 172.30.89.129)', async () => {
    const out = await atExternalHost(withRecordRoute([7, 15, 8, 10, 0, 111, 9, 0, 0, 0, 0, 0, 0, 0, 0, 0]));
    expect(hex(out[0].subarray(34, 50))).toBe('070f100a006f09a9fe6a72ac1e598100');
    expect(internetChecksum(out[0], 14, 36)).toBe(0);
  });
});
