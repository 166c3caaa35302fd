// Neutron DVR model speed: packets/s through seed 001's namespaces (qrouter + fip, qrouter + snat;
// conntrack, NAT, policy routing, TTL/checksums; traces on, as the model always records its stages)
// for a generated mix of flows both ways, and `dpconform check`'s time over the lab's real-kernel
// capture set.
//
//   node dist/bench/dvr.js [FLOWS]

import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DvrInstance } from '../models/neutron-dvr/dataplane.js';
import { loadDvrScenario } from '../models/neutron-dvr/scenario.js';
import { neutronDvrModel } from '../models/neutron-dvr/index.js';
import { ARP_REPLY, buildArp } from '../models/neutron-dvr/arp.js';
import { ip4ToU32 } from '../models/neutron-dvr/addr.js';
import { runCheck } from '../harness/check/check.js';
import { packageRoot } from '../harness/suite/discover.js';
import { labCaptures, LAB_CAPTURES } from '../lab/dvr/cases.js';
import type { Packet } from '../harness/wire/packet.js';
import { frame, type Flow, type Proto } from '../lab/dvr/host-frames.js';

const VM = { ns: 'vm-a7884fb1', mac: 'fa:16:3e:66:15:3c', ip: '10.0.111.9', gwMac: 'fa:16:3e:b0:bc:f0' };
const EXT = { ns: 'ext-host', mac: '02:00:ac:1e:00:0b', ip: '172.30.0.11', fgMac: 'fa:16:3e:6f:c7:c5', fgIp: '172.30.89.129' };
const FIP = '172.30.89.140';
/** The VM without a floating IP and the snat namespace's ports (scenario: vm-3b6f0d2e, sg-/qg-). */
const VM2 = { ns: 'vm-3b6f0d2e', mac: 'fa:16:3e:3b:6f:0d', ip: '10.0.111.5' };
const SNAT = { sgMac: 'fa:16:3e:a1:c3:68', sgIp: '10.0.111.2', qgMac: 'fa:16:3e:eb:e6:79', gwIp: '172.30.89.126' };
const PROTOS: Proto[] = ['tcp', 'udp', 'icmp'];
const pkt = (data: Uint8Array): Packet => ({ data, meta: { linkType: 1 } });

export interface DvrReplayFigures { flows: number; packets: number; outputs: number; seconds: number; pps: number }

/**
 * `flows` flows, in turn VM -> external (SNAT to the floating IP), external -> floating IP (DNAT) and
 * VM2 -> external (central SNAT in the snat namespace), request + reply each.
 */
export async function measureModel(flows: number): Promise<DvrReplayFigures> {
  const root = packageRoot();
  const m = new DvrInstance(await loadDvrScenario(join(root, 'fixtures/neutron-dvr/scenario.yaml')));
  const vmAt = { instance: VM.ns, interface: 'eth0' };
  const extAt = { instance: EXT.ns, interface: 'eth0' };
  // Warm-up: the first packet makes fip ARP for the external host, which answers.
  m.inject(pkt(frame(VM.mac, VM.gwMac, VM.ip, EXT.ip, { proto: 'icmp', sport: 1, dport: 0, ttl: 64, payload: new Uint8Array(0) })), vmAt);
  m.inject(pkt(buildArp(ARP_REPLY, EXT.mac, ip4ToU32(EXT.ip) >>> 0, ip4ToU32(EXT.fgIp) >>> 0, EXT.fgMac)), extAt);
  // ... and through the snat namespace: qg- ARPs for the external host, sg- for the VM on the way back.
  const vm2At = { instance: VM2.ns, interface: 'eth0' };
  const ping2: Flow = { proto: 'icmp', sport: 2, dport: 0, ttl: 64, payload: new Uint8Array(0) };
  m.inject(pkt(frame(VM2.mac, VM.gwMac, VM2.ip, EXT.ip, ping2)), vm2At);
  m.inject(pkt(buildArp(ARP_REPLY, EXT.mac, ip4ToU32(EXT.ip) >>> 0, ip4ToU32(SNAT.gwIp) >>> 0, SNAT.qgMac)), extAt);
  m.inject(pkt(frame(EXT.mac, SNAT.qgMac, EXT.ip, SNAT.gwIp, ping2, true)), extAt);
  m.inject(pkt(buildArp(ARP_REPLY, VM2.mac, ip4ToU32(VM2.ip) >>> 0, ip4ToU32(SNAT.sgIp) >>> 0, SNAT.sgMac)), vm2At);
  const frames: { data: Uint8Array; at: typeof vmAt }[] = [];
  const payload = new Uint8Array(32).fill(0x61);
  for (let i = 0; i < flows; i++) {
    const f: Flow = { proto: PROTOS[Math.floor(i / 3) % 3], sport: 1024 + (i % 60000), dport: 1 + ((i * 7) % 1000), ttl: 64, payload };
    if (i % 3 === 0) {
      frames.push({ data: frame(VM.mac, VM.gwMac, VM.ip, EXT.ip, f), at: vmAt });
      frames.push({ data: frame(EXT.mac, EXT.fgMac, EXT.ip, FIP, f, true), at: extAt });
    } else if (i % 3 === 2) {
      frames.push({ data: frame(VM2.mac, VM.gwMac, VM2.ip, EXT.ip, f), at: vm2At });
      frames.push({ data: frame(EXT.mac, SNAT.qgMac, EXT.ip, SNAT.gwIp, f, true), at: extAt });
    } else {
      frames.push({ data: frame(EXT.mac, EXT.fgMac, EXT.ip, FIP, f), at: extAt });
      frames.push({ data: frame(VM.mac, VM.gwMac, VM.ip, EXT.ip, f, true), at: vmAt });
    }
  }
  let outputs = 0;
  const t0 = process.hrtime.bigint();
  for (const f of frames) outputs += m.inject(pkt(f.data), f.at).outputs.length;
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  return { flows, packets: frames.length, outputs, seconds, pps: frames.length / seconds };
}

/** `dpconform check` over the lab's capture set (9 devices), best of `runs`. */
export async function measureCheck(runs: number): Promise<{ ms: number; captured: number; matched: number }> {
  const root = packageRoot();
  const dir = join(root, LAB_CAPTURES);
  const captures = labCaptures(dir).map((c) => ({ node: c.node, iface: c.iface, file: join(dir, c.file) }));
  const scenario = join(root, 'fixtures/neutron-dvr/scenario.yaml');
  let best = Infinity;
  let last = { captured: 0, matched: 0 };
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    const r = await runCheck({ model: neutronDvrModel, scenario, captures });
    best = Math.min(best, Number(process.hrtime.bigint() - t0) / 1e6);
    if (r.divergences.length) throw new Error(`check diverged on the lab captures: ${r.divergences.length}`);
    last = { captured: r.captured, matched: r.matched };
  }
  return { ms: best, ...last };
}

export async function bench(): Promise<Array<{ name: string; value: number; unit: string; note?: string }>> {
  const f = await measureModel(50_000);
  const c = await measureCheck(5);
  return [
    { name: 'DVR model replay, TCP/UDP/ICMP mix both ways (floating-IP SNAT + DNAT, central SNAT, traces on)', value: f.pps, unit: 'packets/s', note: `${f.packets} packets in ${f.flows} flows, ${f.outputs} device outputs, ${f.seconds.toFixed(2)} s` },
    { name: 'dpconform check over the lab capture set (9 devices)', value: c.ms, unit: 'ms', note: `best of 5; ${c.captured} captured frames, ${c.matched} predictions matched` },
  ];
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  measureModel(Number(process.argv[2] ?? 50_000)).then(async (f) => console.log(JSON.stringify({ ...f, check: await measureCheck(5) })));
}
