// fast-check properties of the VPP model over random packets:
//  - VXLAN: vxlan4-encap on one node, vxlan4-input on the peer restores the inner frame exactly, and
//    the outer header is valid (IPv4 checksum, lengths, port 4789, the tunnel's VNI);
//  - TTL: a routed hop takes exactly one off (checksum still valid, nothing else changes), and a
//    packet whose TTL runs out comes back as a correct ICMP time-exceeded (valid IPv4 and ICMP
//    checksums, sent by the expiring router, quoting the original packet, its TTL as VPP left it).
// Each property is shown to fail when the mechanism is switched off.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ip4ToU32 } from '../../harness/wire/address.js';
import { setU16, setU32 } from '../../harness/wire/bytes.js';
import { internetChecksum, pseudoHeaderSum4 } from '../../harness/wire/checksum.js';
import { VlibBuffer } from '../../models/vpp/buffer.js';
import { Fault } from '../../models/vpp/graph.js';
import { vppModel, type VppInstance } from '../../models/vpp/index.js';

interface Flow {
  src: number;
  dst: number;
  proto: 6 | 17;
  sport: number;
  dport: number;
  ttl: number;
  tos: number;
  id: number;
  payload: Uint8Array;
}

/** An Ethernet + IPv4 + TCP/UDP frame with valid checksums. */
function frame(f: Flow, dstMac: number[], srcMac: number[]): Uint8Array {
  const l4Len = (f.proto === 6 ? 20 : 8) + f.payload.length;
  const b = new Uint8Array(14 + 20 + l4Len);
  b.set(dstMac, 0);
  b.set(srcMac, 6);
  setU16(b, 12, 0x0800);
  const ip = 14;
  b[ip] = 0x45;
  b[ip + 1] = f.tos;
  setU16(b, ip + 2, 20 + l4Len);
  setU16(b, ip + 4, f.id);
  b[ip + 8] = f.ttl;
  b[ip + 9] = f.proto;
  setU32(b, ip + 12, f.src);
  setU32(b, ip + 16, f.dst);
  setU16(b, ip + 10, internetChecksum(b, ip, 20));
  const l4 = ip + 20;
  setU16(b, l4, f.sport);
  setU16(b, l4 + 2, f.dport);
  if (f.proto === 6) {
    b[l4 + 12] = 0x50;
    b[l4 + 13] = 0x18;
    b.set(f.payload, l4 + 20);
    setU16(b, l4 + 16, internetChecksum(b, l4, l4Len, pseudoHeaderSum4(b, ip + 12, ip + 16, 6, l4Len)));
  } else {
    setU16(b, l4 + 4, l4Len);
    b.set(f.payload, l4 + 8);
    setU16(b, l4 + 6, internetChecksum(b, l4, l4Len, pseudoHeaderSum4(b, ip + 12, ip + 16, 17, l4Len)) || 0xffff);
  }
  return b;
}

const flow = (src: fc.Arbitrary<number>, dst: fc.Arbitrary<number>, ttl: fc.Arbitrary<number>) =>
  fc.record({
    src,
    dst,
    proto: fc.constantFrom(6 as const, 17 as const),
    sport: fc.integer({ min: 1, max: 65535 }),
    dport: fc.integer({ min: 1, max: 65535 }),
    ttl,
    tos: fc.integer({ min: 0, max: 255 }),
    id: fc.integer({ min: 0, max: 65535 }),
    payload: fc.uint8Array({ maxLength: 1200 }),
  });
const inNet = (net: string) => fc.integer({ min: 2, max: 254 }).map((h) => (ip4ToU32(net) | h) >>> 0);
const u16 = (b: Uint8Array, o: number) => (b[o] << 8) | b[o + 1];

describe('VXLAN encap then decap restores the inner frame', () => {
  const BVI_MASTER = [0x1a, 0x2b, 0x3c, 0x4d, 0x5e, 0x01];
  const BVI_WORKER = [0x1a, 0x2b, 0x3c, 0x4d, 0x5e, 0x02];

  async function roundTrip(inner: Uint8Array, faults: string[] = []) {
    const inst = (await vppModel.instantiate('fixtures/contiv/scenario.yaml')) as VppInstance;
    for (const f of faults) inst.setFault(f);
    inst.setTracing(false);
    const master = inst.vm('k8s-master');
    const worker = inst.vm('k8s-worker1');
    const b = VlibBuffer.fromFrame(inner);
    b.rxSwIfIndex = 3; // loop0, BVI of bridge domain 1
    b.txSwIfIndex = master.interfacesByName.get('vxlan_tunnel0')!.swIfIndex;
    expect(master.nodes.get('vxlan4-encap')!.process(master, b)).toBe('ip4-load-balance');
    const outer = b.bytes.slice(b.start, b.start + b.currentLength);
    // on the peer, ip4-udp-lookup leaves current data at the VXLAN header
    const d = VlibBuffer.fromFrame(outer);
    d.rxSwIfIndex = 1;
    d.advance(28);
    const next = worker.nodes.get('vxlan4-input')!.process(worker, d);
    return { outer, next, decapped: d.bytes.slice(d.start, d.start + d.currentLength), rx: d.rxSwIfIndex };
  }

  const inner = flow(inNet('10.1.1.0'), inNet('10.1.2.0'), fc.integer({ min: 1, max: 255 })).map((f) => frame(f, BVI_WORKER, BVI_MASTER));

  it('the peer decaps exactly the inner frame, into its tunnel interface; the outer header is valid', async () => {
    await fc.assert(
      fc.asyncProperty(inner, async (f) => {
        const r = await roundTrip(f);
        expect(r.next).toBe('l2-input');
        expect(r.decapped).toEqual(f);
        expect(r.rx).toBe(4); // k8s-worker1's vxlan_tunnel0
        expect(internetChecksum(r.outer, 0, 20)).toBe(0);
        expect(u16(r.outer, 2)).toBe(r.outer.length);
        expect(u16(r.outer, 24)).toBe(r.outer.length - 20);
        expect(u16(r.outer, 22)).toBe(4789);
        expect((r.outer[32] << 16) | (r.outer[33] << 8) | r.outer[34]).toBe(10);
      }),
      { numRuns: 60 },
    );
  });

  it('fault: a wrong VNI on encap makes the peer refuse the frame (the property fails)', async () => {
    const r = await fc.check(fc.asyncProperty(inner, async (f) => (await roundTrip(f, [Fault.VXLAN_VNI])).next === 'l2-input'), { numRuns: 5 });
    expect(r.failed).toBe(true);
  });
});

describe('TTL: one per routed hop; expiry yields a correct ICMP time-exceeded', () => {
  const HOST_A_MAC = [0x02, 0, 0, 0, 0x0a, 0x0a];
  const R1_TAP_MAC = [0x02, 0, 0, 0, 0x01, 0x02];
  const HOST_A = ip4ToU32('10.0.1.2');

  async function send(f: Flow, faults: string[] = []) {
    const inst = (await vppModel.instantiate('test/vpp-model/scenarios/routed-chain.yaml')) as VppInstance;
    for (const x of faults) inst.setFault(x);
    const data = frame(f, R1_TAP_MAC, HOST_A_MAC);
    const r = inst.inject({ data, meta: { linkType: 1 } }, { instance: 'r1', interface: 'tap1' });
    return { sent: data, outs: r.outputs.map((p) => ({ at: `${inst.instanceOf(p)}/${p.meta.interfaceName}`, data: p.data })) };
  }
  const toB = (ttl: fc.Arbitrary<number>) => flow(fc.constant(HOST_A), fc.constant(ip4ToU32('10.0.2.2')), ttl);

  it('TTL >= 3: delivered to host-b with TTL - 2, a valid header, nothing else changed', async () => {
    await fc.assert(
      fc.asyncProperty(toB(fc.integer({ min: 3, max: 255 })), async (f) => {
        const { sent, outs } = await send(f);
        const got = outs.find((o) => o.at === 'r2/tap1');
        expect(got).toBeDefined();
        const g = got!.data;
        expect(g[22]).toBe(f.ttl - 2);
        expect(internetChecksum(g, 14, 20)).toBe(0);
        const same = (a: Uint8Array) => [...a.subarray(14)].map((x, i) => (i === 8 || i === 10 || i === 11 ? 0 : x));
        expect(same(g)).toEqual(same(sent));
      }),
      { numRuns: 80 },
    );
  });

  /**
   * ICMP time-exceeded on host-a's tap: from `router`, quoting the packet as that router received it
   * (cut to 576 bytes, vpp-facts §5.4). The error starts at TTL 255 and is routed like any packet
   * (not locally-originated in 18.01), so each rewrite on the way back, its origin's included, takes one.
   */
  function expectTimeExceeded(g: Uint8Array, router: string, quoted: Uint8Array, rewrites: number) {
    const ip = 14;
    expect(g[ip + 9]).toBe(1);
    expect(internetChecksum(g, ip, 20)).toBe(0);
    expect(u16(g, ip + 12) * 65536 + u16(g, ip + 14)).toBe(ip4ToU32(router));
    expect(u16(g, ip + 16) * 65536 + u16(g, ip + 18)).toBe(HOST_A);
    expect(g[ip + 8]).toBe(255 - rewrites);
    const icmp = ip + 20;
    expect([g[icmp], g[icmp + 1]]).toEqual([11, 0]);
    expect(internetChecksum(g, icmp, u16(g, ip + 2) - 20)).toBe(0);
    const q = g.subarray(icmp + 8);
    expect(q.length).toBe(Math.min(quoted.length, 576));
    // VPP's ip4-rewrite stores the decremented TTL (0) with its checksum fix before it sees the expiry
    // (vpp-facts §5.3), so the quote carries TTL 0 and a still-valid header checksum; all else as received.
    expect(q[8]).toBe(0);
    expect(internetChecksum(q, 0, 20)).toBe(0);
    const rest = (a: Uint8Array) => [...a].map((x, i) => (i === 8 || i === 10 || i === 11 ? 0 : x));
    expect(rest(q)).toEqual(rest(quoted.subarray(0, q.length)));
  }

  it('TTL 1: r1 answers with time-exceeded from 10.0.1.1 quoting the packet as sent (TTL as VPP left it)', async () => {
    await fc.assert(
      fc.asyncProperty(toB(fc.constant(1)), async (f) => {
        const { sent, outs } = await send(f);
        expect(outs.map((o) => o.at)).toEqual(['r1/tap1']);
        expectTimeExceeded(outs[0].data, '10.0.1.1', sent.subarray(14), 1);
      }),
      { numRuns: 40 },
    );
  });

  it('TTL 2: r2 answers from 10.9.0.2, routed back through r1, quoting the packet as r2 got it (TTL 1)', async () => {
    await fc.assert(
      fc.asyncProperty(toB(fc.constant(2)), async (f) => {
        const { sent, outs } = await send(f);
        const back = outs.find((o) => o.at === 'r1/tap1');
        expect(back).toBeDefined();
        const atR2 = outs.find((o) => o.at === 'r1/GigabitEthernet0/8/0')!.data.subarray(14);
        expect(atR2[8]).toBe(1);
        expectTimeExceeded(back!.data, '10.9.0.2', atR2, 2);
        expect(sent[22]).toBe(2);
      }),
      { numRuns: 40 },
    );
  });

  it('fault: without the TTL decrement the one-per-hop property fails', async () => {
    const r = await fc.check(
      fc.asyncProperty(toB(fc.integer({ min: 3, max: 255 })), async (f) => (await send(f, [Fault.TTL_DECREMENT])).outs.find((o) => o.at === 'r2/tap1')?.data[22] === f.ttl - 2),
      { numRuns: 5 },
    );
    expect(r.failed).toBe(true);
  });
});
