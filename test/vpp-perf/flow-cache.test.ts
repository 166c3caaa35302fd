// The flow cache (models/vpp/flow-cache.ts) is invisible: a replay with it leaves every instance
// exactly as the same replay without it - frames transmitted (counted, or their bytes where they
// are kept), drops by error, and the whole ACL and NAT44 state (sessions, keys, flags, times, connection lists, LRU lists,
// pools, hashes), compared field by field. Shown on random packet sequences of a few flows with
// everything that must send a packet back to the graph (TTL 1, bad checksums, fragments, options,
// RST, ARP, a foreign MAC, full tables and recycling, the ACL cleaner on capture time), and on the
// first 200,000 packets of the benchmark's workload, where most packets take the fast path.

import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConnectionTraffic } from '../../bench/connections.js';
import { POD_TO_SERVICE, repoRoot, serviceEndpoints } from '../../bench/service-endpoints.js';
import { hex } from '../../harness/wire/bytes.js';
import { internetChecksum } from '../../harness/wire/checksum.js';
import { LinkType, type Packet } from '../../harness/wire/packet.js';
import { aclOf } from '../../models/vpp/acl/nodes.js';
import { FlowCache } from '../../models/vpp/flow-cache.js';
import type { Vm } from '../../models/vpp/graph.js';
import { vppModel, type CapturedFrames, type VppInstance } from '../../models/vpp/index.js';
import { nat44Of } from '../../models/vpp/nat44/nodes.js';

const INSTANCE = 'k8s-master';
const AT = { instance: INSTANCE };
const BASE = join(repoRoot(), POD_TO_SERVICE);

/** The pod -> service scenario with extra settings for k8s-master (YAML lines under it). */
function scenario(extra: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'flow-cache-'));
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'scenario.yaml');
  writeFileSync(file, [`extends: ${JSON.stringify(BASE)}`, 'instances:', `  ${INSTANCE}:`, ...extra.map((l) => `    ${l}`), ''].join('\n'));
  return file;
}

/**
 * Fields that are no state of the model but per-packet scratch or lookup memos (the last key a
 * table looked up, the verdict object a node reads before the next packet): the fast path skips
 * lookups, so these legitimately differ. Everything else must be equal.
 */
const SCRATCH = new Set([
  // RecordIndex: the last miss (insertion hint) and the prefetch queue.
  'missA', 'missB', 'missC', 'missD', 'missHash', 'missSlot', 'missStamp', 'queue', 'queued', 'flushed', 'prefetchSink',
  // KeyTable: the last key found.
  'lastA', 'lastB', 'lastC', 'lastD', 'lastEntry', 'lastVersion',
  // AclState: the packet's 5-tuple, key, match and verdict, and the trace_bits of the node's frame.
  'tuple', 'key', 'match', 'verdict', 'frameBits',
  // Nat44: the outcome object, the last LB failure's error, the frames its prefetch hook looked at
  // (the prefetch policy's choice is timed, so it differs from run to run anyway); NatThreadState:
  // the user looked up last.
  'outcome', 'lbError', 'prefetchFrames', 'lastUserAddr', 'lastUserFib', 'lastUser',
]);

/** A plain copy of `x` without SCRATCH fields: typed arrays as arrays, maps as entry lists. */
function state(x: unknown, seen = new Set<unknown>()): unknown {
  if (x === null || typeof x !== 'object') return typeof x === 'function' ? undefined : x;
  if (seen.has(x)) return '<seen>';
  seen.add(x);
  if (ArrayBuffer.isView(x)) return Array.from(x as unknown as ArrayLike<number>);
  if (x instanceof Map) return [...x.entries()].map(([k, v]) => [state(k, seen), state(v, seen)]);
  if (x instanceof Set) return [...x].map((v) => state(v, seen));
  if (Array.isArray(x)) return x.map((v) => state(v, seen));
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(x)) if (!SCRATCH.has(k)) out[k] = state((x as Record<string, unknown>)[k], seen);
  return out;
}

/** What the instance holds that a packet can change. */
function dump(vm: Vm): unknown {
  return { acl: state(aclOf(vm)), nat: state(nat44Of(vm)), errors: state(vm.errorCounts), transmitted: vm.transmitted };
}

async function instance(file: string, cache: boolean): Promise<VppInstance> {
  const inst = (await vppModel.instantiate(file)) as VppInstance;
  inst.setTracing(false);
  inst.setFlowCache(cache);
  return inst;
}

/** Packets the fast path took, over the test (a cache that never hits would prove nothing). */
let hits = 0;
function countHits(): void {
  const forward = FlowCache.prototype.forward;
  vi.spyOn(FlowCache.prototype, 'forward').mockImplementation(function (this: FlowCache, ...a: Parameters<FlowCache['forward']>) {
    const took = forward.apply(this, a);
    if (took) hits++;
    return took;
  });
}

afterEach(() => {
  vi.restoreAllMocks();
});

// ---- random sequences of a few flows ----

/** What a test packet is made of: a step of a connection, changed by one mutation, after a time gap. */
interface Step {
  connection: number;
  step: number;
  mutation: 'none' | 'ttl1' | 'badsum' | 'fragment' | 'options' | 'rst' | 'fin' | 'arp' | 'foreign-mac' | 'udp';
  gapMs: number;
}

const MUTATIONS: Step['mutation'][] = ['none', 'none', 'none', 'none', 'none', 'ttl1', 'badsum', 'fragment', 'options', 'rst', 'fin', 'arp', 'foreign-mac', 'udp'];

function fixIpChecksum(f: Uint8Array): void {
  f[24] = 0;
  f[25] = 0;
  const c = internetChecksum(f.subarray(14, 14 + (f[14] & 0x0f) * 4));
  f[24] = c >> 8;
  f[25] = c & 0xff;
}

/** The frame of a Step (connection steps from the benchmark's generator, then the mutation). */
function frameOf(traffic: ConnectionTraffic, s: Step): Uint8Array {
  const f = traffic.frame(s.connection, s.step);
  switch (s.mutation) {
    case 'ttl1':
      f[22] = 1;
      fixIpChecksum(f);
      break;
    case 'badsum':
      f[25] ^= 0x5a;
      break;
    case 'fragment':
      // Fragment offset 1 (ip4-input drops it). A fragment that gets past ip4-input goes to NAT44's
      // reassembly nodes, which the model does not have (it stops with an error either way).
      f[21] = 1;
      fixIpChecksum(f);
      break;
    case 'options':
      f[14] = 0x46;
      fixIpChecksum(f);
      break;
    case 'rst':
      f[47] = 0x14;
      break;
    case 'fin':
      f[47] |= 0x01;
      break;
    case 'arp':
      f[12] = 0x08;
      f[13] = 0x06;
      break;
    case 'foreign-mac':
      f[5] ^= 0x01;
      break;
    case 'udp':
      // The same ports as UDP: another flow (its own NAT44 and ACL sessions).
      f[23] = 17;
      fixIpChecksum(f);
      break;
  }
  return f;
}

const steps = fc.array(
  fc.record({
    connection: fc.integer({ min: 0, max: 3 }),
    step: fc.integer({ min: 0, max: 9 }),
    mutation: fc.constantFrom(...MUTATIONS),
    gapMs: fc.constantFrom(0, 0, 0, 1, 7, 900, 1500, 2500, 130_000),
  }),
  { minLength: 1, maxLength: 80 },
);

describe('the flow cache', () => {
  // Small tables (recycling in both), short ACL timeouts (the cleaner runs between packets).
  const SMALL = scenario(['nat44: { max_translations_per_user: 3 }', 'acl: { max_sessions: 6, session_timeout: { udp_idle: 2, tcp_idle: 3, tcp_transient: 1 } }']);
  // The same without an input ACL on the client's tap: its packets meet an ACL node (and the
  // cleaner) only on output.
  const NO_INPUT_ACL = scenario([
    'nat44: { max_translations_per_user: 3 }',
    'acl:',
    '  max_sessions: 6',
    '  session_timeout: { udp_idle: 2, tcp_idle: 3, tcp_transient: 1 }',
    '  interfaces:',
    '    - { interface: tap2, input: [], output: [2] }',
    '    - { interface: tap4, input: [3], output: [4] }',
  ]);
  const traffic = new ConnectionTraffic(serviceEndpoints(SMALL, INSTANCE), { connections: 4, open: 4 });

  /**
   * The steps through an instance with the cache and one without, counted and with their frames
   * kept: the same counts, frames and state.
   */
  async function same(seq: readonly Step[], file = SMALL): Promise<void> {
    for (const frames of [false, true]) {
      const off = await replay(seq, false, file, frames);
      const on = await replay(seq, true, file, frames);
      expect(on.sent).toEqual(off.sent);
      expect(on.state).toEqual(off.state);
    }
  }

  /**
   * Run the steps one by one through a fresh instance; per packet, the number of frames it
   * transmitted, or with `frames` each frame (its interface and bytes).
   */
  async function replay(seq: readonly Step[], cache: boolean, file: string, frames: boolean): Promise<{ sent: unknown[]; state: unknown }> {
    const inst = await instance(file, cache);
    let ns = 1_700_000_000_000_000_000n;
    const sent: unknown[] = [];
    for (const s of seq) {
      ns += BigInt(s.gapMs) * 1_000_000n + 1000n;
      const p: Packet = { data: frameOf(traffic, s), meta: { linkType: LinkType.ETHERNET, interfaceName: traffic.arrival(s.connection, s.step), timestampNs: ns } };
      sent.push(frames ? inst.inject(p, AT).outputs.map((o) => `${o.meta.interfaceName} ${hex(o.data)}`) : inst.injectCounting([p], AT));
    }
    return { sent, state: dump(inst.vm(INSTANCE)) };
  }

  it('leaves the same state and transmits the same per packet as the graph alone, on random flows', async () => {
    countHits();
    hits = 0;
    await fc.assert(
      fc.asyncProperty(steps, async (random) => {
        // Three connections opened first (handshake and request in order: as many as the tables
        // hold), so that the random steps after meet sessions the cache has entries for; the fourth
        // connection's packets make both tables recycle.
        const seq: Step[] = [];
        for (let j = 0; j < 5; j++) for (let c = 0; c < 3; c++) seq.push({ connection: c, step: j, mutation: 'none', gapMs: 0 });
        seq.push(...random);
        for (const file of [SMALL, NO_INPUT_ACL]) await same(seq, file);
      }),
      { numRuns: 50, seed: 4, endOnFailure: true },
    );
    expect(hits).toBeGreaterThan(100);
  }, 120_000);

  it('does so on whole connections, each step in order, interleaved', async () => {
    countHits();
    hits = 0;
    // Every connection's ten steps in order, connections interleaved at random: the path the cache
    // is for (the property above mostly exercises its refusals).
    const interleaving = fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 40, maxLength: 40 });
    await fc.assert(
      fc.asyncProperty(interleaving, fc.array(fc.constantFrom(...MUTATIONS), { minLength: 40, maxLength: 40 }), async (order, mutations) => {
        const next = [0, 0, 0, 0];
        const seq: Step[] = [];
        order.forEach((c, i) => {
          if (next[c] < 10) seq.push({ connection: c, step: next[c]++, mutation: i % 3 === 0 ? mutations[i] : 'none', gapMs: i % 7 === 0 ? 1500 : 0 });
        });
        await same(seq);
      }),
      { numRuns: 40, seed: 7, endOnFailure: true },
    );
    expect(hits).toBeGreaterThan(500);
  }, 120_000);

  it('is not used by traced runs, injection at a node, or with a fault on', async () => {
    countHits();
    const inst = await instance(SMALL, true);
    const seq = Array.from({ length: 10 }, (_, j) => ({ data: traffic.frame(0, j), meta: { linkType: LinkType.ETHERNET, interfaceName: traffic.arrival(0, j) } }));
    hits = 0;
    for (const p of seq) inst.inject(p, { ...AT, interface: p.meta.interfaceName, node: 'virtio-input' });
    inst.setTracing(true);
    inst.injectCounting(seq, AT);
    for (const p of seq) inst.inject(p, AT);
    inst.setTracing(false);
    inst.setFault('ttl-decrement');
    inst.injectCounting(seq, AT);
    inst.setFault('ttl-decrement', false);
    expect(hits).toBe(0);
    // Another connection, untraced, no fault: the cache takes most of its packets.
    const again = Array.from({ length: 10 }, (_, j) => ({ data: traffic.frame(1, j), meta: { linkType: LinkType.ETHERNET, interfaceName: traffic.arrival(1, j) } }));
    for (const p of again) inst.inject(p, AT);
    expect(hits).toBeGreaterThan(5);
  });
});

// ---- the benchmark's workload ----

/** The first `n` packets of the benchmark's connection capture, as capture frames in batches. */
function benchBatches(traffic: ConnectionTraffic, n: number, batch: number): CapturedFrames[] {
  const names = traffic.interfaces();
  const out: CapturedFrames[] = [];
  let frames: Uint8Array[] = [];
  let ids: number[] = [];
  let first = 0;
  const flush = () => {
    const total = frames.reduce((s, f) => s + f.length, 0);
    const bytes = new Uint8Array(total);
    const start = new Int32Array(frames.length);
    const length = new Int32Array(frames.length);
    let at = 0;
    frames.forEach((f, i) => {
      bytes.set(f, at);
      start[i] = at;
      length[i] = f.length;
      at += f.length;
    });
    const base = first;
    // As the capture stamps them: frame i at i microseconds.
    out.push({ bytes, count: frames.length, start, length, interfaceId: Int32Array.from(ids), interfaces: names.map((name) => ({ name, linkType: LinkType.ETHERNET })) as unknown as CapturedFrames['interfaces'], timestampMs: (i: number) => 1_700_000_000_000 + Math.floor((base + i) / 1000) });
    first += frames.length;
    frames = [];
    ids = [];
  };
  let made = 0;
  traffic.forEach((k, j) => {
    if (made++ >= n) return;
    frames.push(traffic.frame(k, j));
    ids.push(names.indexOf(traffic.arrival(k, j)));
    if (frames.length === batch) flush();
  });
  if (frames.length > 0) flush();
  return out;
}

describe('the flow cache on the benchmark workload', () => {
  // bench/replay-connections.ts's scenario and plan.
  const file = scenario(['nat44: { max_translations_per_user: 10240 }']);
  const traffic = new ConnectionTraffic(serviceEndpoints(file, INSTANCE), { connections: 100_000, open: 10_000 });
  const batches = benchBatches(traffic, 200_000, 4096);

  it('leaves the same sessions and counts after its first 200,000 packets as the graph alone', async () => {
    countHits();
    hits = 0;
    const run = async (cache: boolean) => {
      const inst = await instance(file, cache);
      const sent = batches.map((b) => inst.injectFramesCounting(b, AT));
      return { sent, state: dump(inst.vm(INSTANCE)) };
    };
    const off = await run(false);
    const on = await run(true);
    expect(hits).toBeGreaterThan(100_000);
    expect(on.sent).toEqual(off.sent);
    expect(on.state).toEqual(off.state);
  }, 120_000);

  it('transmits the same frames for them, in order, on the same interfaces (a hash of all of them)', async () => {
    countHits();
    hits = 0;
    const run = async (cache: boolean) => {
      const inst = await instance(file, cache);
      const hash = createHash('sha256');
      let frames = 0;
      for (const b of batches)
        inst.injectFrames(b, AT, (i, outputs) => {
          hash.update(`${i}:${outputs.length};`);
          for (const o of outputs) {
            hash.update(`${o.meta.interfaceName}:`);
            hash.update(o.data);
            frames++;
          }
        });
      return { frames, hash: hash.digest('hex'), state: dump(inst.vm(INSTANCE)) };
    };
    const off = await run(false);
    const on = await run(true);
    expect(hits).toBeGreaterThan(100_000);
    expect(on.frames).toBe(200_000);
    expect(on.hash).toBe(off.hash);
    expect(on.state).toEqual(off.state);
  }, 120_000);
});
