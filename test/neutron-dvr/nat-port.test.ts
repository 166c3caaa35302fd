// When SNAT's port is taken, Linux (get_unique_tuple) picks a pseudo-random free port: the model
// marks that port and the L4 checksum over it unknown in its prediction, and `check` then accepts
// whatever port the kernel chose as long as the checksum is right for it, and still compares the rest.
import { describe, it, expect } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DvrInstance } from '../../models/neutron-dvr/dataplane.js';
import { parseDvrScenario } from '../../models/neutron-dvr/scenario.js';
import { neutronDvrModel } from '../../models/neutron-dvr/index.js';
import { compareFrames } from '../../harness/check/compare.js';
import { runCheck } from '../../harness/check/check.js';
import { writePcap } from '../../harness/io/pcap.js';
import { u16, setU16 } from '../../harness/wire/bytes.js';
import { internetChecksum, pseudoHeaderSum4 } from '../../harness/wire/checksum.js';
import type { Packet } from '../../harness/wire/packet.js';
import { frame, type Flow } from '../../lab/dvr/host-frames.js';

// Two tenant hosts SNATed to one gateway address (like the snat- namespace's qg- port).
const SCENARIO = `
name: snat-clash
segments: [tenant, external]
namespaces:
  - name: vm-a
    role: host
    devices: [{ name: eth0, mac: 'fa:16:3e:00:00:0a', addresses: [10.0.0.10/24], segment: tenant }]
  - name: vm-b
    role: host
    devices: [{ name: eth0, mac: 'fa:16:3e:00:00:0b', addresses: [10.0.0.11/24], segment: tenant }]
  - name: snat-r
    role: router
    devices:
      - { name: sg-r, mac: 'fa:16:3e:00:00:01', addresses: [10.0.0.2/24], segment: tenant }
      - { name: qg-r, mac: 'fa:16:3e:00:00:02', addresses: [172.30.89.126/17], segment: external }
    neighbours:
      - { ip: 10.0.0.10, mac: 'fa:16:3e:00:00:0a', dev: sg-r }
      - { ip: 10.0.0.11, mac: 'fa:16:3e:00:00:0b', dev: sg-r }
      - { ip: 172.30.0.11, mac: '02:00:ac:1e:00:0b', dev: qg-r }
    iptables: |
      *nat
      :PREROUTING ACCEPT [0:0]
      :POSTROUTING ACCEPT [0:0]
      -A POSTROUTING -o qg-r -j SNAT --to-source 172.30.89.126
      COMMIT
  - name: ext
    role: host
    devices: [{ name: eth0, mac: '02:00:ac:1e:00:0b', addresses: [172.30.0.11/17], segment: external }]
`;

const TCP: Flow = { proto: 'tcp', sport: 40000, dport: 8080, ttl: 64, payload: new Uint8Array([1, 2, 3]) };
const fromA = frame('fa:16:3e:00:00:0a', 'fa:16:3e:00:00:01', '10.0.0.10', '172.30.0.11', TCP);
const fromB = frame('fa:16:3e:00:00:0b', 'fa:16:3e:00:00:01', '10.0.0.11', '172.30.0.11', TCP);
const pkt = (data: Uint8Array, ts = 0n): Packet => ({ data, meta: { linkType: 1, timestampNs: ts } });
const TCP_SPORT = 34;
const TCP_CHECK = 34 + 16;

function atExt(m: DvrInstance, data: Uint8Array, vm: string): Packet {
  const outs = m.inject(pkt(data), { instance: vm, interface: 'eth0' }).outputs.filter((o) => o.meta.interfaceName === 'ext:eth0');
  expect(outs).toHaveLength(1);
  return outs[0];
}

/** What the kernel might have sent instead: the same packet with another source port, checksum fixed. */
function withPort(p: Packet, port: number, fixChecksum = true): Packet {
  const b = p.data.slice();
  setU16(b, TCP_SPORT, port);
  if (fixChecksum) {
    setU16(b, TCP_CHECK, 0);
    const len = u16(b, 16) - 20;
    setU16(b, TCP_CHECK, internetChecksum(b, 34, len, pseudoHeaderSum4(b, 26, 30, 6, len)));
  }
  return { data: b, meta: { linkType: 1, timestampNs: 1n } };
}

describe('SNAT port clash: the random port is not predicted', () => {
  it('the first connection keeps its port (predicted in full); the clashing one has its port and TCP checksum unknown, nothing else', () => {
    const m = new DvrInstance(parseDvrScenario(SCENARIO, 'clash.yaml'));
    const a = atExt(m, fromA, 'vm-a');
    expect(u16(a.data, TCP_SPORT)).toBe(40000);
    expect(!a.known || a.known.isComplete()).toBe(true);
    const inj = m.inject(pkt(fromB), { instance: 'vm-b', interface: 'eth0' });
    const b = inj.outputs.find((o) => o.meta.interfaceName === 'ext:eth0')!;
    expect(b.known).toBeDefined();
    const unknown = [...Array(b.data.length).keys()].filter((i) => !b.known!.has(i));
    expect(unknown).toEqual([TCP_SPORT, TCP_SPORT + 1, TCP_CHECK, TCP_CHECK + 1]);
    const nat = inj.traces.flatMap((t) => t.stages).find((s) => s.node === 'snat-r/nf_nat:POSTROUTING')!;
    expect(nat.lines.join('\n')).toMatch(/port taken/);
    expect(nat.lines.join('\n')).toMatch(/not predicted/);
  });

  it('compareFrames: any port with a valid checksum matches; a stale checksum or another changed field does not', () => {
    const m = new DvrInstance(parseDvrScenario(SCENARIO, 'clash.yaml'));
    atExt(m, fromA, 'vm-a');
    const b = atExt(m, fromB, 'vm-b');
    expect(compareFrames(b, withPort(b, 51234))).toBeUndefined();
    expect(compareFrames(b, withPort(b, 61000))).toBeUndefined();
    expect(compareFrames(b, withPort(b, 51234, false))).toMatchObject({ field: 'tcp.checksum_valid', actual: false });
    const wrongDst = withPort(b, 51234);
    setU16(wrongDst.data, 36, 8081);
    expect(compareFrames(b, wrongDst)?.field).toBe('tcp.dst_port');
    // Without the random port the same port change IS a divergence.
    const a = atExt(new DvrInstance(parseDvrScenario(SCENARIO, 'clash.yaml')), fromA, 'vm-a');
    expect(compareFrames(a, withPort(a, 51234))?.field).toBe('tcp.src_port');
  });

  it('dpconform check over captures where the kernel chose port 51234 for the second flow: MATCH', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dvr-clash-'));
    const scenario = join(dir, 'clash.yaml');
    writeFileSync(scenario, SCENARIO);
    const m = new DvrInstance(parseDvrScenario(SCENARIO, 'clash.yaml'));
    const a = atExt(m, fromA, 'vm-a');
    const b = atExt(m, fromB, 'vm-b');
    const kernelB = withPort(b, 51234);
    // The tenant segment is a learning bridge that has not seen the router's MAC yet: each VM's
    // frame is flooded to the other VM too.
    await writePcap(join(dir, 'a.pcap'), [pkt(fromA, 1_000n), pkt(fromB, 2_001n)]);
    await writePcap(join(dir, 'b.pcap'), [pkt(fromA, 1_001n), pkt(fromB, 2_000n)]);
    await writePcap(join(dir, 'ext.pcap'), [{ ...a, known: undefined, meta: { linkType: 1, timestampNs: 1_500n } }, { ...kernelB, meta: { linkType: 1, timestampNs: 2_500n } }]);
    const captures = [
      { node: 'vm-a', iface: 'eth0', file: join(dir, 'a.pcap') },
      { node: 'vm-b', iface: 'eth0', file: join(dir, 'b.pcap') },
      { node: 'ext', iface: 'eth0', file: join(dir, 'ext.pcap') },
    ];
    const r = await runCheck({ model: neutronDvrModel, scenario, captures });
    expect(r.divergences).toEqual([]);
    expect(r.matched).toBe(4);
    // and a wrong TTL in the same packet is still caught
    const bad = withPort(b, 51234);
    bad.data[22]--;
    setU16(bad.data, 24, 0);
    setU16(bad.data, 24, internetChecksum(bad.data, 14, 20));
    await writePcap(join(dir, 'ext.pcap'), [{ ...a, known: undefined, meta: { linkType: 1, timestampNs: 1_500n } }, { ...bad, meta: { linkType: 1, timestampNs: 2_500n } }]);
    const r2 = await runCheck({ model: neutronDvrModel, scenario, captures });
    expect(r2.divergences[0]).toMatchObject({ kind: 'field', device: 'ext:eth0' });
    expect(r2.divergences[0].diff?.field).toBe('ip4.ttl');
  });
});
