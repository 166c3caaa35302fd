// The replay reuses one buffer per instance while tracing is off, and refill clears only what a
// packet can have dirtied (buffer.ts). Whatever the nodes really did to the buffer - a big packet's
// payload, NAT rewriting the checksum of a cut TCP header past the frame's end, an L2 rewrite in
// front - the next packet must start from exactly the buffer a fresh one would be, through every
// inject API; and the packets' outcomes must be those of an instance that never reuses a buffer
// (tracing on: a fresh buffer per packet).

import fc from 'fast-check';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { setU16 } from '../../harness/wire/bytes.js';
import { internetChecksum } from '../../harness/wire/checksum.js';
import { ip4ToU32 } from '../../harness/wire/address.js';
import { LinkType, type Packet } from '../../harness/wire/packet.js';
import { HEADROOM, VlibBuffer } from '../../models/vpp/buffer.js';
import { vppModel, type CapturedFrames, type VppInstance } from '../../models/vpp/index.js';
import { nat44Of } from '../../models/vpp/nat44/nodes.js';
import { aclOf } from '../../models/vpp/acl/nodes.js';
import { synFrame } from '../../bench/replay.js';

const SCENARIO = fileURLToPath(new URL('../../fixtures/contiv/pod-to-service-same-node/scenario.yaml', import.meta.url));
const AT = { instance: 'k8s-master', interface: 'tap2' };
const CLIENT = ip4ToU32('10.1.1.3');

/** A frame the model runs: a SYN to the service, grown with payload or cut short. */
type Shape = { port: number; size: number; fixLength: boolean; fill: number };

/**
 * A SYN from port `port` to the service, `size` bytes long: longer, its IP packet carries `fill`
 * bytes of payload; shorter, it is cut inside its headers, its IP total length kept (ip4-input
 * drops it) or, with fixLength, made to say the cut length (it goes on with a cut TCP header).
 */
function frameOf({ port, size, fixLength, fill }: Shape): Uint8Array {
  const syn = new Uint8Array(74);
  synFrame(syn, CLIENT, 1024 + port);
  const f = new Uint8Array(size).fill(fill);
  f.set(syn.subarray(0, Math.min(74, size)));
  if (size < 34) return f;
  if (size > 74 || fixLength) {
    setU16(f, 16, size - 14);
    setU16(f, 24, 0);
    setU16(f, 24, internetChecksum(f, 14, 20));
  }
  return f;
}

const shape: fc.Arbitrary<Shape> = fc.oneof(
  fc.record({ port: fc.nat(30), size: fc.constant(74), fixLength: fc.constant(false), fill: fc.constant(0) }),
  fc.record({ port: fc.nat(30), size: fc.integer({ min: 75, max: 1500 }), fixLength: fc.constant(false), fill: fc.integer({ min: 1, max: 255 }) }),
  fc.record({ port: fc.nat(30), size: fc.integer({ min: 14, max: 73 }), fixLength: fc.boolean(), fill: fc.constant(0) }),
);

/** Index of the first differing byte, -1 if equal. */
function firstDifference(a: Uint8Array, b: Uint8Array): number {
  if (a.length !== b.length) return Math.min(a.length, b.length);
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return i;
  return -1;
}

/** Everything of a buffer a node can read, as plain values (bytes as a first-difference check). */
function fieldsOf(b: VlibBuffer) {
  // pluginState is read as is: the `plugin` accessor would mark it handed out.
  const inner = b as unknown as { union: Uint8Array; pluginState: object; dirtyEnd: number };
  return {
    currentData: b.currentData,
    currentLength: b.currentLength,
    flags: b.flags,
    rx: b.rxSwIfIndex,
    tx: b.txSwIfIndex,
    offsets: [b.l2HdrOffset, b.l3HdrOffset, b.l4HdrOffset, b.saveRewriteLength],
    error: b.error,
    icmp: { ...b.icmp },
    indices: [b.bufferIndex, b.traceIndex],
    plugin: Object.keys(inner.pluginState),
    trace: b.trace.length,
    arc: b.arc,
    union: [...inner.union],
    dirtyEnd: inner.dirtyEnd,
  };
}

/**
 * Spy on every refill the model makes: each buffer handed to a packet must equal, byte for byte
 * (headroom and the whole data area) and field for field, a fresh buffer of the same frame.
 * Returns the number of refills that reused a buffer.
 */
function checkEveryRefill(): { reused: () => number } {
  vi.restoreAllMocks(); // the spy of the property's previous run
  const original = VlibBuffer.refillFrom.bind(VlibBuffer);
  let reused = 0;
  vi.spyOn(VlibBuffer, 'refillFrom').mockImplementation((prev, src, start, length) => {
    const b = original(prev, src, start, length);
    if (b === prev) reused++;
    const fresh = VlibBuffer.fromFrame(src.slice(start, start + length));
    expect(firstDifference(b.bytes.subarray(0, fresh.bytes.length), fresh.bytes)).toBe(-1);
    // A reused buffer may be longer than a fresh one (it held a longer frame): that rest is zero.
    expect(b.bytes.subarray(fresh.bytes.length).every((x) => x === 0)).toBe(true);
    expect(fieldsOf(b)).toEqual(fieldsOf(fresh));
    return b;
  });
  return { reused: () => reused };
}

async function fresh(tracing: boolean): Promise<VppInstance> {
  const inst = (await vppModel.instantiate(SCENARIO)) as VppInstance;
  inst.setTracing(tracing);
  return inst;
}

/** What the packets did, as far as it outlives them. */
function outcome(inst: VppInstance) {
  const vm = inst.vm('k8s-master');
  const errors = [...vm.errorCounts].map(([node, m]) => [node, [...m]]);
  return { errors, nat: nat44Of(vm)!.thread.sessions.size, acl: aclOf(vm).sessions.size, transmitted: vm.transmitted };
}

type Out = { itf: string | undefined; hex: string };
const hexOf = (p: Packet): Out => ({ itf: p.meta.interfaceName, hex: Buffer.from(p.data).toString('hex') });

/** The frames packed into one capture buffer, with junk between them, as readCaptureFrames gives them. */
function captured(frames: Uint8Array[]): CapturedFrames {
  const bytes = new Uint8Array(frames.reduce((n, f) => n + f.length + 3, 0)).fill(0x5a);
  const start = new Int32Array(frames.length);
  const length = new Int32Array(frames.length);
  let at = 0;
  frames.forEach((f, i) => {
    start[i] = at + 3;
    length[i] = f.length;
    bytes.set(f, at + 3);
    at += f.length + 3;
  });
  return { bytes, count: frames.length, start, length, interfaceId: new Int32Array(frames.length), interfaces: [{ name: 'tap2', linkType: LinkType.ETHERNET }] };
}

const packet = (data: Uint8Array): Packet => ({ data, meta: { linkType: LinkType.ETHERNET } });

describe('a reused buffer carries nothing of the packet before', () => {
  afterEach(() => vi.restoreAllMocks());

  it('big and cut frames in any order: every refill is a fresh buffer, and outcomes are those of fresh buffers, through every inject API', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(shape, { minLength: 2, maxLength: 12 }), async (shapes) => {
        const frames = shapes.map(frameOf);
        // The reference: tracing on, a fresh buffer per packet (and no spy: nothing is reused).
        const ref = await fresh(true);
        const refOut = frames.flatMap((f) => ref.inject(packet(f), AT).outputs.map(hexOf));
        const want = outcome(ref);

        const spy = checkEveryRefill();
        const one = await fresh(false);
        expect(frames.flatMap((f) => one.inject(packet(f), AT).outputs.map(hexOf))).toEqual(refOut);
        expect(outcome(one)).toEqual(want);

        const batch = await fresh(false);
        const batchOut: Out[] = [];
        batch.injectBatch(frames.map(packet), AT, (r) => batchOut.push(...r.outputs.map(hexOf)));
        expect(batchOut).toEqual(refOut);
        expect(outcome(batch)).toEqual(want);

        const counting = await fresh(false);
        expect(counting.injectCounting(frames.map(packet), AT)).toBe(refOut.length);
        expect(outcome(counting)).toEqual(want);

        const fromCapture = await fresh(false);
        expect(fromCapture.injectFramesCounting(captured(frames), AT)).toBe(refOut.length);
        expect(outcome(fromCapture)).toEqual(want);
        // Every packet after the first of each of the four runs reused the buffer.
        expect(spy.reused()).toBe(4 * (frames.length - 1));
      }),
      { numRuns: 25 },
    );
  });

  it("a cut SYN after a big packet finds zeros past its end, not the big packet's payload", async () => {
    const big = frameOf({ port: 1, size: 1500, fixLength: false, fill: 0xee });
    const cut = frameOf({ port: 2, size: 42, fixLength: true, fill: 0 });
    const spy = checkEveryRefill();
    const inst = await fresh(false);
    const seen: number[][] = [];
    // What each packet's buffer holds at data[80, 144) when its first node runs: the big packet's
    // payload, then (past the cut SYN's 42 bytes) zero.
    const vm = inst.vm('k8s-master');
    const run = vm.run.bind(vm);
    vi.spyOn(vm, 'run').mockImplementation((b, first) => {
      seen.push([...b.bytes.subarray(HEADROOM + 80, HEADROOM + 144)]);
      run(b, first);
    });
    inst.injectFramesCounting(captured([big, cut]), AT);
    expect(spy.reused()).toBe(1);
    expect(seen[0]).toEqual(new Array(64).fill(0xee));
    expect(seen[1]).toEqual(new Array(64).fill(0));
  });
});
