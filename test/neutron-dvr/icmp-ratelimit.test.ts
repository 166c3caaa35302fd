// ICMP error rate limiting on the capture clock: net/ipv4/icmp.c icmpv4_xrlim_allow -> net/ipv4/inetpeer.c
// inet_peer_xrlim_allow (a bucket per destination: a new peer starts full at XRLIM_BURST_FACTOR 6 *
// icmp_ratelimit, an error costs icmp_ratelimit = 1 * HZ; only icmp_ratemask 0x1818's types are limited).
// Seen in the lab (LAB_ONLY=extra, the udp-series with --ttl 1 from VM2's 10.0.111.6, in captures-s9):
// 10 datagrams at once got 6 time exceeded from qrouter, 3 more 2.5 s later got 2.
import { describe, it, expect } from 'vitest';
import type { DvrInstance } from '../../models/neutron-dvr/dataplane.js';
import { icmpRateLimited } from '../../models/neutron-dvr/icmp-ratelimit.js';
import { u16 } from '../../harness/wire/bytes.js';
import type { Injection } from '../../harness/model.js';
import { frame, type Flow } from '../../lab/dvr/host-frames.js';
import { S, T0, at, model } from './capture-clock.js';

const VM2 = { instance: 'vm-3b6f0d2e', interface: 'eth0' };
const VM2_MAC = 'fa:16:3e:3b:6f:0d';
const QR_MAC = 'fa:16:3e:b0:bc:f0';
const FAR = '172.30.0.11';

const ttl1 = (src: string): Uint8Array => {
  const f: Flow = { proto: 'udp', sport: 40110, dport: 33390, ttl: 1, payload: new TextEncoder().encode('dpconform udp queued 0') };
  return frame(VM2_MAC, QR_MAC, src, FAR, f);
};
const echoToQr = (): Uint8Array => frame(VM2_MAC, QR_MAC, '10.0.111.6', '10.0.111.1', { proto: 'icmp', sport: 8300, dport: 0, ttl: 64, payload: new Uint8Array(8) });

/** ICMP messages of `type` that reached VM2. */
const icmpAtVm2 = (r: Injection, type: number) => r.outputs.filter((o) => o.meta.interfaceName === 'vm-3b6f0d2e:eth0' && u16(o.data, 12) === 0x0800 && o.data[23] === 1 && o.data[34] === type);
/** Send `count` copies at `t`, each its own input; the errors of type `type` that came back. */
const burst = (m: DvrInstance, data: () => Uint8Array, count: number, type: number, t?: bigint): number => {
  let n = 0;
  for (let i = 0; i < count; i++) n += icmpAtVm2(m.inject(at(data(), t), VM2), type).length;
  return n;
};

describe('ICMP error rate limit per destination (inet_peer_xrlim_allow)', () => {
  it('a burst gets 6 errors, then one per second (the lab: 10 -> 6, 3 at +2.5 s -> 2)', async () => {
    const m = await model();
    expect(burst(m, () => ttl1('10.0.111.6'), 10, 11, T0)).toBe(6);
    const limited = m.inject(at(ttl1('10.0.111.6'), T0), VM2).traces.flatMap((t) => t.stages).filter((s) => s.fields['icmp.ratelimited']);
    expect(limited.map((s) => s.node)).toEqual(['qrouter-517ba029/icmp_send']);
    expect(burst(m, () => ttl1('10.0.111.6'), 3, 11, T0 + (5n * S) / 2n)).toBe(2);
  });

  it('the bucket holds at most 6: a minute later, 6 again', async () => {
    const m = await model();
    expect(burst(m, () => ttl1('10.0.111.6'), 7, 11, T0)).toBe(6);
    expect(burst(m, () => ttl1('10.0.111.6'), 7, 11, T0 + 60n * S)).toBe(6);
  });

  it('each destination has its own bucket', async () => {
    const m = await model();
    expect(burst(m, () => ttl1('10.0.111.6'), 7, 11, T0)).toBe(6);
    expect(burst(m, () => ttl1('10.0.111.5'), 1, 11, T0)).toBe(1);
  });

  it('errors routed to a local address are not limited (icmpv4_xrlim_allow: no rate limit on loopback)', async () => {
    // VM2's datagrams to 172.30.0.98 (nobody's) queue in snat already SNATed to its own 172.30.89.126;
    // when the entry fails each gets a host unreachable addressed to that local address. The lab (a
    // one-off run, 300 such datagrams) saw 32 of them at one instant: more than the per-peer 6 (the
    // global limit, random, stopped the rest; not modelled).
    const m = await model();
    const f: Flow = { proto: 'udp', sport: 40115, dport: 33395, ttl: 64, payload: new TextEncoder().encode('dpconform udp queued 0') };
    for (let i = 0; i < 8; i++) m.inject(at(frame(VM2_MAC, QR_MAC, '10.0.111.5', '172.30.0.98', f), T0), VM2);
    const stages = m.finish().traces.flatMap((t) => t.stages).filter((s) => s.node === 'snat-517ba029/icmp_send');
    expect(stages).toHaveLength(8);
    expect(stages.filter((s) => s.fields['icmp.ratelimited'])).toHaveLength(0);
  });

  it('echo replies are not limited (type 0 is not in icmp_ratemask)', async () => {
    const m = await model();
    expect(burst(m, echoToQr, 10, 0, T0)).toBe(10);
  });

  it('inputs without timestamps are not limited: no clock, every error sent, as before', async () => {
    const m = await model();
    expect(burst(m, () => ttl1('10.0.111.6'), 10, 11)).toBe(10);
  });

  it('icmp_ratemask 0x1818: unreachable, source quench, time exceeded, parameter problem; never fragmentation needed', () => {
    expect([0, 3, 4, 5, 8, 11, 12, 14].filter((t) => icmpRateLimited(t, 0))).toEqual([3, 4, 11, 12]);
    expect(icmpRateLimited(3, 4)).toBe(false);
    expect(icmpRateLimited(3, 1)).toBe(true);
  });
});
