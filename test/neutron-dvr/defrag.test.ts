// Fragments through a NATing namespace: conntrack's defrag reassembles them first, NAT rewrites the
// whole datagram (addresses in every fragment, the UDP checksum in the first), and ip_fragment sends it
// on in the pieces it came in. Seen in the lab (LAB_ONLY=extra): 3000 bytes of UDP as 1480+1480+48
// through qrouter's float SNAT leave rfp- as 1480+1480+48, later fragments' payload untouched.
import { describe, it, expect } from 'vitest';
import { DvrInstance } from '../../models/neutron-dvr/dataplane.js';
import { loadDvrScenario } from '../../models/neutron-dvr/scenario.js';
import { setU16, u16, u32 } from '../../harness/wire/bytes.js';
import { internetChecksum, pseudoHeaderSum4 } from '../../harness/wire/checksum.js';
import { LinkType, type Packet } from '../../harness/wire/packet.js';
import { frame } from '../../lab/dvr/host-frames.js';

const VM_MAC = 'fa:16:3e:66:15:3c';
const QR_MAC = 'fa:16:3e:b0:bc:f0';
const FIP = 0xac1e598c; // 172.30.89.140
const pkt = (data: Uint8Array): Packet => ({ data, meta: { linkType: LinkType.ETHERNET } });

/** The VM's 3000-byte UDP datagram cut as its stack cuts it for a 1500-byte MTU. */
function fragments(): Uint8Array[] {
  const payload = new Uint8Array(3000 - 8).map((_, i) => (i * 7 + 3) & 0xff);
  const whole = frame(VM_MAC, QR_MAC, '10.0.111.9', '172.30.0.11', { proto: 'udp', sport: 40045, dport: 33336, ttl: 64, payload });
  const data = whole.subarray(34);
  const sizes = [1480, 1480, data.length - 2960];
  let off = 0;
  return sizes.map((n, i) => {
    const f = new Uint8Array(34 + n);
    f.set(whole.subarray(0, 34));
    f.set(data.subarray(off, off + n), 34);
    setU16(f, 16, 20 + n);
    setU16(f, 20, (off >> 3) | (i < sizes.length - 1 ? 0x2000 : 0));
    setU16(f, 24, 0);
    setU16(f, 24, internetChecksum(f, 14, 20));
    off += n;
    return f;
  });
}

describe('IPv4 fragments through a NATing namespace (nf_defrag_ipv4 + ip_fragment)', () => {
  it('float SNAT: held until complete, then sent in the same pieces, NATed as one datagram', async () => {
    const m = new DvrInstance(await loadDvrScenario('fixtures/neutron-dvr/scenario.yaml'));
    const frags = fragments();
    const onRfp = (p: Packet[]) => p.filter((o) => o.meta.interfaceName === 'qrouter-517ba029-f811-4af8-9cfd-6cef0babd1d1:rfp-517ba029-f' && u16(o.data, 12) === 0x0800);
    const first = m.inject(pkt(frags[0]), { instance: 'vm-a7884fb1', interface: 'eth0' });
    const second = m.inject(pkt(frags[1]), { instance: 'vm-a7884fb1', interface: 'eth0' });
    expect(onRfp(first.outputs)).toHaveLength(0); // defrag holds the pieces
    expect(onRfp(second.outputs)).toHaveLength(0);
    const third = m.inject(pkt(frags[2]), { instance: 'vm-a7884fb1', interface: 'eth0' });
    const out = onRfp(third.outputs).map((o) => o.data);
    expect(out.map((b) => b.length)).toEqual(frags.map((f) => f.length));
    let whole = new Uint8Array(0);
    out.forEach((b, i) => {
      expect(u32(b, 26)).toBe(FIP); // every fragment carries the NATed source
      expect(b[22]).toBe(63);
      expect(u16(b, 20)).toBe(u16(frags[i], 20)); // offset and MF as they came
      expect(internetChecksum(b, 14, 20)).toBe(0);
      if (i > 0) expect(b.subarray(34)).toEqual(frags[i].subarray(34)); // payload, not "ports"
      whole = new Uint8Array([...whole, ...b.subarray(34)]);
    });
    // The UDP checksum in the first fragment is right for the whole NATed datagram.
    expect(internetChecksum(whole, 0, whole.length, pseudoHeaderSum4(out[0], 26, 30, 17, whole.length))).toBe(0);
  });
});
