// Dissection benchmark: packets per second of `dissect()` over a generated mix of the stacks it
// walks (TCP with options, UDP, VLAN/IPv6, VXLAN, GRE, MPLS over UDP, an ICMP error with its quote,
// IPv6 extension headers), beside `tshark -T fields -e ip.src` on the same pcap in the same run.
//
// - The pcap (bench/out/dissect-mix.pcap) is written with our pcap writer from packets our emitters
//   build and finalize.ts completes (lengths, checksums), so every checksum verdict is computed.
// - "dissect" times dissect() alone over packets already in memory (best of RUNS): the figure that
//   matters for `inspect` and the oracle. "read+dissect" adds our capture reader, which is what
//   tshark's whole-process time also includes (plus its start-up, ~0.3 s, hence a large input).
// - tshark dissects every layer too (its field extraction needs the full tree); best of TSHARK_RUNS.

import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { stat, mkdir, rename } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchResult } from './run.js';
import { writePcap } from '../harness/io/pcap.js';
import { readCapture, readCaptureAll } from '../harness/io/capture.js';
import { concat } from '../harness/wire/bytes.js';
import { LinkType, type Packet } from '../harness/wire/packet.js';
import { EtherType, emitEthernet } from '../harness/wire/ethernet.js';
import { emitIpv4, IpProtocol } from '../harness/wire/ipv4.js';
import { emitIpv6 } from '../harness/wire/ipv6.js';
import { emitIpv6Fragment, emitIpv6Options } from '../harness/wire/ipv6-ext.js';
import { emitTcp, tcpHeaderLengthFor, type TcpOption } from '../harness/wire/tcp.js';
import { emitUdp } from '../harness/wire/udp.js';
import { emitIcmp4, icmp4Echo, icmp4Error } from '../harness/wire/icmp4.js';
import { emitIcmp6 } from '../harness/wire/icmp6.js';
import { emitVxlan } from '../harness/wire/vxlan.js';
import { emitGre } from '../harness/wire/gre.js';
import { emitMpls } from '../harness/wire/mpls.js';
import { finalizePacket } from '../harness/dissect/finalize.js';
import { dissect } from '../harness/dissect/dissect.js';

const run = promisify(execFile);

export const DISSECT_PACKETS = 300_000;
const RUNS = 3;
const TSHARK_RUNS = 2;
export const DISSECT_CAPTURE = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'bench', 'out', 'dissect-mix.pcap');

// ---- the mix ----------------------------------------------------------------------------------

const eth = (etherType: number, vid?: number) =>
  emitEthernet({ dst: '02:00:00:00:00:02', src: '02:00:00:00:00:01', tags: vid === undefined ? [] : [{ tpid: 0x8100, pcp: 0, dei: false, vid }], etherType });
const ip4 = (protocol: number, v: number) =>
  emitIpv4({ version: 4, headerLength: 20, tos: 0, totalLength: 0, id: v & 0xffff, flags: 0x4000, fragmentOffset: 0, ttl: 64 - (v & 31), protocol, checksum: 0, src: `10.${(v >> 16) & 255}.${(v >> 8) & 255}.${v & 255}`, dst: '10.1.0.2', options: new Uint8Array(0) });
const ip6 = (nextHeader: number, v: number) =>
  emitIpv6({ version: 6, trafficClass: 0, flowLabel: v & 0xfffff, payloadLength: 0, nextHeader, hopLimit: 64, src: `2001:db8::${(v >>> 16).toString(16)}:${(v & 0xffff).toString(16)}`, dst: '2001:db8:1::2' });
const tcp = (v: number, flags: number, options: TcpOption[] = []) =>
  emitTcp({ srcPort: port(v), dstPort: 443, seq: Math.imul(v, 7919) >>> 0, ack: flags & 0x10 ? 12345 : 0, headerLength: tcpHeaderLengthFor(options), reserved: 0, flags, window: 64240, checksum: 0, urgent: 0, options });
/**
 * Source ports from the ephemeral range (RFC 6335), so tshark picks the application by the low
 * destination port as it would on real traffic; with the address the flow stays new.
 */
const port = (v: number) => 49152 + (v % 16384);
const udp = (v: number, dstPort: number) => emitUdp({ srcPort: port(v), dstPort, length: 0, checksum: 0 });
const bytes = (n: number) => new Uint8Array(n).fill(0x5a);
const SYN_OPTIONS: TcpOption[] = [
  { kind: 'mss', value: 1460 }, { kind: 'sack_permitted' }, { kind: 'timestamps', tsval: 1, tsecr: 0 }, { kind: 'nop' }, { kind: 'wscale', shift: 7 },
];

/** [weight, builder]: weights roughly follow real traffic (mostly plain TCP/UDP, some tunnels). */
const MIX: Array<[number, (v: number) => Uint8Array[]]> = [
  [3, (v) => [eth(EtherType.IPV4), ip4(IpProtocol.TCP, v), tcp(v, 0x02, SYN_OPTIONS)]],
  [4, (v) => [eth(EtherType.IPV4), ip4(IpProtocol.TCP, v), tcp(v, 0x18), bytes(100 + (v & 1023))]],
  [3, (v) => [eth(EtherType.IPV4), ip4(IpProtocol.UDP, v), udp(v, 33434), bytes(40)]],
  [2, (v) => [eth(EtherType.IPV6, 100), ip6(IpProtocol.TCP, v), tcp(v, 0x10), bytes(60)]],
  [2, (v) => [eth(EtherType.IPV6), ip6(IpProtocol.UDP, v), udp(v, 443), bytes(200)]],
  [1, (v) => [eth(EtherType.IPV4), ip4(IpProtocol.UDP, v), udp(v, 4789), emitVxlan({ flags: 8, reserved1: 0, vni: v & 0xffffff, reserved2: 0 }), eth(EtherType.IPV4), ip4(IpProtocol.TCP, v), tcp(v, 0x10), bytes(20)]],
  [1, (v) => [eth(EtherType.IPV4), ip4(IpProtocol.GRE, v), emitGre({ checksumPresent: true, keyPresent: true, sequencePresent: false, reserved0: 0, version: 0, protocol: EtherType.IPV4, key: v >>> 0 }), ip4(IpProtocol.ICMP, v), emitIcmp4(icmp4Echo(8, v & 0xffff, 1))]],
  [1, (v) => [eth(EtherType.IPV4), ip4(IpProtocol.UDP, v), udp(v, 6635), emitMpls([{ label: 16 + (v % 1_000_000), tc: 0, bottom: true, ttl: 64 }]), ip6(IpProtocol.ICMPV6, v), emitIcmp6({ type: 128, code: 0, checksum: 0, rest: v >>> 0, payload: bytes(16) }, undefined, 0, { keepChecksum: true })]],
  [1, (v) => {
    // ICMP fragmentation needed, quoting the RFC 792 minimum of a TCP segment.
    const original = finalizePacket({ data: concat([ip4(IpProtocol.TCP, v), tcp(v, 0x10), bytes(1400)]), meta: { linkType: LinkType.IPV4 } }).data;
    return [eth(EtherType.IPV4), ip4(IpProtocol.ICMP, v), emitIcmp4(icmp4Error(3, 4, original.slice(0, 28), { mtu: 1400 }))];
  }],
  [1, (v) => [eth(EtherType.IPV6), ip6(IpProtocol.HOPOPT, v), emitIpv6Options({ nextHeader: IpProtocol.IPV6_FRAG, options: [{ type: 5, data: new Uint8Array(2) }, { type: 1, data: new Uint8Array(0) }] }),
    emitIpv6Fragment({ nextHeader: IpProtocol.UDP, reserved: 0, fragmentOffset: 0, res: 0, more: false, id: v >>> 0 }), udp(v, 33435), bytes(30)]],
];

/**
 * The weighted slots in turn, every packet a new flow (addresses, ports, ids, sequence numbers), so
 * neither side sees repeats (tshark would flag a repeated segment as a retransmission and take
 * another path).
 */
function* benchPackets(count: number): Generator<Packet> {
  const slots: Array<(v: number) => Uint8Array[]> = MIX.flatMap(([w, build]) => Array<typeof build>(w).fill(build));
  for (let i = 0; i < count; i++) {
    const p = finalizePacket({ data: concat(slots[i % slots.length](i)), meta: { linkType: LinkType.ETHERNET } });
    p.meta.timestampNs = 1_700_000_000_000_000_000n + BigInt(i) * 1000n;
    yield p;
  }
}

export async function ensureDissectCapture(path = DISSECT_CAPTURE, count = DISSECT_PACKETS): Promise<string> {
  const exists = await stat(path).then((s) => s.size > 0, () => false);
  if (!exists) {
    // Written aside and renamed, so a failed generation never leaves a file that looks finished.
    await mkdir(dirname(path), { recursive: true });
    await writePcap(`${path}.partial`, benchPackets(count));
    await rename(`${path}.partial`, path);
  }
  return path;
}

// ---- measurements -----------------------------------------------------------------------------

/** Seconds for one dissect() pass over `packets`; the layer count keeps the work observable. */
function dissectPass(packets: Packet[]): { seconds: number; layers: number } {
  let layers = 0;
  const t0 = process.hrtime.bigint();
  for (const p of packets) layers += dissect(p).length;
  return { seconds: Number(process.hrtime.bigint() - t0) / 1e9, layers };
}

async function readAndDissect(file: string): Promise<{ seconds: number; packets: number }> {
  let packets = 0;
  const t0 = process.hrtime.bigint();
  // Each batch is dissected before the next is pulled: the reader may recycle its buffers.
  for await (const batch of readCapture(file, { transient: true })) {
    for (const p of batch) dissect(p);
    packets += batch.length;
  }
  return { seconds: Number(process.hrtime.bigint() - t0) / 1e9, packets };
}

async function tsharkSeconds(file: string): Promise<{ seconds: number; lines: number } | undefined> {
  try {
    await run('which', ['tshark']);
  } catch {
    return undefined;
  }
  let best: { seconds: number; lines: number } | undefined;
  for (let i = 0; i < TSHARK_RUNS; i++) {
    const t0 = process.hrtime.bigint();
    const { stdout } = await run('tshark', ['-n', '-r', file, '-T', 'fields', '-e', 'ip.src'], { maxBuffer: 256 << 20 });
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    const lines = stdout.length ? stdout.split('\n').length - 1 : 0;
    if (!best || seconds < best.seconds) best = { seconds, lines };
  }
  return best;
}

export async function bench(): Promise<BenchResult[]> {
  const file = await ensureDissectCapture();
  const packets = await readCaptureAll(file);
  if (packets.length !== DISSECT_PACKETS) throw new Error(`${file}: ${packets.length} packets, expected ${DISSECT_PACKETS} (delete it to regenerate)`);
  dissectPass(packets); // warm-up: JIT, caches
  let top = dissectPass(packets);
  for (let i = 1; i < RUNS; i++) {
    const r = dissectPass(packets);
    if (r.seconds < top.seconds) top = r;
  }
  let e2e = await readAndDissect(file);
  for (let i = 1; i < RUNS; i++) {
    const r = await readAndDissect(file);
    if (r.seconds < e2e.seconds) e2e = r;
  }
  const ts = await tsharkSeconds(file);
  if (ts && ts.lines !== DISSECT_PACKETS) throw new Error(`tshark printed ${ts.lines} lines for ${DISSECT_PACKETS} packets`);
  const compare = ts ? [{ name: 'tshark -T fields -e ip.src', value: DISSECT_PACKETS / ts.seconds }] : undefined;
  const note = `${DISSECT_PACKETS} packets, ${MIX.length} stacks, every packet a new flow, ${(top.layers / DISSECT_PACKETS).toFixed(2)} layers/packet${ts ? '' : '; tshark not installed'}`;
  return [
    { name: 'dissect() over the mix (in memory)', value: DISSECT_PACKETS / top.seconds, unit: 'packets/s', compare, note },
    { name: 'read + dissect (capture reader included)', value: DISSECT_PACKETS / e2e.seconds, unit: 'packets/s', compare, note: 'tshark time is its whole process, start-up included' },
  ];
}
