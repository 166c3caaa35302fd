// A router namespace answers an echo request to one of its own addresses (icmp_echo -> icmp_reply):
// from the address pinged, back to the sender, TTL 64, no DF, the IP id the kernel's (not predicted).
// Seen in the lab (LAB_ONLY=extra): the VM pinging qr-'s and fpr-'s addresses, the external host fg-'s.
import { describe, it, expect } from 'vitest';
import { DvrInstance } from '../../models/neutron-dvr/dataplane.js';
import { loadDvrScenario } from '../../models/neutron-dvr/scenario.js';
import { u16, u32 } from '../../harness/wire/bytes.js';
import { internetChecksum } from '../../harness/wire/checksum.js';
import { ip4ToBytes } from '../../harness/wire/address.js';
import { LinkType, type Packet } from '../../harness/wire/packet.js';
import { frame } from '../../lab/dvr/host-frames.js';
import { ARP_REQUEST, buildArp } from '../../models/neutron-dvr/arp.js';
import { ethDst } from '../../models/neutron-dvr/frame.js';

const VM_MAC = 'fa:16:3e:66:15:3c';
const QR_MAC = 'fa:16:3e:b0:bc:f0';
const EXT_MAC = '02:00:ac:1e:00:0b';
const FG_MAC = 'fa:16:3e:6f:c7:c5';
const PAYLOAD = new TextEncoder().encode('dpconform-dvr-lab-echo');

const pkt = (data: Uint8Array): Packet => ({ data, meta: { linkType: LinkType.ETHERNET } });
const ip = (s: string): number => u32(ip4ToBytes(s, new Uint8Array(4), 0), 0);

async function ping(from: { ns: string; mac: string; ip: string; gwMac: string }, dst: string, id: number, ttl = 64) {
  const m = new DvrInstance(await loadDvrScenario('fixtures/neutron-dvr/scenario.yaml'));
  // The sender resolves the address first, as in the lab: the router learns the sender from the request.
  m.inject(pkt(buildArp(ARP_REQUEST, from.mac, ip(from.ip), ip(dst.startsWith('172.30.') ? dst : '10.0.111.1'))), { instance: from.ns, interface: 'eth0' });
  const req = frame(from.mac, from.gwMac, from.ip, dst, { proto: 'icmp', sport: id, dport: 0, ttl, payload: PAYLOAD });
  const r = m.inject(pkt(req), { instance: from.ns, interface: 'eth0' });
  // What reaches the sender: an IPv4 frame addressed to its MAC.
  const back = r.outputs.filter((o) => o.meta.interfaceName === `${from.ns}:eth0` && ethDst(o.data) === from.mac && u16(o.data, 12) === 0x0800);
  return { req, back };
}

describe('a router namespace answers pings to its own addresses (icmp_echo)', () => {
  it("qr-'s address: qrouter replies from 10.0.111.1, TTL 64, no DF, identifier, sequence and data kept", async () => {
    const { req, back } = await ping({ ns: 'vm-a7884fb1', mac: VM_MAC, ip: '10.0.111.9', gwMac: QR_MAC }, '10.0.111.1', 8202);
    expect(back).toHaveLength(1);
    const b = back[0].data;
    expect(u32(b, 26)).toBe(ip('10.0.111.1'));
    expect(u32(b, 30)).toBe(ip('10.0.111.9'));
    expect(b[22]).toBe(64); // ip_default_ttl, not the request's TTL
    expect(u16(b, 20)).toBe(0); // IP_PMTUDISC_DONT: no DF
    expect(b[34]).toBe(0); // ICMP_ECHOREPLY
    expect(b.subarray(38)).toEqual(req.subarray(38)); // identifier, sequence, data
    expect(internetChecksum(b, 34, b.length - 34)).toBe(0);
    expect(back[0].known?.has(18, 2)).toBe(false); // the IP id is the kernel's
  });

  it("fpr-'s address through the floating IP's SNAT: fip answers 172.30.89.140, qrouter un-SNATs it (TTL 63 at the VM)", async () => {
    const { back } = await ping({ ns: 'vm-a7884fb1', mac: VM_MAC, ip: '10.0.111.9', gwMac: QR_MAC }, '169.254.106.115', 8204);
    expect(back).toHaveLength(1);
    const b = back[0].data;
    expect(u32(b, 26)).toBe(ip('169.254.106.115'));
    expect(u32(b, 30)).toBe(ip('10.0.111.9'));
    expect(b[22]).toBe(63);
    expect(b[34]).toBe(0);
  });

  it("fg-'s address from the external host: fip replies from 172.30.89.129", async () => {
    const { back } = await ping({ ns: 'ext-host', mac: EXT_MAC, ip: '172.30.0.11', gwMac: FG_MAC }, '172.30.89.129', 8201);
    expect(back).toHaveLength(1);
    expect(u32(back[0].data, 26)).toBe(ip('172.30.89.129'));
    expect(back[0].data[34]).toBe(0);
  });
});
