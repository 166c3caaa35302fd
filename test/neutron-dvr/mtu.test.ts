// The egress device's MTU (models/neutron-dvr/fragment.ts), as the lab's kernel showed it (session 11,
// extra phase on scenario-mtu.yaml: the tenant devices at 1450; golden/neutron-dvr/captures-s9):
//  - ip_forward: a DF datagram bigger than the output device's MTU is dropped and answered with ICMP
//    fragmentation needed (type 3 code 4, the MTU in the header's low 16 bits), from the route back's
//    source, quoting the datagram as received (576 bytes in all), never rate limited;
//  - ip_do_fragment: a datagram without DF is cut at (MTU - header) & ~7, id kept, offsets and MF,
//    tot_len and header checksum each piece's own; options without the copy flag become NOPs after
//    the first piece;
//  - after conntrack's defrag: cut again at min(MTU, largest fragment) - the fragments' own sizes when
//    they fit (fast path, DF dropped); a DF datagram refused only when a fragment was bigger than the MTU.
import { describe, it, expect } from 'vitest';
import { u16, u32 } from '../../harness/wire/bytes.js';
import { internetChecksum, pseudoHeaderSum4 } from '../../harness/wire/checksum.js';
import { T0 } from './capture-clock.js';
import { FG_MAC, QG, QG_MAC, QR, SG, extDatagram, fragmentsOf, mtuModel, sendFromExt, snatConnection } from './mtu-frames.js';

const FIP = '172.30.89.140';
const GW = '172.30.89.126';
const ip = (a: string): number => a.split('.').reduce((x, o) => x * 256 + Number(o), 0);
/** The reply direction of VM2's connection: 172.30.0.11:7790 -> 172.30.89.126:40140. */
const toVm2 = (ipPayload: number, df: boolean): Uint8Array => extDatagram(QG_MAC, GW, 7790, 40140, ipPayload, df);
const fragNeeded = (frames: Uint8Array[]): Uint8Array[] => frames.filter((b) => b[23] === 1 && b[34] === 3 && b[35] === 4);
const fields = (b: Uint8Array) => ({ len: u16(b, 16), id: u16(b, 18), fragOff: u16(b, 20), ttl: b[22], ipOk: internetChecksum(b, 14, (b[14] & 0xf) * 4) === 0 });

/** The pieces' payloads joined, and whether the UDP checksum in the first holds over the whole. */
function rejoin(pieces: Uint8Array[]): { data: Uint8Array; udpOk: boolean } {
  const hdr = 14 + (pieces[0][14] & 0xf) * 4;
  const data = new Uint8Array(pieces.reduce((n, p) => n + p.length - hdr, 0));
  let off = 0;
  for (const p of pieces) {
    data.set(p.subarray(hdr), off);
    off += p.length - hdr;
  }
  return { data, udpOk: internetChecksum(data, 0, data.length, pseudoHeaderSum4(pieces[0], 26, 30, 17, data.length)) === 0 };
}

describe('ip_forward: DF and bigger than the output device (ICMP fragmentation needed)', () => {
  it('snat, VM2\'s reply of 1500 bytes for sg- (1450): the error\'s fields, MTU and quote as the lab captured them', async () => {
    const m = await snatConnection();
    const sent = toVm2(1480, true);
    const atQg = sendFromExt(m, [sent], QG);
    expect(sendFromExt(m, [toVm2(1480, true)], SG)).toEqual([]); // dropped: nothing leaves sg-
    const [err] = fragNeeded(atQg);
    expect(err).toBeDefined();
    // 172.30.89.126 > 172.30.0.11, tos 0xc0, ttl 64, no DF, length 576: 20 + 8 + 548 quoted
    expect(u32(err, 26)).toBe(ip(GW));
    expect(u32(err, 30)).toBe(ip('172.30.0.11'));
    expect([err[15], err[22], u16(err, 20), u16(err, 16)]).toEqual([0xc0, 64, 0, 576]);
    expect(u32(err, 38)).toBe(1450); // "need to frag (mtu 1450)": unused 16 bits, next-hop MTU
    expect(internetChecksum(err, 34, err.length - 34)).toBe(0);
    // the datagram as it arrived (before ip_decrease_ttl; un-SNAT reverted in the quote): its first 548 bytes
    expect(err.subarray(42)).toEqual(sent.subarray(14, 14 + 548));
  });

  it('is not rate limited (icmpv4_mask_allow: "Don\'t limit PMTU discovery"): 10 at one instant, 10 errors', async () => {
    const m = await snatConnection(T0);
    const errors = Array.from({ length: 10 }, () => fragNeeded(sendFromExt(m, [toVm2(1480, true)], QG, T0)).length);
    expect(errors.reduce((a, b) => a + b)).toBe(10);
  });

  it('a DF datagram that fits, and one without DF, are not refused', async () => {
    const m = await snatConnection();
    expect(fragNeeded(sendFromExt(m, [toVm2(1430, true)], QG))).toEqual([]);
    expect(sendFromExt(m, [toVm2(1430, true)], SG).map((b) => u16(b, 16))).toEqual([1450]);
    expect(fragNeeded(sendFromExt(m, [toVm2(1480, false)], QG))).toEqual([]);
  });

  it('qrouter, DF to the floating IP for qr- (1450): dropped, no error (no route back to 172.30.0.11 in qrouter)', async () => {
    const m = await mtuModel();
    const r = m.inject({ data: extDatagram(FG_MAC, FIP, 40141, 33395, 1480, true), meta: { linkType: 1 } }, { instance: 'ext-host', interface: 'eth0' });
    expect(r.outputs.filter((o) => o.meta.interfaceName === QR)).toEqual([]);
    const stages = r.traces.flatMap((t) => t.stages);
    expect(stages.some((s) => s.node === 'qrouter-517ba029/ip_forward' && s.fields.verdict === 'frag-needed' && s.fields.mtu === 1450)).toBe(true);
    expect(r.outputs.filter((o) => o.data[23] === 1 && o.data[34] === 3)).toEqual([]);
  });
});

describe('ip_do_fragment: without DF, cut for the output device', () => {
  it('1500 bytes through the DNAT for qr- (1450): 1444 + 76, offsets 0 and 1424, id and TTL kept, checksums', async () => {
    const m = await mtuModel();
    const out = sendFromExt(m, [extDatagram(FG_MAC, FIP, 40142, 33396, 1480, false)], QR);
    expect(out.map(fields)).toEqual([
      { len: 1444, id: 0x4545, fragOff: 0x2000, ttl: 62, ipOk: true },
      { len: 76, id: 0x4545, fragOff: 1424 / 8, ttl: 62, ipOk: true },
    ]);
    for (const b of out) expect(u32(b, 30)).toBe(ip('10.0.111.9')); // DNATed in every piece
    expect(rejoin(out).udpOk).toBe(true);
  });

  it('snat: VM2\'s reply of 1500 bytes for sg-: 1444 + 76', async () => {
    const m = await snatConnection();
    expect(sendFromExt(m, [toVm2(1480, false)], SG).map(fields)).toEqual([
      { len: 1444, id: 0x4545, fragOff: 0x2000, ttl: 63, ipOk: true },
      { len: 76, id: 0x4545, fragOff: 1424 / 8, ttl: 63, ipOk: true },
    ]);
  });

  it('a Record Route option (no copy flag) stays in the first piece only; the later ones carry NOPs', async () => {
    const m = await mtuModel();
    const rr = [7, 11, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0];
    const out = sendFromExt(m, [extDatagram(FG_MAC, FIP, 40146, 33400, 1464, false, rr)], QR);
    // (1450 - 32) & ~7 = 1416: 1448 + 80, as the lab captured them
    expect(out.map((b) => [u16(b, 16), u16(b, 20)])).toEqual([[1448, 0x2000], [80, 1416 / 8]]);
    // fip and qrouter recorded themselves (169.254.106.115, 10.0.111.1)
    expect(Array.from(out[0].subarray(34, 46))).toEqual([7, 11, 12, 169, 254, 106, 115, 10, 0, 111, 1, 0]);
    expect(Array.from(out[1].subarray(34, 46))).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0]);
    for (const b of out) expect(internetChecksum(b, 14, 32)).toBe(0);
  });
});

describe('after conntrack\'s defrag: frag_max_size and the fragments\' own sizes', () => {
  it('fragments of 1500 (1480+1480+48) through the DNAT for qr- (1450): cut again, 1444+1444+180', async () => {
    const m = await mtuModel();
    const out = sendFromExt(m, fragmentsOf(extDatagram(FG_MAC, FIP, 40143, 33397, 3008, false), [1480, 1480, 48]), QR);
    expect(out.map(fields)).toEqual([
      { len: 1444, id: 0x4545, fragOff: 0x2000, ttl: 62, ipOk: true },
      { len: 1444, id: 0x4545, fragOff: 0x2000 | (1424 / 8), ttl: 62, ipOk: true },
      { len: 180, id: 0x4545, fragOff: 2848 / 8, ttl: 62, ipOk: true },
    ]);
    expect(rejoin(out).udpOk).toBe(true);
  });

  it('fragments that fit (600+1400+48): sent in their own sizes (ip_do_fragment fast path)', async () => {
    const m = await mtuModel();
    const out = sendFromExt(m, fragmentsOf(extDatagram(FG_MAC, FIP, 40144, 33398, 2048, false), [600, 1400, 48]), QR);
    expect(out.map((b) => [u16(b, 16), u16(b, 20)])).toEqual([[620, 0x2000], [1420, 0x2000 | 75], [68, 250]]);
  });

  it('DF fragments that fit sg- (1000+1000+48): forwarded in their sizes, DF dropped (ignore_df, fast path)', async () => {
    const m = await snatConnection();
    const out = sendFromExt(m, fragmentsOf(toVm2(2048, true), [1000, 1000, 48]), SG);
    expect(out.map((b) => [u16(b, 16), u16(b, 20)])).toEqual([[1020, 0x2000], [1020, 0x2000 | 125], [68, 250]]);
    expect(fragNeeded(sendFromExt(m, fragmentsOf(toVm2(2048, true), [1000, 1000, 48]), QG))).toEqual([]);
  });

  it('DF fragments of 1500 for sg- (1450): fragmentation needed, MTU 1450, quoting the rebuilt header (3028, DF)', async () => {
    const m = await snatConnection();
    const atQg = sendFromExt(m, fragmentsOf(toVm2(3008, true), [1480, 1480, 48]), QG);
    const [err] = fragNeeded(atQg);
    expect(err).toBeDefined();
    expect(u32(err, 38)).toBe(1450);
    expect([u16(err, 42 + 2), u16(err, 42 + 6), err[42 + 8]]).toEqual([3028, 0x4000, 64]);
    expect(internetChecksum(err, 42, 20)).toBe(0);
    expect(sendFromExt(m, fragmentsOf(toVm2(3008, true), [1480, 1480, 48]), SG)).toEqual([]);
  });
});
