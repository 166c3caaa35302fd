// TCP and UDP to a router namespace's own address find no socket: UDP gets ICMP port unreachable from
// that address, TCP a RST (tcp_v4_send_reset); a wrong L4 checksum or a RST gets nothing; a protocol
// without a handler gets protocol unreachable. Seen in the
// lab (LAB_ONLY=extra): UDP to qr-/fg-/qg- addresses, SYNs to qr-/qg- addresses.
import { describe, it, expect } from 'vitest';
import { DvrInstance } from '../../models/neutron-dvr/dataplane.js';
import { loadDvrScenario } from '../../models/neutron-dvr/scenario.js';
import { setU16, setU32, u16, u32 } from '../../harness/wire/bytes.js';
import { internetChecksum, pseudoHeaderSum4 } from '../../harness/wire/checksum.js';
import { LinkType, type Packet } from '../../harness/wire/packet.js';
import { frame, type Flow } from '../../lab/dvr/host-frames.js';
import { ethDst } from '../../models/neutron-dvr/frame.js';

const VM_MAC = 'fa:16:3e:66:15:3c';
const QR_MAC = 'fa:16:3e:b0:bc:f0';
const QR_IP = 0x0a006f01; // 10.0.111.1
const pkt = (data: Uint8Array): Packet => ({ data, meta: { linkType: LinkType.ETHERNET } });

/** What qrouter sends back to the VM for `b` (IPv4 frames addressed to the VM). */
async function answers(b: Uint8Array): Promise<Uint8Array[]> {
  const m = new DvrInstance(await loadDvrScenario('fixtures/neutron-dvr/scenario.yaml'));
  const r = m.inject(pkt(b), { instance: 'vm-a7884fb1', interface: 'eth0' });
  return r.outputs.filter((o) => o.meta.interfaceName === 'vm-a7884fb1:eth0' && ethDst(o.data) === VM_MAC && u16(o.data, 12) === 0x0800).map((o) => o.data);
}

function toQr(f: Omit<Flow, 'ttl'>, flags?: number): Uint8Array {
  const b = frame(VM_MAC, QR_MAC, '10.0.111.9', '10.0.111.1', { ...f, ttl: 64 });
  if (flags !== undefined) {
    setU32(b, 38, 3800206456); // seq
    b[47] = flags;
    setU16(b, 50, 0);
    setU16(b, 50, internetChecksum(b, 34, b.length - 34, pseudoHeaderSum4(b, 26, 30, 6, b.length - 34)));
  }
  return b;
}

describe('TCP/UDP to a router namespace address: no socket', () => {
  it('UDP: ICMP port unreachable from the address the datagram was sent to, quoting it', async () => {
    const udp = toQr({ proto: 'udp', sport: 40051, dport: 33342, payload: new TextEncoder().encode('dpconform udp probe') });
    const out = await answers(udp);
    expect(out).toHaveLength(1);
    const b = out[0];
    expect(u32(b, 26)).toBe(QR_IP);
    expect([b[34], b[35]]).toEqual([3, 3]);
    expect(b[15]).toBe(0xc0);
    expect(b.subarray(42)).toEqual(udp.subarray(14));
  });

  it("UDP to rfp-'s address: the error comes from 169.254.106.114 (RTCF_LOCAL), not from the route back's source 10.0.111.1", async () => {
    const udp = frame(VM_MAC, QR_MAC, '10.0.111.9', '169.254.106.114', { proto: 'udp', sport: 40056, dport: 33345, ttl: 64, payload: new TextEncoder().encode('dpconform udp probe') });
    const out = await answers(udp);
    expect(out).toHaveLength(1);
    expect(u32(out[0], 26)).toBe(0xa9fe6a72);
  });

  it('UDP with a wrong checksum: dropped, no ICMP', async () => {
    const udp = toQr({ proto: 'udp', sport: 40051, dport: 33342, payload: new TextEncoder().encode('x') });
    udp[40] ^= 0xff;
    expect(await answers(udp)).toHaveLength(0);
  });

  it('TCP SYN: RST+ACK, seq 0, ack = seq + 1, id 0, DF, TTL 64, window 0', async () => {
    const out = await answers(toQr({ proto: 'tcp', sport: 40054, dport: 2223, payload: new Uint8Array(0) }, 0x02));
    expect(out).toHaveLength(1);
    const b = out[0];
    expect(u32(b, 26)).toBe(QR_IP);
    expect([u16(b, 18), u16(b, 20), b[22]]).toEqual([0, 0x4000, 64]);
    expect([u16(b, 34), u16(b, 36)]).toEqual([2223, 40054]);
    expect([u32(b, 38), u32(b, 42), b[47], u16(b, 48)]).toEqual([0, 3800206457, 0x14, 0]);
    expect(internetChecksum(b, 34, 20, pseudoHeaderSum4(b, 26, 30, 6, 20))).toBe(0);
  });

  it('TCP ACK: RST with seq = the ACK number and no ACK flag; a RST gets nothing', async () => {
    const ack = toQr({ proto: 'tcp', sport: 40054, dport: 2223, payload: new Uint8Array(0) }, 0x10);
    setU32(ack, 42, 12345);
    setU16(ack, 50, 0);
    setU16(ack, 50, internetChecksum(ack, 34, 20, pseudoHeaderSum4(ack, 26, 30, 6, 20)));
    const out = await answers(ack);
    expect(out).toHaveLength(1);
    expect([u32(out[0], 38), out[0][47]]).toEqual([12345, 0x04]);
    expect(await answers(toQr({ proto: 'tcp', sport: 40054, dport: 2223, payload: new Uint8Array(0) }, 0x04))).toHaveLength(0);
  });

  it('a protocol without a handler (GRE, 47): ICMP protocol unreachable from the address, quoting the packet', async () => {
    const gre = frame(VM_MAC, QR_MAC, '10.0.111.9', '10.0.111.1', { proto: 'udp', sport: 0, dport: 0, ttl: 64, payload: new Uint8Array(12) });
    gre[23] = 47;
    setU16(gre, 24, 0);
    setU16(gre, 24, internetChecksum(gre, 14, 20));
    const out = await answers(gre);
    expect(out).toHaveLength(1);
    expect(u32(out[0], 26)).toBe(QR_IP);
    expect([out[0][34], out[0][35]]).toEqual([3, 2]);
    expect(out[0].subarray(42)).toEqual(gre.subarray(14));
  });
});
