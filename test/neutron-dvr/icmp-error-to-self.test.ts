// ICMP errors a namespace addresses to one of its own addresses. The snat namespace SNATs VM2's datagram
// to 172.30.89.126 and queues it for a neighbour nobody has; when resolution fails, its host unreachable
// goes to the datagram's source, 172.30.89.126: its own address (icmp_route_lookup: RTN_LOCAL, out of lo).
// Seen in the lab (LAB_ONLY=extra, run golden-s10self, captures-s9: two datagrams from 10.0.111.5 to
// 172.30.0.98): the errors left sg- toward VM2 as 172.30.89.126 > 10.0.111.5, TOS 0xc0, TTL 64, no DF,
// quoting the datagram as queued (TTL 62) with its source back to 10.0.111.5. net/netfilter/nf_nat_proto.c: nf_nat_ipv4_local_fn runs
// nf_nat_icmp_reply_translation at OUTPUT (the error is attached RELATED, reply direction, to the SNATed
// connection: the outer destination and the quoted source go back to 10.0.111.5), then, as
// tuplehash[REPLY].dst (172.30.89.126) != tuplehash[ORIGINAL].src (10.0.111.5), ip_route_me_harder
// routes it again: out of sg-. Without a translation the error stays local: out of lo, where nothing
// answers it and no capture sees it.
import { describe, it, expect } from 'vitest';
import { buildArp, ARP_REQUEST, readArp } from '../../models/neutron-dvr/arp.js';
import { u16, u32 } from '../../harness/wire/bytes.js';
import { internetChecksum } from '../../harness/wire/checksum.js';
import { ip4ToU32 } from '../../harness/wire/address.js';
import type { Injection } from '../../harness/model.js';
import { frame, type Flow } from '../../lab/dvr/host-frames.js';
import { S, T0, at, model } from './capture-clock.js';

const VM2 = { instance: 'vm-3b6f0d2e', interface: 'eth0' };
const EXT = { instance: 'ext-host', interface: 'eth0' };
const VM2_MAC = 'fa:16:3e:3b:6f:0d';
const QR_MAC = 'fa:16:3e:b0:bc:f0';
const QG_MAC = 'fa:16:3e:eb:e6:79';
const EXT_MAC = '02:00:ac:1e:00:0b';
const SNAT_ADDR = '172.30.89.126';
const GONE = '172.30.0.99';

const arps = (r: Injection) => r.outputs.filter((o) => u16(o.data, 12) === 0x0806).map((o) => ({ at: o.meta.interfaceName, arp: readArp(o.data)! }));
const ipAt = (r: Injection, dev: string) => r.outputs.filter((o) => o.meta.interfaceName === dev && u16(o.data, 12) === 0x0800);

describe('an ICMP error to the namespace\'s own address', () => {
  it('is un-SNATed at OUTPUT and routed again: snat\'s host unreachable for a queued datagram reaches VM2', async () => {
    const m = await model();
    // VM2 asks for sg-'s address first, so snat knows VM2's MAC (arp_process creates the entry).
    m.inject(at(buildArp(ARP_REQUEST, VM2_MAC, ip4ToU32('10.0.111.5'), ip4ToU32('10.0.111.2')), T0), VM2);
    const f: Flow = { proto: 'udp', sport: 40200, dport: 33390, ttl: 64, payload: new TextEncoder().encode('dpconform udp snat queued') };
    const sent = frame(VM2_MAC, QR_MAC, '10.0.111.5', GONE, f);
    m.inject(at(sent, T0 + S / 10n), VM2);
    const end = m.finish(T0 + 10n * S);
    // No resolution is started for an own or a tenant address on qg-: only 172.30.0.99's (its first
    // request left with the datagram, before finish; the two retransmits come here).
    expect(arps(end).filter((a) => a.at !== undefined && a.at.endsWith(':qg-cf417cb0-53') && a.arp.op === ARP_REQUEST).map((a) => a.arp.tip)).toEqual([ip4ToU32(GONE), ip4ToU32(GONE)]);
    const errs = ipAt(end, 'vm-3b6f0d2e:eth0');
    expect(errs).toHaveLength(1);
    const d = errs[0].data;
    expect(ipAt(end, 'snat-517ba029-f811-4af8-9cfd-6cef0babd1d1:sg-784e8801-08').map((o) => o.data)).toEqual([d]);
    expect(d.subarray(0, 6)).toEqual(new Uint8Array([0xfa, 0x16, 0x3e, 0x3b, 0x6f, 0x0d])); // to VM2's MAC
    expect([d[34], d[35]]).toEqual([3, 1]); // host unreachable
    expect(d[15]).toBe(0xc0);
    expect(d[22]).toBe(64); // generated in snat, never forwarded
    expect(u32(d, 26)).toBe(ip4ToU32(SNAT_ADDR)); // the source stays (no SRC manip for the reply direction)
    expect(u32(d, 30)).toBe(ip4ToU32('10.0.111.5')); // un-SNATed
    const quote = d.subarray(42);
    expect(quote.length).toBe(sent.length - 14);
    expect(quote[8]).toBe(62); // as queued: qrouter and snat each took one
    expect(u32(quote, 12)).toBe(ip4ToU32('10.0.111.5')); // the quoted source un-SNATed too
    expect(internetChecksum(quote, 0, 20)).toBe(0);
    expect(quote.subarray(20)).toEqual(sent.subarray(34)); // UDP header (port and checksum back) and payload
    expect(internetChecksum(d, 34, d.length - 34)).toBe(0);
  });

  it('without a translation it loops back: nothing leaves the namespace', async () => {
    const m = await model();
    // The external host pings qg-'s address without ARP first: snat's echo reply waits for 172.30.0.11,
    // which never answers; the host unreachable for the reply goes to 172.30.89.126 itself.
    const ping: Flow = { proto: 'icmp', sport: 8300, dport: 0, ttl: 64, payload: new TextEncoder().encode('dpconform ping self') };
    m.inject(at(frame(EXT_MAC, QG_MAC, '172.30.0.11', SNAT_ADDR, ping), T0), EXT);
    const end = m.finish(T0 + 10n * S);
    expect(arps(end).filter((a) => a.arp.tip === ip4ToU32(SNAT_ADDR))).toHaveLength(0);
    expect(end.outputs.filter((o) => u16(o.data, 12) === 0x0800)).toHaveLength(0);
    const stages = end.traces.flatMap((t) => t.stages).filter((s) => s.node === 'snat-517ba029/ip_local_deliver');
    expect(stages.map((s) => s.fields.oif)).toEqual(['lo']);
  });
});
