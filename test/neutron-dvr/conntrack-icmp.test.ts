// nf_conntrack's ICMP tracker opens connections only for request types (valid_new: echo, timestamp,
// info request, address mask); any other non-error message is INVALID - untracked, never NATed. Seen
// in the lab (LAB_ONLY=extra): an echo reply sent to the floating IP was not DNATed to the VM.
import { describe, it, expect } from 'vitest';
import { ConntrackTable } from '../../models/neutron-dvr/conntrack.js';
import { DvrInstance } from '../../models/neutron-dvr/dataplane.js';
import { loadDvrScenario } from '../../models/neutron-dvr/scenario.js';
import { setU16 } from '../../harness/wire/bytes.js';
import { internetChecksum } from '../../harness/wire/checksum.js';
import { LinkType, type Packet } from '../../harness/wire/packet.js';
import { frame } from '../../lab/dvr/host-frames.js';

const pkt = (data: Uint8Array): Packet => ({ data, meta: { linkType: LinkType.ETHERNET } });

function icmp(type: number, src = '172.30.0.11', dst = '172.30.89.140'): Uint8Array {
  const b = frame('02:00:ac:1e:00:0b', 'fa:16:3e:6f:c7:c5', src, dst, { proto: 'icmp', sport: 8217, dport: 0, ttl: 64, payload: new Uint8Array(16) });
  b[34] = type;
  setU16(b, 36, 0);
  setU16(b, 36, internetChecksum(b, 34, b.length - 34));
  return b;
}

describe('conntrack: which ICMP messages open a connection (nf_conntrack_proto_icmp valid_new)', () => {
  it.each([
    [8, 'NEW'],
    [13, 'NEW'],
    [0, 'INVALID'],
    [14, 'INVALID'],
  ])('type %i alone: %s', (type, state) => {
    expect(new ConntrackTable().classify(icmp(type)).state).toBe(state);
  });

  it('a stray echo reply to the floating IP is not DNATed: nothing reaches the VM', async () => {
    const m = new DvrInstance(await loadDvrScenario('fixtures/neutron-dvr/scenario.yaml'));
    const r = m.inject(pkt(icmp(0)), { instance: 'ext-host', interface: 'eth0' });
    const states = r.traces.flatMap((t) => t.stages).filter((s) => s.node === 'qrouter-517ba029/nf_conntrack_in').map((s) => s.fields.ctstate);
    expect(states).toEqual(['INVALID']);
    expect(r.outputs.filter((o) => o.meta.interfaceName === 'vm-a7884fb1:eth0')).toHaveLength(0);
  });
});
