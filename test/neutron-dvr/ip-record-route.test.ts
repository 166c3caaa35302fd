// IP Record Route (net/ipv4/ip_options.c): on forwarded packets (ip_options_compile + ip_forward_options)
// each router with a free slot writes its output route's source address there and advances the
// pointer; a full option passes unchanged. Answers (echo reply, ICMP errors, RST) echo the option as
// compiled at receive (__ip_options_echo). Seen in the lab (LAB_ONLY=extra): the VM's 2-slot option
// (slot 1 its own address) got 169.254.106.114 from qrouter (out of rfp-), and fip left the then full
// option alone; an echo request to qr-'s address and a TTL-1 datagram got the option back with
// 10.0.111.1 in slot 2, the time exceeded quoting the compiled header with its stale checksum.
import { describe, it, expect } from 'vitest';
import { DvrInstance } from '../../models/neutron-dvr/dataplane.js';
import { loadDvrScenario } from '../../models/neutron-dvr/scenario.js';
import { setU16, u16 } from '../../harness/wire/bytes.js';
import { internetChecksum } from '../../harness/wire/checksum.js';
import { LinkType, type Packet } from '../../harness/wire/packet.js';
import { frame, type Flow } from '../../lab/dvr/host-frames.js';
import { ARP_REQUEST, buildArp } from '../../models/neutron-dvr/arp.js';
import { withIpOptions } from './option-frames.js';

const VM_MAC = 'fa:16:3e:66:15:3c';
const QR_MAC = 'fa:16:3e:b0:bc:f0';
const pkt = (data: Uint8Array): Packet => ({ data, meta: { linkType: LinkType.ETHERNET } });
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

/** The VM's packet (default: UDP to the external host) with IPOPT_RR as its stack sends it. */
function withRecordRoute(option: number[], dst = '172.30.0.11', flow: Flow = { proto: 'udp', sport: 40048, dport: 33339, ttl: 64, payload: new TextEncoder().encode('dpconform udp probe') }): Uint8Array {
  return withIpOptions(frame(VM_MAC, QR_MAC, '10.0.111.9', dst, flow), option);
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

  const RR2 = [7, 11, 8, 10, 0, 111, 9, 0, 0, 0, 0, 0]; // the VM's stack filled slot 1
  const toVm = async (b: Uint8Array): Promise<Uint8Array[]> => {
    const m = new DvrInstance(await loadDvrScenario('fixtures/neutron-dvr/scenario.yaml'));
    const r = m.inject(pkt(b), { instance: 'vm-a7884fb1', interface: 'eth0' });
    return r.outputs.filter((o) => o.meta.interfaceName === 'vm-a7884fb1:eth0' && o.data[0] === 0xfa && o.data[5] === 0x3c && u16(o.data, 12) === 0x0800).map((o) => o.data);
  };

  it("echo request to qr-'s address: the reply carries the option as compiled (slot 2 = spec_dst 10.0.111.1)", async () => {
    const echo = { proto: 'icmp' as const, sport: 8212, dport: 0, ttl: 64, payload: new TextEncoder().encode('dpconform-dvr-lab-') };
    const out = await toVm(withRecordRoute(RR2, '10.0.111.1', echo));
    expect(out).toHaveLength(1);
    expect(out[0][14]).toBe(0x48);
    expect(hex(out[0].subarray(34, 46))).toBe('070b0c0a006f090a006f0100');
    expect(out[0][46]).toBe(0); // echo reply after the options
    expect(internetChecksum(out[0], 14, 32)).toBe(0);
    expect(internetChecksum(out[0], 46, out[0].length - 46)).toBe(0);
  });

  it('three slots: the reply claims the last one for its own source (ip_options_echo + ip_options_build)', async () => {
    const echo = { proto: 'icmp' as const, sport: 8213, dport: 0, ttl: 64, payload: new TextEncoder().encode('dpconform-dvr-lab-') };
    const out = await toVm(withRecordRoute([7, 15, 8, 10, 0, 111, 9, 0, 0, 0, 0, 0, 0, 0, 0, 0], '10.0.111.1', echo));
    expect(hex(out[0].subarray(34, 50))).toBe('070f100a006f090a006f010a006f0100');
  });

  it('TTL 1 in qrouter: the time exceeded echoes the option and quotes the compiled header, checksum not updated', async () => {
    const sent = withRecordRoute(RR2);
    sent[22] = 1;
    setU16(sent, 24, 0);
    setU16(sent, 24, internetChecksum(sent, 14, 32));
    const out = await toVm(sent);
    expect(out).toHaveLength(1);
    const e = out[0];
    expect(hex(e.subarray(34, 46))).toBe('070b0c0a006f090a006f0100');
    expect([e[46], e[47]]).toEqual([11, 0]);
    const quote = e.subarray(54);
    expect(hex(quote.subarray(20, 32))).toBe('070b0c0a006f090a006f0100');
    expect(u16(quote, 10)).toBe(u16(sent, 24)); // the sender's checksum, stale after the compile step
    expect(internetChecksum(quote, 0, 32)).not.toBe(0);
  });
});
