// Test scaffolding for the NAT44/ACL nodes: a small VPP instance (interfaces, FIB 0), packets built
// from the header fields a seed trace prints (stored checksums kept as printed, never recomputed),
// and running one node on a buffer.

import { readFileSync } from 'node:fs';
import { ip4ToBytes, ip4ToU32 } from '../../harness/wire/address.js';
import { setU16, setU32 } from '../../harness/wire/bytes.js';
import { internetChecksum, pseudoHeaderSum4 } from '../../harness/wire/checksum.js';
import { parseTrace } from '../../harness/vpp-trace/parse.js';
import { allPackets } from '../../harness/vpp-trace/trace-file.js';
import type { Stage } from '../../harness/stage.js';
import { VlibBuffer } from '../../models/vpp/buffer.js';
import { Vm, type ConfigContext, type VppPlugin } from '../../models/vpp/graph.js';
import type { SwInterface } from '../../models/vpp/state.js';

export interface ItfSpec {
  name: string;
  sw: number;
  fib?: number;
  ip4?: string[];
}

export function makeVm(itfs: ItfSpec[], name = 'test-vpp'): Vm {
  const vm = new Vm(name);
  for (const s of itfs) {
    const itf: SwInterface = {
      name: s.name,
      swIfIndex: s.sw,
      hwIfIndex: s.sw,
      kind: 'tap',
      mac: new Uint8Array(6),
      ip4: (s.ip4 ?? []).map((a) => ({ address: ip4ToU32(a), prefixLength: 32 })),
      fibIndex: s.fib ?? 0,
      mtu: 9000,
      features: {},
      device: {},
    };
    vm.interfaces.set(s.sw, itf);
    vm.interfacesByName.set(s.name, itf);
  }
  vm.fibs.set(0, { index: 0, tableId: 0, byLength: new Map() });
  vm.fibByTableId.set(0, vm.fibs.get(0)!);
  return vm;
}

export class ConfigFailure extends Error {
  constructor(
    message: string,
    readonly keyPath: string,
  ) {
    super(`${keyPath}: ${message}`);
  }
}

export function ctxFor(vm: Vm): ConfigContext {
  return {
    fail(reason: string, keyPath: string): never {
      throw new ConfigFailure(reason, keyPath);
    },
    interfaceByName(name: string, keyPath: string): SwInterface {
      const i = vm.interfacesByName.get(name);
      if (!i) throw new ConfigFailure(`no interface named ${name}`, keyPath);
      return i;
    },
    // These hand-built VMs hold only the routes a test adds; the plugin's /32 receive entries are
    // covered through scenarios (test/vpp-model/nat44-fib-entries.test.ts).
    addPluginReceiveEntry(): void {},
  };
}

/** Register a plugin's nodes/features and configure it from a YAML-shaped section. */
export function install(vm: Vm, plugin: VppPlugin, section: unknown): void {
  for (const n of plugin.nodes) if (!vm.nodes.has(n.name)) vm.addNode(n);
  for (const f of plugin.features) vm.addFeature(f);
  plugin.configure(vm, section, ctxFor(vm));
}

export interface Ip4Spec {
  src: string;
  dst: string;
  proto: number;
  ttl?: number;
  id?: number;
  flagsOffset?: number;
  /** Stored IP checksum; computed when absent. */
  checksum?: number;
}

export interface L4Spec {
  sport: number;
  dport: number;
  /** Stored L4 checksum; computed when absent. */
  checksum?: number;
  seq?: number;
  ack?: number;
  flags?: number;
  window?: number;
  /** TCP header length (options zero-padded after the given option bytes). */
  tcpHeaderLength?: number;
  options?: number[];
  payload?: Uint8Array;
}

/** An IPv4 + TCP/UDP packet (bytes from the IP header on). */
export function ip4L4(ip: Ip4Spec, l4: L4Spec): Uint8Array {
  const tcp = ip.proto === 6;
  const l4Len = (tcp ? (l4.tcpHeaderLength ?? 20) : 8) + (l4.payload?.length ?? 0);
  const b = new Uint8Array(20 + l4Len);
  b[0] = 0x45;
  setU16(b, 2, b.length);
  setU16(b, 4, ip.id ?? 0);
  setU16(b, 6, ip.flagsOffset ?? 0x4000);
  b[8] = ip.ttl ?? 64;
  b[9] = ip.proto;
  ip4ToBytes(ip.src, b, 12);
  ip4ToBytes(ip.dst, b, 16);
  setU16(b, 10, ip.checksum ?? internetChecksum(b, 0, 20));
  setU16(b, 20, l4.sport);
  setU16(b, 22, l4.dport);
  if (tcp) {
    setU32(b, 24, l4.seq ?? 0);
    setU32(b, 28, l4.ack ?? 0);
    b[32] = ((l4.tcpHeaderLength ?? 20) / 4) << 4;
    b[33] = l4.flags ?? 0x02;
    setU16(b, 34, l4.window ?? 29200);
    (l4.options ?? []).forEach((o, i) => (b[40 + i] = o));
    if (l4.payload) b.set(l4.payload, 20 + (l4.tcpHeaderLength ?? 20));
    setU16(b, 36, l4.checksum ?? internetChecksum(b, 20, l4Len, pseudoHeaderSum4(b, 12, 16, 6, l4Len)));
  } else {
    setU16(b, 24, l4Len);
    if (l4.payload) b.set(l4.payload, 28);
    setU16(b, 26, l4.checksum ?? internetChecksum(b, 20, l4Len, pseudoHeaderSum4(b, 12, 16, 17, l4Len)));
  }
  return b;
}

/** A buffer as ip4-input leaves it: current data at the IP header, RX set. */
export function ipBuffer(ipBytes: Uint8Array, rx: number): VlibBuffer {
  const b = VlibBuffer.fromFrame(ipBytes);
  b.rxSwIfIndex = rx;
  return b;
}

/** Run one node on b; returns its next node and the record it added. */
export function runNode(vm: Vm, node: string, b: VlibBuffer): { next: string | null; stage: Stage | undefined } {
  const before = b.trace.length;
  const next = vm.nodes.get(node)!.process(vm, b);
  return { next, stage: b.trace.length > before ? b.trace[b.trace.length - 1] : undefined };
}

/** The stages of the first (or `which`-th) packet of a golden trace file. */
export function goldenStages(file: string, which = 0): Stage[] {
  const f = parseTrace(readFileSync(new URL(`../../golden/contiv/${file}`, import.meta.url), 'utf8'));
  return [...allPackets(f)][which].stages;
}

export function stageOf(stages: Stage[], node: string, nth = 0): Stage {
  const s = stages.filter((x) => x.node === node)[nth];
  if (!s) throw new Error(`no ${node} stage #${nth}`);
  return s;
}

/** The IP packet a golden ip4-input stage shows (TCP options: MSS 1460 + SACK-permitted as the seed dumps, rest 0). */
export function packetFromIp4Stage(s: Stage): Uint8Array {
  const f = s.fields as Record<string, number | string>;
  const proto = f['ip4.proto'] as number;
  const tcp = proto === 6;
  return ip4L4(
    { src: f['ip4.src'] as string, dst: f['ip4.dst'] as string, proto, ttl: f['ip4.ttl'] as number, id: f['ip4.id'] as number, flagsOffset: f['ip4.flags'] as number, checksum: f['ip4.checksum'] as number },
    tcp
      ? {
          sport: f['tcp.src_port'] as number,
          dport: f['tcp.dst_port'] as number,
          seq: f['tcp.seq'] as number,
          ack: f['tcp.ack'] as number,
          flags: f['tcp.flags'] as number,
          window: f['tcp.window'] as number,
          tcpHeaderLength: f['tcp.header_length'] as number,
          options: [0x02, 0x04, 0x05, 0xb4, 0x04, 0x02],
          checksum: f['tcp.checksum'] as number,
        }
      : {
          sport: f['udp.src_port'] as number,
          dport: f['udp.dst_port'] as number,
          checksum: f['udp.checksum'] as number,
          payload: new Uint8Array((f['udp.length'] as number) - 8),
        },
  );
}

/** A route `prefix/len` via one adjacency on `swIfIndex` in FIB `fib` (what snat_not_translate resolves). */
export function addRoute(vm: Vm, prefix: string, len: number, swIfIndex: number, fib = 0): void {
  const index = vm.adjacencies.size + 100;
  vm.adjacencies.set(index, { index, kind: 'rewrite', link: 'ipv4', swIfIndex, nextHop: 0, rewrite: new Uint8Array(14), maxL3PacketBytes: 9000 });
  vm.loadBalances.set(index, { index, buckets: [{ type: 'adj', index }], flowHashConfig: 0x1f });
  const f = vm.fibs.get(fib)!;
  let byNet = f.byLength.get(len);
  if (!byNet) f.byLength.set(len, (byNet = new Map()));
  const mask = len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0;
  const network = (ip4ToU32(prefix) & mask) >>> 0;
  byNet.set(network, { network, prefixLength: len, lbIndex: index });
}
