// A malformed IP option: __ip_options_compile (net/ipv4/ip_options.c) stops at the bad byte,
// ip_options_compile answers ICMP parameter problem (type 12 code 0, info = htonl((pp_ptr - iph) << 24))
// and ip_rcv_options drops the packet. Seen in the lab (LAB_ONLY=extra, kernel 6.18, captures-s9):
// the VM's UDP with "07 02 00 00" -> from 10.0.111.1, pointer 21, quoting the 49-byte datagram as
// sent, no options in the error; "07 08 04 00" (longer than the header) -> pointer 20; to qr-'s own
// address -> the same from 10.0.111.1; inbound to the floating IP with an RR pointer of 3 -> fip
// answers from 172.30.89.129 with pointer 22. And "00 01 00 00" (a byte after End): set to End at
// receive, the header checksum recomputed when forwarded.
import { describe, it, expect } from 'vitest';
import { DvrInstance } from '../../models/neutron-dvr/dataplane.js';
import { loadDvrScenario } from '../../models/neutron-dvr/scenario.js';
import { u16, u32 } from '../../harness/wire/bytes.js';
import { internetChecksum } from '../../harness/wire/checksum.js';
import { LinkType, type Packet } from '../../harness/wire/packet.js';
import { frame, type Flow } from '../../lab/dvr/host-frames.js';
import { ARP_REQUEST, buildArp } from '../../models/neutron-dvr/arp.js';
import { ethDst } from '../../models/neutron-dvr/frame.js';
import { withIpOptions } from './option-frames.js';

const VM_MAC = 'fa:16:3e:66:15:3c';
const QR_MAC = 'fa:16:3e:b0:bc:f0';
const EXT_MAC = '02:00:ac:1e:00:0b';
const FG_MAC = 'fa:16:3e:6f:c7:c5';
const FIP_NS = 'fip-cb1f1abb-443c-49df-b863-ba4cebf10d18';
const pkt = (data: Uint8Array): Packet => ({ data, meta: { linkType: LinkType.ETHERNET } });
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const udp = (sport: number, dport: number): Flow => ({ proto: 'udp', sport, dport, ttl: 64, payload: new TextEncoder().encode('dpconform udp raw') });

async function model(): Promise<DvrInstance> {
  return new DvrInstance(await loadDvrScenario('fixtures/neutron-dvr/scenario.yaml'));
}

/** What the VM sends with these option bytes, and the IPv4 frames that come back to it / leave at fip's fg-. */
async function fromVm(option: number[], dst = '172.30.0.11') {
  const m = await model();
  m.inject(pkt(buildArp(ARP_REQUEST, EXT_MAC, 0xac1e000b, 0xac1e5981)), { instance: 'ext-host', interface: 'eth0' });
  const sent = withIpOptions(frame(VM_MAC, QR_MAC, '10.0.111.9', dst, udp(40092, 33372)), option);
  const r = m.inject(pkt(sent.slice()), { instance: 'vm-a7884fb1', interface: 'eth0' });
  const ipv4 = (dev: string) => r.outputs.filter((o) => o.meta.interfaceName === dev && u16(o.data, 12) === 0x0800).map((o) => o.data);
  return { sent, toVm: ipv4('vm-a7884fb1:eth0').filter((d) => ethDst(d) === VM_MAC), atFg: ipv4(`${FIP_NS}:fg-73de653f-c4`) };
}

/** Checks an ICMP parameter problem frame: source, pointer, the offending packet quoted whole, no options. */
function expectParameterProblem(e: Uint8Array, from: number, pointer: number, quoted: Uint8Array): void {
  expect(e[14]).toBe(0x45);
  expect(e[15]).toBe(0xc0);
  expect(u32(e, 26)).toBe(from);
  expect(hex(e.subarray(34, 42))).toBe(`0c00${hex(e.subarray(36, 38))}${pointer.toString(16).padStart(2, '0')}000000`);
  expect(e.subarray(42)).toEqual(quoted);
  expect(internetChecksum(e, 34, e.length - 34)).toBe(0);
}

describe('malformed IP options: ICMP parameter problem (ip_options_compile)', () => {
  it('Record Route of length 2, forwarded: qrouter answers from 10.0.111.1 with pointer 21 and drops it', async () => {
    const { sent, toVm, atFg } = await fromVm([7, 2, 0, 0]);
    expect(toVm).toHaveLength(1);
    expectParameterProblem(toVm[0], 0x0a006f01, 21, sent.subarray(14));
    expect(atFg).toHaveLength(0);
  });

  it('an option longer than the rest of the header: pointer 20 (its type byte)', async () => {
    const { sent, toVm, atFg } = await fromVm([7, 8, 4, 0]);
    expectParameterProblem(toVm[0], 0x0a006f01, 20, sent.subarray(14));
    expect(atFg).toHaveLength(0);
  });

  it("to qr-'s own address: the same answer, from that address", async () => {
    const { sent, toVm } = await fromVm([7, 2, 0, 0], '10.0.111.1');
    expect(toVm).toHaveLength(1);
    expectParameterProblem(toVm[0], 0x0a006f01, 21, sent.subarray(14));
  });

  it('inbound to the floating IP with an RR pointer of 3: fip answers from fg-\'s 172.30.89.129, pointer 22', async () => {
    const m = await model();
    m.inject(pkt(buildArp(ARP_REQUEST, EXT_MAC, 0xac1e000b, 0xac1e5981)), { instance: 'ext-host', interface: 'eth0' }); // fip learns ext-host
    const sent = withIpOptions(frame(EXT_MAC, FG_MAC, '172.30.0.11', '172.30.89.140', udp(40095, 33375)), [7, 7, 3, 0, 0, 0, 0, 0]);
    const r = m.inject(pkt(sent.slice()), { instance: 'ext-host', interface: 'eth0' });
    const back = r.outputs.filter((o) => o.meta.interfaceName === 'ext-host:eth0' && ethDst(o.data) === EXT_MAC && u16(o.data, 12) === 0x0800);
    expect(back).toHaveLength(1);
    expectParameterProblem(back[0].data, 0xac1e5981, 22, sent.subarray(14));
    expect(r.outputs.some((o) => o.meta.interfaceName?.startsWith('qrouter-'))).toBe(false);
  });

  it('a second Record Route option: pointer at its type byte, the first one already compiled (and echoed)', async () => {
    const { toVm } = await fromVm([7, 7, 4, 0, 0, 0, 0, 7, 3, 4, 1, 0]);
    expect(toVm).toHaveLength(1);
    const e = toVm[0];
    expect(e[14]).toBe(0x47); // the first RR comes back in the error's own options (__ip_options_echo)
    expect(e[34 + 8 + 4]).toBe(27);
  });

  it('a byte after End of Options becomes End; forwarded with a recomputed header checksum', async () => {
    const { toVm, atFg } = await fromVm([0, 1, 0, 0]);
    expect(toVm).toHaveLength(0);
    expect(atFg).toHaveLength(1);
    expect(hex(atFg[0].subarray(34, 38))).toBe('00000000');
    expect(internetChecksum(atFg[0], 14, 24)).toBe(0);
  });

  it('an unknown option type with a sound length is left alone and forwarded (the compile step\'s default case)', async () => {
    const { toVm, atFg } = await fromVm([0x9e, 4, 0xaa, 0xbb]);
    expect(toVm).toHaveLength(0);
    expect(hex(atFg[0].subarray(34, 38))).toBe('9e04aabb');
  });
});
