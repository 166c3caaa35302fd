// What the MTU tests share: the extra phase's scenario (tenant devices at 1450), the external host's
// raw datagrams as lab/dvr/traffic.py udp-frags sends them (IP id 0x4545, DF or not, cut into
// fragments of given payload sizes), and a model whose snat namespace has seen VM2's UDP connection
// 10.0.111.5:40140 -> 172.30.0.11:7790 (SNATed to 172.30.89.126:40140), as in the lab.
import { DvrInstance } from '../../models/neutron-dvr/dataplane.js';
import { loadDvrScenario } from '../../models/neutron-dvr/scenario.js';
import { ARP_REQUEST, buildArp } from '../../models/neutron-dvr/arp.js';
import { setU16, u16 } from '../../harness/wire/bytes.js';
import { internetChecksum } from '../../harness/wire/checksum.js';
import type { Packet } from '../../harness/wire/packet.js';
import { frame } from '../../lab/dvr/host-frames.js';
import { at } from './capture-clock.js';
import { withIpOptions } from './option-frames.js';

export const EXT = { instance: 'ext-host', interface: 'eth0' };
export const VM2 = { instance: 'vm-3b6f0d2e', interface: 'eth0' };
const EXT_MAC = '02:00:ac:1e:00:0b';
const VM2_MAC = 'fa:16:3e:3b:6f:0d';
export const QG_MAC = 'fa:16:3e:eb:e6:79';
export const FG_MAC = 'fa:16:3e:6f:c7:c5';
const QR_MAC = 'fa:16:3e:b0:bc:f0';
export const QR = 'qrouter-517ba029-f811-4af8-9cfd-6cef0babd1d1:qr-22378d26-ea';
export const SG = 'snat-517ba029-f811-4af8-9cfd-6cef0babd1d1:sg-784e8801-08';
export const QG = 'snat-517ba029-f811-4af8-9cfd-6cef0babd1d1:qg-cf417cb0-53';

export const mtuModel = async (): Promise<DvrInstance> => new DvrInstance(await loadDvrScenario('fixtures/neutron-dvr/scenario-mtu.yaml'));

/** A UDP datagram from the external host of `ipPayload` bytes (UDP header included), id 0x4545. */
export function extDatagram(dstMac: string, dst: string, sport: number, dport: number, ipPayload: number, df: boolean, options: number[] = []): Uint8Array {
  const payload = new Uint8Array(ipPayload - 8).map((_, i) => (i * 13 + 5) & 0xff);
  const plain = frame(EXT_MAC, dstMac, '172.30.0.11', dst, { proto: 'udp', sport, dport, ttl: 64, payload });
  const b = options.length ? withIpOptions(plain, options) : plain;
  setU16(b, 18, 0x4545);
  setU16(b, 20, df ? 0x4000 : 0);
  fixIpChecksum(b);
  return b;
}

/** `whole` cut at these payload sizes, each piece with the header, its offset, MF unless last, DF as the whole. */
export function fragmentsOf(whole: Uint8Array, sizes: number[]): Uint8Array[] {
  const hdr = 14 + (whole[14] & 0xf) * 4;
  const df = u16(whole, 20) & 0x4000;
  let off = 0;
  return sizes.map((n, i) => {
    const f = new Uint8Array(hdr + n);
    f.set(whole.subarray(0, hdr));
    f.set(whole.subarray(hdr + off, hdr + off + n), hdr);
    setU16(f, 16, hdr - 14 + n);
    setU16(f, 20, df | (off >> 3) | (i < sizes.length - 1 ? 0x2000 : 0));
    fixIpChecksum(f);
    off += n;
    return f;
  });
}

function fixIpChecksum(b: Uint8Array): void {
  setU16(b, 24, 0);
  setU16(b, 24, internetChecksum(b, 14, (b[14] & 0xf) * 4));
}

/** The snat namespace knows the external host and VM2 (their ARP), and VM2's connection to 7790 is open. */
export async function snatConnection(t?: bigint): Promise<DvrInstance> {
  const m = await mtuModel();
  m.inject(at(buildArp(ARP_REQUEST, EXT_MAC, 0xac1e000b, 0xac1e597e), t), EXT);
  m.inject(at(buildArp(ARP_REQUEST, VM2_MAC, 0x0a006f05, 0x0a006f02), t), VM2);
  m.inject(at(frame(VM2_MAC, QR_MAC, '10.0.111.5', '172.30.0.11', { proto: 'udp', sport: 40140, dport: 7790, ttl: 64, payload: new TextEncoder().encode('dpconform udp probe') }), t), VM2);
  return m;
}

/** Injects each frame from the external host; the IPv4 frames that left `device` (namespace:device). */
export function sendFromExt(m: DvrInstance, frames: Uint8Array[], device: string, t?: bigint): Uint8Array[] {
  const out: Packet[] = frames.flatMap((f) => m.inject(at(f, t), EXT).outputs);
  return out.filter((o) => o.meta.interfaceName === device && u16(o.data, 12) === 0x0800).map((o) => o.data);
}
