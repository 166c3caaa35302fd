// Generates the capture benchmark input: a pcap of 1,000,000 Ethernet/IPv4 TCP and UDP packets over
// 4096 flows, sizes from 60 to 1514 bytes (mostly small, like real traffic), valid IPv4 and L4
// checksums, microsecond timestamps. Deterministic (seeded), written with our own PcapWriter.
//
//   node dist/bench/gen-capture.js [--force] [PATH] [COUNT]
//
// bench/capture.ts calls ensureBenchCapture() itself, so `npm run bench` needs no separate step.
// A pcapng twin (same packets, ns timestamps) is made from it for the pcapng measurement.

import { stat, mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { PcapWriter } from '../harness/io/pcap.js';
import { PcapngWriter } from '../harness/io/pcapng.js';
import { readCapture } from '../harness/io/capture.js';
import { LinkType, type Packet } from '../harness/wire/packet.js';
import { setU16, setU32 } from '../harness/wire/bytes.js';
import { internetChecksum, pseudoHeaderSum4, transportChecksum } from '../harness/wire/checksum.js';

export const BENCH_PACKETS = 1_000_000;
export const BENCH_CAPTURE = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'bench', 'out', 'capture-1m.pcap');
/** The same packets as pcapng (one interface, nanosecond timestamps), written by our pcapng writer. */
export const BENCH_CAPTURE_NG = BENCH_CAPTURE.replace(/\.pcap$/, '.pcapng');

const FLOWS = 4096;
const ETH = 14;
const IP = 20;

/** xorshift32: a reproducible stream without a dependency. */
function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s;
  };
}

/** Frame size: 50% small (60-128), 25% medium (129-600), 25% full-size-ish (1000-1514). */
function frameSize(r: number): number {
  const pick = r & 3;
  const x = r >>> 2;
  if (pick < 2) return 60 + (x % 69);
  if (pick === 2) return 129 + (x % 472);
  return 1000 + (x % 515);
}

/** Write one Ethernet/IPv4/(TCP|UDP) frame of `size` bytes for flow `flow` into `b`. */
function buildFrame(b: Uint8Array, size: number, flow: number, seq: number, r: number): void {
  const udp = (flow & 3) === 0;
  const l4 = udp ? 8 : 20;
  const l4Len = size - ETH - IP;
  // Ethernet: 02:00:00:00:xx:xx addresses per flow side, IPv4 ethertype.
  b.fill(0, 0, ETH + IP + l4);
  b[0] = 0x02;
  setU16(b, 4, flow);
  b[6] = 0x02;
  b[9] = 1;
  setU16(b, 10, flow ^ 0x5a5a);
  setU16(b, 12, 0x0800);
  // IPv4: 10.x.y.z -> 172.16.y.z, TTL 64.
  const ip = ETH;
  b[ip] = 0x45;
  setU16(b, ip + 2, size - ETH);
  setU16(b, ip + 4, seq & 0xffff);
  setU16(b, ip + 6, 0x4000);
  b[ip + 8] = 64;
  b[ip + 9] = udp ? 17 : 6;
  setU32(b, ip + 12, (0x0a000000 | (flow * 7919)) >>> 0);
  setU32(b, ip + 16, (0xac100000 | flow) >>> 0);
  setU16(b, ip + 10, internetChecksum(b, ip, IP));
  const t = ETH + IP;
  setU16(b, t, 1024 + (flow % 60000));
  setU16(b, t + 2, udp ? 53 : [80, 443, 8080, 22][flow & 3]);
  if (udp) {
    setU16(b, t + 4, l4Len);
  } else {
    setU32(b, t + 4, (seq * 1460) >>> 0);
    setU32(b, t + 8, r);
    b[t + 12] = 0x50;
    b[t + 13] = 0x18; // PSH ACK
    setU16(b, t + 14, 65535);
  }
  for (let i = t + l4; i < size; i++) b[i] = (i + seq) & 0xff;
  const sum = pseudoHeaderSum4(b, ip + 12, ip + 16, b[ip + 9], l4Len);
  setU16(b, t + (udp ? 6 : 16), transportChecksum(b, t, l4Len, sum, udp));
}

export async function generateBenchCapture(path = BENCH_CAPTURE, count = BENCH_PACKETS): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const w = new PcapWriter(path, { linkType: LinkType.ETHERNET, snaplen: 65535 });
  const next = rng(0x5eed);
  const scratch = new Uint8Array(1514);
  let ts = 1_700_000_000_000_000_000n;
  const pkt: Packet = { data: scratch, meta: { linkType: LinkType.ETHERNET, timestampNs: ts } };
  try {
    for (let i = 0; i < count; i++) {
      const r = next();
      const size = frameSize(r);
      buildFrame(scratch, size, next() % FLOWS, i, r);
      ts += BigInt(1 + (r % 200)) * 1000n;
      pkt.data = scratch.subarray(0, size);
      pkt.meta.timestampNs = ts;
      await w.write(pkt); // the writer copies the bytes, so one scratch buffer serves every packet
    }
  } finally {
    await w.close();
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.size > 0,
    () => false,
  );
}

/** Generate the benchmark capture unless it is already there. */
export async function ensureBenchCapture(path = BENCH_CAPTURE): Promise<string> {
  if (!(await exists(path))) await generateBenchCapture(path);
  return path;
}

/** The pcapng twin of the benchmark capture (converted from it by our reader and writer). */
export async function ensureBenchCapturePcapng(path = BENCH_CAPTURE_NG): Promise<string> {
  if (await exists(path)) return path;
  const w = new PcapngWriter(path, { interfaces: [{ linkType: LinkType.ETHERNET, name: 'bench0', tsresol: 9 }] });
  try {
    // The writer copies each packet's bytes, so the reader may recycle its buffers.
    for await (const batch of readCapture(await ensureBenchCapture(), { transient: true })) for (const p of batch) await w.write(p);
  } finally {
    await w.close();
  }
  return path;
}

// Run directly (not when bench/run.ts imports every bench module).
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const args = process.argv.slice(2);
  const force = args.includes('--force');
  const [path = BENCH_CAPTURE, count = String(BENCH_PACKETS)] = args.filter((a) => a !== '--force');
  const t0 = performance.now();
  await (force ? generateBenchCapture(path, Number(count)) : ensureBenchCapture(path));
  if (path === BENCH_CAPTURE) await ensureBenchCapturePcapng();
  process.stdout.write(`${path} ready (${((performance.now() - t0) / 1000).toFixed(1)} s)\n`);
}
