// The connection workload of the replay benchmark (bench/connections.ts), on a small instance of
// it, through the model with tracing on: it is what it claims to be (complete pod <-> service TCP
// connections in both directions that the model transmits, translated and with valid checksums)
// and it leaves the sessions the model's TCP close handling makes of them:
// - NAT44: the fork's 18.04 close detection (models/vpp/nat44/engine.ts afterTranslation,
//   vpp-facts §8.5): the client's FIN (out2in) sets O2I_FIN, the backend's FIN/ACK (in2out) sets
//   I2O_FIN and, acknowledging the client's FIN, O2I_FIN_ACK; the client's last ACK acknowledges
//   the backend's FIN (I2O_FIN_ACK): state 0xf, the session is freed after translating that ACK.
//   So a connection holds one NAT44 session from its SYN up to and including its last ACK.
// - ACL: two reflect sessions per connection, never freed: the client's SYN makes one on input of
//   the client's tap (reflective ACL), the backend's SYN-ACK one on input of the backend's tap
//   (its reflective ACL; the SYN went out there under the permit of the egress policy, which makes
//   none). VPP 18.01's ACL plugin ends sessions only by idle timeout (vpp-facts §9.2) and the model
//   has no timers (models/vpp/acl/README.md: "Sessions never expire here").

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConnectionTraffic, CLIENT_SENDS, ensureConnectionCapture, PACKETS_PER_CONNECTION } from '../../bench/connections.js';
import { POD_TO_SERVICE, repoRoot, serviceEndpoints } from '../../bench/service-endpoints.js';
import { dissect } from '../../harness/dissect/dissect.js';
import { readCaptureFrames } from '../../harness/io/frames.js';
import { macToString, u32ToIp4 } from '../../harness/wire/address.js';
import { LinkType, type Packet } from '../../harness/wire/packet.js';
import { vppModel, type VppInstance } from '../../models/vpp/index.js';
import { nat44Of } from '../../models/vpp/nat44/nodes.js';
import { aclOf } from '../../models/vpp/acl/nodes.js';

const SCENARIO = join(repoRoot(), POD_TO_SERVICE);
const ep = serviceEndpoints(SCENARIO, 'k8s-master');
const CONNECTIONS = 20;
const traffic = new ConnectionTraffic(ep, { connections: CONNECTIONS, open: 6 });

type Fields = Record<string, unknown>;
function layers(p: Packet): Record<string, Fields> {
  return Object.fromEntries(dissect(p).map((l) => [l.name, l.fields]));
}

/** Live NAT44 and ACL sessions of the instance. */
function sessions(inst: VppInstance): { nat: number; acl: number } {
  const vm = inst.vm('k8s-master');
  return { nat: nat44Of(vm)!.thread.sessions.size, acl: aclOf(vm).sessions.size };
}

/** The packets in capture order, as [connection, step]. */
function order(t: ConnectionTraffic): Array<[number, number]> {
  const all: Array<[number, number]> = [];
  t.forEach((k, j) => all.push([k, j]));
  return all;
}

describe('bench connection workload (pod -> service, both directions)', () => {
  it('takes the service, backend and client pods from the scenario', () => {
    expect(u32ToIp4(ep.vip)).toBe('10.104.221.85');
    expect(ep.vipPort).toBe(80);
    expect([u32ToIp4(ep.backend.addr), ep.backend.port, ep.backend.itf, macToString(ep.backend.itfMac, 0)]).toEqual(['10.1.1.5', 8080, 'tap4', '02:fe:10:03:7c:4d']);
    expect(ep.clients.map((c) => [u32ToIp4(c.addr), c.itf, macToString(c.mac, 0), macToString(c.itfMac, 0)])).toEqual([['10.1.1.3', 'tap2', '00:00:00:00:00:02', '02:fe:16:3f:5f:0f']]);
  });

  it('is every step of every connection once, with no 5-tuple open twice at a time', () => {
    const all = order(traffic);
    expect(all).toHaveLength(CONNECTIONS * PACKETS_PER_CONNECTION);
    const next = new Array<number>(CONNECTIONS).fill(0);
    const open = new Map<string, number>();
    let most = 0;
    for (const [k, j] of all) {
      expect(j).toBe(next[k]++); // each connection's steps in order
      const c = traffic.connection(k);
      const tuple = `${c.client.addr}:${c.port}`;
      if (j === 0) {
        expect(open.has(tuple)).toBe(false);
        open.set(tuple, k);
      }
      if (j === PACKETS_PER_CONNECTION - 1) open.delete(tuple);
      most = Math.max(most, open.size);
    }
    expect(next.every((n) => n === PACKETS_PER_CONNECTION)).toBe(true);
    expect(most).toBe(6);
  });

  it('carries valid checksums, HTTP payloads of the stated sizes and consistent sequence / acknowledgement numbers', () => {
    const flagsOf = (j: number) => [0x02, 0x12, 0x10, 0x18, 0x10, 0x18, 0x10, 0x11, 0x11, 0x10][j];
    for (let k = 0; k < CONNECTIONS; k++) {
      // Next sequence number each side will send (client, backend), from what it sent so far.
      const next: Array<number | undefined> = [undefined, undefined];
      for (let j = 0; j < PACKETS_PER_CONNECTION; j++) {
        const l = layers({ data: traffic.frame(k, j), meta: { linkType: LinkType.ETHERNET } });
        const [me, peer] = CLIENT_SENDS[j] ? [0, 1] : [1, 0];
        const what = `connection ${k} step ${j}`;
        expect([l.ip4.checksum_valid, l.tcp.checksum_valid, l.tcp.flags], what).toEqual([true, true, flagsOf(j)]);
        const seq = l.tcp.seq as number;
        const len = l.tcp.payload_length as number;
        if (next[me] !== undefined) expect(seq, what).toBe(next[me]);
        if ((l.tcp.flags as number) & 0x10) expect(l.tcp.ack, what).toBe(next[peer]);
        next[me] = (seq + len + ((l.tcp.flags as number) & 0x03 ? 1 : 0)) >>> 0; // SYN and FIN take one number
        if (j === 3) expect(len, what).toBeGreaterThanOrEqual(100), expect(len, what).toBeLessThanOrEqual(300);
        if (j === 5) expect(len, what).toBeGreaterThanOrEqual(900), expect(len, what).toBeLessThanOrEqual(1100);
        if (j !== 3 && j !== 5) expect(len, what).toBe(0);
      }
    }
    const request = traffic.frame(0, 3);
    expect(new TextDecoder().decode(request.subarray(request.length - (layers({ data: request, meta: { linkType: LinkType.ETHERNET } }).tcp.payload_length as number)))).toMatch(/^GET \/api\/items\/0 HTTP\/1\.1\r\nHost: 10\.104\.221\.85\r\n[^]*\r\n\r\n$/);
  });

  it('refuses a plan that could reuse an open 5-tuple', () => {
    expect(() => new ConnectionTraffic(ep, { connections: 100_000, open: 20_000 })).toThrow(/reuse a 5-tuple/);
  });

  it('is transmitted packet by packet: client packets to the backend on its tap, backend packets from the VIP to the client, checksums valid; NAT44 sessions end at the last ACK', async () => {
    const inst = (await vppModel.instantiate(SCENARIO)) as VppInstance;
    inst.setTracing(true);
    const started = new Set<number>();
    const answered = new Set<number>();
    const live = new Set<number>();
    for (const [k, j] of order(traffic)) {
      const c = traffic.connection(k);
      const sent = layers({ data: traffic.frame(k, j), meta: { linkType: LinkType.ETHERNET } });
      const { outputs, traces } = inst.inject({ data: traffic.frame(k, j), meta: { linkType: LinkType.ETHERNET, interfaceName: traffic.arrival(k, j) } }, { instance: 'k8s-master' });
      const what = `connection ${k} step ${j}`;
      expect(traces, what).toHaveLength(1);
      // It entered where the generator says (the device record names the tap), and took the NAT44
      // path of its direction: out2in for the client (outside), in2out for the backend (inside; the
      // fast path misses the LB session's 8-byte key and the slow path finds it by the ED key). A
      // backend packet on the client's tap would still leave translated: with forwarding on, the
      // fork's out2in hands a packet whose source is an in2out key to nat44-in2out (vpp-facts §8.3).
      const stages = traces[0].stages;
      expect(inst.interfaceByHwIndex('k8s-master', Number(stages[0].fields.hw_if_index)), what).toBe(CLIENT_SENDS[j] ? c.client.itf : ep.backend.itf);
      expect([sent.eth.src, sent.eth.dst], what).toEqual(CLIENT_SENDS[j] ? [macToString(c.client.mac, 0), macToString(c.client.itfMac, 0)] : [macToString(ep.backend.mac, 0), macToString(ep.backend.itfMac, 0)]);
      expect(stages.map((st) => st.node).filter((n) => n.startsWith('nat44-')), what).toEqual(CLIENT_SENDS[j] ? ['nat44-out2in'] : ['nat44-in2out', 'nat44-in2out-slowpath']);
      expect(outputs.map((o) => o.meta.interfaceName), what).toEqual([CLIENT_SENDS[j] ? ep.backend.itf : c.client.itf]);
      const out = layers(outputs[0]);
      const [src, sport, dst, dport, dstMac, srcMac] = CLIENT_SENDS[j]
        ? [c.client.addr, c.port, ep.backend.addr, ep.backend.port, ep.backend.mac, ep.backend.itfMac]
        : [ep.vip, ep.vipPort, c.client.addr, c.port, c.client.mac, c.client.itfMac];
      expect([out.eth.src, out.eth.dst], what).toEqual([macToString(srcMac, 0), macToString(dstMac, 0)]);
      expect([out.ip4.src, out.tcp.src_port, out.ip4.dst, out.tcp.dst_port], what).toEqual([u32ToIp4(src), sport, u32ToIp4(dst), dport]);
      expect([out.ip4.checksum_valid, out.tcp.checksum_valid, out.ip4.ttl], what).toEqual([true, true, 63]);
      expect([out.tcp.seq, out.tcp.ack, out.tcp.flags, out.tcp.payload_length], what).toEqual([sent.tcp.seq, sent.tcp.ack, sent.tcp.flags, sent.tcp.payload_length]);
      // Session accounting after this packet: NAT44 from the SYN through the last ACK; ACL per SYN and per SYN-ACK.
      if (j === 0) (live.add(k), started.add(k));
      if (j === 1) answered.add(k);
      if (j === PACKETS_PER_CONNECTION - 1) live.delete(k);
      expect(sessions(inst), what).toEqual({ nat: live.size, acl: started.size + answered.size });
    }
    expect(sessions(inst)).toEqual({ nat: 0, acl: 2 * CONNECTIONS });
  });

  const dirs: string[] = [];
  afterAll(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it('as a pcapng capture, names each frame\'s tap, and replays by those names with every packet transmitted', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dpconform-connections-'));
    dirs.push(dir);
    const file = await ensureConnectionCapture(traffic, dir);
    const all = order(traffic);
    const inst = (await vppModel.instantiate(SCENARIO)) as VppInstance;
    inst.setTracing(false);
    let i = 0;
    let transmitted = 0;
    for await (const batch of readCaptureFrames(file)) {
      for (let f = 0; f < batch.count; f++, i++) {
        const [k, j] = all[i];
        expect(batch.interfaces[batch.interfaceId[f]].name).toBe(CLIENT_SENDS[j] ? traffic.connection(k).client.itf : ep.backend.itf);
        expect(batch.bytes.subarray(batch.start[f], batch.start[f] + batch.length[f])).toEqual(traffic.frame(k, j));
      }
      transmitted += inst.injectFramesCounting(batch, { instance: 'k8s-master' });
    }
    expect(i).toBe(all.length);
    expect(transmitted).toBe(all.length);
    expect(sessions(inst)).toEqual({ nat: 0, acl: 2 * CONNECTIONS });
    // Cached: a second call returns the same file without writing it again.
    expect(await ensureConnectionCapture(traffic, dir)).toBe(file);
  });
});
