// When SNAT's port is taken, Linux (get_unique_tuple) picks a pseudo-random free port: the model
// marks that port and the L4 checksum over it unknown in its prediction and names it; `check` binds
// the name to the port of the first capture that shows it (checksum valid, the rest compared), tells
// the model, requires that port wherever the connection appears afterwards, and the kernel's replies
// to it are un-NATed by the model like any other.
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
    expect(compareFrames(b, withPort(b, 51234, false))).toMatchObject({ field: 'tcp.checksum_valid', captured: false });
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

  describe('check binds the port the kernel chose', () => {
    const PAYLOAD = new Uint8Array([1, 2, 3]);
    const EXT = '02:00:ac:1e:00:0b';
    const QG = 'fa:16:3e:00:00:02';
    const SG = 'fa:16:3e:00:00:01';
    const VMB = 'fa:16:3e:00:00:0b';
    /** The external host answers the second connection at the port it saw. */
    const replyTo = (port: number): Uint8Array => frame(EXT, QG, '172.30.0.11', '172.30.89.126', { ...TCP, sport: port }, true);
    /** What the kernel delivers to vm-b for that reply: un-SNATed to 10.0.0.11:40000, TTL 63. */
    const unNated = (dport = 40000): Uint8Array => frame(SG, VMB, '172.30.0.11', '10.0.0.11', { ...TCP, sport: dport, ttl: 63, payload: PAYLOAD }, true);

    async function clashCheck(opts: { secondPort?: number; delivered?: Uint8Array } = {}) {
      const dir = mkdtempSync(join(tmpdir(), 'dvr-bind-'));
      const scenario = join(dir, 'clash.yaml');
      writeFileSync(scenario, SCENARIO);
      const m = new DvrInstance(parseDvrScenario(SCENARIO, 'clash.yaml'));
      const a = atExt(m, fromA, 'vm-a');
      const b = atExt(m, fromB, 'vm-b');
      const t = (n: number): { linkType: 1; timestampNs: bigint } => ({ linkType: 1, timestampNs: BigInt(n) });
      // vm-b sends a second segment of the same connection later; the kernel keeps the port it chose.
      const fromB2 = fromB.slice();
      fromB2[14 + 20 + 4 + 3] = 9; // another sequence number (checksum fixed below)
      setU16(fromB2, TCP_CHECK, 0);
      setU16(fromB2, TCP_CHECK, internetChecksum(fromB2, 34, u16(fromB2, 16) - 20, pseudoHeaderSum4(fromB2, 26, 30, 6, u16(fromB2, 16) - 20)));
      const b2AtExt = withPort(atExt(m, fromB2, 'vm-b'), opts.secondPort ?? 51234);
      await writePcap(join(dir, 'a.pcap'), [pkt(fromA, 1_000n), pkt(fromB, 2_001n)]);
      // (vm-a's first frame is flooded to vm-b: the tenant bridge has not learned sg-r's MAC yet)
      await writePcap(join(dir, 'b.pcap'), [pkt(fromA, 1_001n), pkt(fromB, 2_000n), { data: opts.delivered ?? unNated(), meta: t(3_500) }, pkt(fromB2, 4_000n)]);
      await writePcap(join(dir, 'ext.pcap'), [
        { data: a.data, meta: t(1_500) },
        { data: withPort(b, 51234).data, meta: t(2_500) },
        { data: replyTo(51234), meta: t(3_000) },
        { data: b2AtExt.data, meta: t(4_500) },
      ]);
      return runCheck({
        model: neutronDvrModel,
        scenario,
        captures: [
          { node: 'vm-a', iface: 'eth0', file: join(dir, 'a.pcap') },
          { node: 'vm-b', iface: 'eth0', file: join(dir, 'b.pcap') },
          { node: 'ext', iface: 'eth0', file: join(dir, 'ext.pcap') },
        ],
      });
    }

    it('binds 51234 from the first capture, un-NATs the reply to it and requires it on the next packet: MATCH', async () => {
      const r = await clashCheck();
      expect(r.divergences).toEqual([]);
      expect(r.bound).toHaveLength(1);
      expect(r.bound[0].id).toBe('snat-r: source NAT port of tcp 10.0.0.11:40000 -> 172.30.0.11:8080');
      expect(r.bound[0].value).toEqual([51234 >> 8, 51234 & 0xff]);
      expect(r.bound[0].captured).toMatch(/ext\.pcap:2$/);
      expect(r.matched).toBe(r.predicted);
    });

    it('a later packet of the connection on another port than the bound one is a divergence at tcp.src_port', async () => {
      const r = await clashCheck({ secondPort: 51235 });
      expect(r.divergences[0]).toMatchObject({ kind: 'field', device: 'ext:eth0', diff: { field: 'tcp.src_port', model: 51234, captured: 51235 } });
    });

    it('a reply the kernel failed to un-NAT (still to port 51234 at the VM) is a divergence at tcp.dst_port', async () => {
      const r = await clashCheck({ delivered: unNated(51234) });
      expect(r.divergences[0]).toMatchObject({ kind: 'field', device: 'vm-b:eth0', diff: { field: 'tcp.dst_port', model: 40000, captured: 51234 } });
    });

    it('without the binding the model could not un-NAT the reply (the port is what makes it match)', () => {
      const m = new DvrInstance(parseDvrScenario(SCENARIO, 'clash.yaml'));
      atExt(m, fromA, 'vm-a');
      const b = atExt(m, fromB, 'vm-b');
      const [u] = m.unboundValues(b);
      expect(u).toMatchObject({ offset: TCP_SPORT, length: 2 });
      const unbound = m.inject(pkt(replyTo(51234)), { instance: 'ext', interface: 'eth0' }).outputs.filter((o) => o.meta.interfaceName === 'vm-b:eth0');
      expect(unbound).toHaveLength(0);
      m.bind(u.id, new Uint8Array([51234 >> 8, 51234 & 0xff]));
      // the connection's next packet leaves with the bound port, known (nothing left to bind)
      const next = atExt(m, fromB, 'vm-b');
      expect(u16(next.data, TCP_SPORT)).toBe(51234);
      expect(next.known?.has(TCP_SPORT, 2) ?? true).toBe(true);
      expect(m.unboundValues(next)).toEqual([]);
      const bound = m.inject(pkt(replyTo(51234)), { instance: 'ext', interface: 'eth0' }).outputs.filter((o) => o.meta.interfaceName === 'vm-b:eth0');
      expect(bound).toHaveLength(1);
      expect(compareFrames(bound[0], pkt(unNated()))).toBeUndefined();
    });
  });

  it('--random-fully (newer L3 agents add it to the gateway SNAT): every port is the kernel\'s choice, bound like a clash', () => {
    const yaml = SCENARIO.replace('-j SNAT --to-source 172.30.89.126', '-j SNAT --to-source 172.30.89.126 --random-fully');
    expect(yaml).not.toBe(SCENARIO);
    const m = new DvrInstance(parseDvrScenario(yaml, 'random-fully.yaml'));
    const inj = m.inject(pkt(fromA), { instance: 'vm-a', interface: 'eth0' });
    const a = inj.outputs.find((o) => o.meta.interfaceName === 'ext:eth0')!;
    expect(a.known?.has(TCP_SPORT, 2)).toBe(false); // no clash, still not predicted
    const nat = inj.traces.flatMap((t) => t.stages).find((st) => st.node === 'snat-r/nf_nat:POSTROUTING')!;
    expect(nat.lines.join('\n')).toMatch(/--random-fully: Linux picks a random port/);
    const [u] = m.unboundValues(a);
    expect(u).toMatchObject({ offset: TCP_SPORT, length: 2 });
    expect(u.id).toBe('snat-r: source NAT port of tcp 10.0.0.10:40000 -> 172.30.0.11:8080');
    m.bind(u.id, new Uint8Array([50000 >> 8, 50000 & 0xff]));
    const reply = frame('02:00:ac:1e:00:0b', 'fa:16:3e:00:00:02', '172.30.0.11', '172.30.89.126', { ...TCP, sport: 50000 }, true);
    const back = m.inject(pkt(reply), { instance: 'ext', interface: 'eth0' }).outputs.filter((o) => o.meta.interfaceName === 'vm-a:eth0');
    expect(back).toHaveLength(1);
    expect(compareFrames(back[0], pkt(frame('fa:16:3e:00:00:01', 'fa:16:3e:00:00:0a', '172.30.0.11', '10.0.0.10', { ...TCP, ttl: 63 }, true)))).toBeUndefined();
  });
});
