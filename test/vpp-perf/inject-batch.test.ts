// injectBatch is inject with the session-hash slots of a group of packets read ahead (speed only):
// the same packets give the same traces, outputs and sessions as injecting them one by one, and
// each plugin's prefetch reads the slots of the very keys the packet then looks up or inserts.

import fc from 'fast-check';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { ip4ToU32 } from '../../harness/wire/address.js';
import { LinkType, type Packet } from '../../harness/wire/packet.js';
import type { Injection } from '../../harness/model.js';
import { vppModel, type VppInstance } from '../../models/vpp/index.js';
import { nat44Of } from '../../models/vpp/nat44/nodes.js';
import { aclOf } from '../../models/vpp/acl/nodes.js';
import { synFrame } from '../../bench/replay.js';
import type { KeyTable } from '../../models/vpp/nat44/bihash.js';

const SCENARIO = fileURLToPath(new URL('../../fixtures/contiv/pod-to-service-same-node/scenario.yaml', import.meta.url));
const AT = { instance: 'k8s-master', interface: 'tap2' };

function syns(ports: number[]): Packet[] {
  const client = ip4ToU32('10.1.1.3');
  return ports.map((port) => {
    const data = new Uint8Array(74);
    synFrame(data, client, 1024 + port);
    return { data, meta: { linkType: LinkType.ETHERNET } } as Packet;
  });
}

function summary(inst: VppInstance, results: Injection[]) {
  return {
    traces: results.map((r) => r.traces),
    outputs: results.map((r) => r.outputs.map((p) => [p.meta.interfaceName, Buffer.from(p.data).toString('hex')])),
    nat: nat44Of(inst.vm('k8s-master'))!.thread.sessions.size,
    acl: aclOf(inst.vm('k8s-master')).sessions.size,
  };
}

describe('injectBatch', () => {
  it('gives the traces, outputs and sessions of injecting the packets one by one, in order', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.nat(50), { minLength: 1, maxLength: 100 }), async (ports) => {
        const one = (await vppModel.instantiate(SCENARIO)) as VppInstance;
        const batch = (await vppModel.instantiate(SCENARIO)) as VppInstance;
        const seen: Injection[] = [];
        const each = syns(ports).map((p) => one.inject(p, AT));
        const packets = syns(ports);
        const order: Packet[] = [];
        batch.injectBatch(packets, AT, (r, p) => {
          seen.push(r);
          order.push(p);
        });
        expect(order).toEqual(packets);
        expect(summary(batch, seen)).toEqual(summary(one, each));
      }),
      { numRuns: 10 },
    );
  });

  it('the ACL and NAT44 prefetch read the slots of the very keys the packet then looks up and inserts', async () => {
    const inst = (await vppModel.instantiate(SCENARIO)) as VppInstance;
    inst.setPrefetch('on'); // every group, whatever the policy would measure
    const vm = inst.vm('k8s-master');
    const tables = {
      acl: aclOf(vm).sessions['byKey'] as KeyTable,
      out2inEd: nat44Of(vm)!.thread.out2inEd,
      in2outEd: nat44Of(vm)!.thread.in2outEd,
    };
    const calls = Object.fromEntries(
      Object.entries(tables).map(([name, t]) => [name, { prefetch: vi.spyOn(t, 'prefetch'), get: vi.spyOn(t, 'get'), set: vi.spyOn(t, 'set') }]),
    );
    // Key words as u32: a prefetch may pass a word as int32 (it only hashes it, and the hash reads int32).
    const keys = (spy: { mock: { calls: unknown[][] } }) => spy.mock.calls.map((c) => c.slice(0, 4).map((w) => Number(w) >>> 0).join(':'));
    // The ACL's lookups, through find (which skips the hash while no session exists on the key's
    // interface); its key array is reused per packet, so each call's words are copied here.
    const sessions = aclOf(vm).sessions;
    const find = sessions.find.bind(sessions);
    const aclLookups: string[] = [];
    vi.spyOn(sessions, 'find').mockImplementation((k) => {
      aclLookups.push([...k].map((w) => w >>> 0).join(':'));
      return find(k);
    });
    // Source ports from 32768 up make key words at or above 2^31 too.
    const packets = syns([7, 8, 40000, 50000]);
    inst.injectBatch(packets, AT, () => {});
    // The ACL input lookup and the NAT44 out2in_ed lookup of each packet, and the in2out_ed key of
    // each new session (the scenario's VIP has one backend), were all read ahead.
    // (The ACL also looks up on tap4's output, which is not read ahead.)
    expect(keys(calls.acl.prefetch)).toHaveLength(packets.length);
    expect(aclLookups).toEqual(expect.arrayContaining(keys(calls.acl.prefetch)));
    expect(keys(calls.out2inEd.prefetch)).toEqual(keys(calls.out2inEd.get));
    expect(keys(calls.in2outEd.set)).toHaveLength(packets.length);
    expect(keys(calls.in2outEd.prefetch)).toEqual(keys(calls.in2outEd.set));
    vi.restoreAllMocks();
  });
});

describe('injectCounting', () => {
  const OTHER_NODE = fileURLToPath(new URL('../../fixtures/contiv/pod-to-pod-other-node/scenario.yaml', import.meta.url));
  const OTHER_NODE_TRACE = fileURLToPath(new URL('../../golden/contiv/pod-to-pod-other-node.request.trace', import.meta.url));

  it('runs the packets as inject does, keeps no output, and counts what inject would list', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.nat(50), { minLength: 1, maxLength: 100 }), async (ports) => {
        const one = (await vppModel.instantiate(SCENARIO)) as VppInstance;
        const counting = (await vppModel.instantiate(SCENARIO)) as VppInstance;
        counting.setTracing(false);
        const each = syns(ports).map((p) => one.inject(p, AT));
        const sent = counting.injectCounting(syns(ports), AT);
        expect(sent).toBe(each.reduce((n, r) => n + r.outputs.length, 0));
        expect(counting.vm('k8s-master').outputs).toEqual([]);
        // The same state afterwards: the next packet (a repeat of the first) comes out the same.
        counting.setTracing(true);
        const [again] = syns(ports.slice(0, 1));
        expect(summary(counting, [counting.inject(again, AT)])).toEqual(summary(one, [one.inject(syns(ports.slice(0, 1))[0], AT)]));
      }),
      { numRuns: 10 },
    );
  });

  it('keeps no reference to the injected bytes (bench/replay reads the capture transient: its buffers are reused)', async () => {
    const ports = [1, 2, 1, 3];
    const one = (await vppModel.instantiate(SCENARIO)) as VppInstance;
    const reused = (await vppModel.instantiate(SCENARIO)) as VppInstance;
    reused.setTracing(false);
    const hex = (r: Injection) => r.outputs.map((p) => Buffer.from(p.data).toString('hex'));
    const expected = syns(ports).map((p) => hex(one.inject(p, AT)));
    const results: Injection[] = [];
    const packets = syns(ports);
    reused.injectBatch(packets, AT, (r, p) => {
      results.push(r);
      p.data.fill(0xee); // the capture reader recycling the chunk under the packet
    });
    expect(results.map(hex)).toEqual(expected);
    // and the sessions made from those bytes still match the repeat of the first packet
    const [again] = syns(ports.slice(0, 1));
    expect(hex(reused.inject(again, AT))).toEqual(hex(one.inject(syns(ports.slice(0, 1))[0], AT)));
  });

  it('still carries frames across a link to the peer instance, and counts them there', async () => {
    const { inputsFromTrace } = await import('../../models/vpp/replay.js');
    const one = (await vppModel.instantiate(OTHER_NODE)) as VppInstance;
    const counting = (await vppModel.instantiate(OTHER_NODE)) as VppInstance;
    const [input] = inputsFromTrace(OTHER_NODE_TRACE, one, { instance: 'k8s-master' });
    const r = one.inject(input.packet, input.at);
    // k8s-master sends the VXLAN frame to k8s-worker1, which delivers it to its pod.
    expect(r.outputs.map((p) => one.instanceOf(p))).toEqual(['k8s-master', 'k8s-worker1']);
    expect(counting.injectCounting([input.packet, input.packet], input.at)).toBe(4);
    // Frames sent by an inject in between are not counted by the next injectCounting.
    expect(counting.inject(input.packet, input.at).outputs).toHaveLength(2);
    expect(counting.injectCounting([input.packet], input.at)).toBe(2);
    expect(counting.vm('k8s-worker1').transmitted).toBe(4);
  });
});
