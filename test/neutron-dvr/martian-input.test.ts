// ip_route_input_slow (net/ipv4/route.c) drops the "most weird martians" before any table: a multicast,
// zero-net or loopback source, a zero-net or loopback destination (route_localnet 0). Seen in the lab
// (LAB_ONLY=extra): frames from ext-host to fg-'s MAC with these addresses left nothing on any device.
import { describe, it, expect } from 'vitest';
import { DvrInstance } from '../../models/neutron-dvr/dataplane.js';
import { loadDvrScenario } from '../../models/neutron-dvr/scenario.js';
import { LinkType, type Packet } from '../../harness/wire/packet.js';
import { frame, type Flow } from '../../lab/dvr/host-frames.js';

const EXT_MAC = '02:00:ac:1e:00:0b';
const FG_MAC = 'fa:16:3e:6f:c7:c5';
const ECHO: Flow = { proto: 'icmp', sport: 8234, dport: 0, ttl: 64, payload: new Uint8Array(8) };
const pkt = (data: Uint8Array): Packet => ({ data, meta: { linkType: LinkType.ETHERNET } });

async function echoFromExt(src: string, dst: string) {
  const m = new DvrInstance(await loadDvrScenario('fixtures/neutron-dvr/scenario.yaml'));
  const sent = frame(EXT_MAC, FG_MAC, src, dst, ECHO);
  const r = m.inject(pkt(sent), { instance: 'ext-host', interface: 'eth0' });
  const stages = r.traces.flatMap((t) => t.stages).map((s) => s.node);
  // The external segment carries ext-host's own frame to every port; anything else a router sent.
  const sentByRouters = r.outputs.filter((o) => Buffer.compare(Buffer.from(o.data), Buffer.from(sent)) !== 0);
  return { stages, sentByRouters };
}

describe('martian addresses received by fip from outside', () => {
  it('a normal source to the floating IP is forwarded (the control)', async () => {
    const { stages, sentByRouters } = await echoFromExt('172.30.0.11', '172.30.89.140');
    expect(stages).not.toContain('fip-cb1f1abb/ip_route_input_slow');
    expect(sentByRouters.length).toBeGreaterThan(0);
  });

  it.each([
    ['loopback source', '127.0.0.1', '172.30.89.140'],
    ['zero source to a unicast address', '0.0.0.0', '172.30.89.140'],
    ['multicast source', '224.0.0.5', '172.30.89.140'],
    ['loopback destination', '172.30.0.11', '127.0.0.1'],
  ])('%s: dropped by fip before routing, nothing sent', async (_kind, src, dst) => {
    const { stages, sentByRouters } = await echoFromExt(src, dst);
    expect(stages).toContain('fip-cb1f1abb/ip_route_input_slow');
    expect(sentByRouters).toEqual([]);
  });
});
