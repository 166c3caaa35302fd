// injectFramesCounting runs frames read straight out of a capture's file buffer (no Packet objects)
// exactly as injectCounting runs the same frames as Packets: the same frames transmitted, the same
// sessions made, the same state left for the next packet. (That a frame is taken from its own region
// of the shared buffer only is VlibBuffer.refillFrom's test, buffer-reuse.test.ts.)

import fc from 'fast-check';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import type { SessionKeyIndex } from '../../models/vpp/record-index.js';
import { ip4ToU32 } from '../../harness/wire/address.js';
import { LinkType, type Packet } from '../../harness/wire/packet.js';
import { vppModel, type CapturedFrames, type VppInstance } from '../../models/vpp/index.js';
import { nat44Of } from '../../models/vpp/nat44/nodes.js';
import { aclOf } from '../../models/vpp/acl/nodes.js';
import { synFrame } from '../../bench/replay.js';

const SCENARIO = fileURLToPath(new URL('../../fixtures/contiv/pod-to-service-same-node/scenario.yaml', import.meta.url));
const AT = { instance: 'k8s-master', interface: 'tap2' };

/** SYNs from ports, each as its own Packet and all packed into one buffer with junk between them. */
function frames(ports: number[], junk: number): { packets: Packet[]; batch: CapturedFrames } {
  const client = ip4ToU32('10.1.1.3');
  const packets = ports.map((port) => {
    const data = new Uint8Array(74);
    synFrame(data, client, 1024 + port);
    return { data, meta: { linkType: LinkType.ETHERNET } } as Packet;
  });
  const stride = 74 + junk;
  const bytes = new Uint8Array(junk + packets.length * stride).fill(0xa5);
  const start = new Int32Array(packets.length);
  const length = new Int32Array(packets.length);
  packets.forEach((p, i) => {
    start[i] = junk + i * stride;
    length[i] = p.data.length;
    bytes.set(p.data, start[i]);
  });
  return { packets, batch: { bytes, count: packets.length, start, length, interfaceId: new Int32Array(packets.length), interfaces: [{ name: 'tap2', linkType: LinkType.ETHERNET }] } };
}

async function fresh(): Promise<VppInstance> {
  return (await vppModel.instantiate(SCENARIO)) as VppInstance;
}

function state(inst: VppInstance) {
  const vm = inst.vm('k8s-master');
  return { nat: nat44Of(vm)!.thread.sessions.size, acl: aclOf(vm).sessions.size };
}

describe('injectFramesCounting', () => {
  it('transmits and creates sessions as injectCounting does for the same frames as Packets', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.nat(40), { minLength: 1, maxLength: 80 }), fc.nat(9), async (ports, junk) => {
        const { packets, batch } = frames(ports, junk);
        const a = await fresh();
        const b = await fresh();
        expect(b.injectFramesCounting(batch, AT)).toBe(a.injectCounting(packets, AT));
        expect(state(b)).toEqual(state(a));
        // The state left behind is the same too: the next packet's traced run is identical.
        const next = frames([1000], 0).packets[0];
        expect(b.inject(next, AT)).toEqual(a.inject(next, AT));
      }),
      { numRuns: 15 },
    );
  });

  it("takes each frame's interface from the capture when the injection point names none, and the injection point's when it does", async () => {
    // Frames 0, 2 captured on tap2 (interface id 1) and 1, 3 on tap4 (id 0): SYNs from tap2 make
    // NAT44 + ACL sessions, the same SYNs on tap4 (not a NAT outside interface) make none.
    const { packets, batch } = frames([1, 2, 3, 4], 5);
    const ids = [1, 0, 1, 0];
    const twoInterfaces = { ...batch, interfaceId: Int32Array.from(ids), interfaces: [{ name: 'tap4', linkType: LinkType.ETHERNET }, { name: 'tap2', linkType: LinkType.ETHERNET }] };
    const named = packets.map((p, i) => ({ ...p, meta: { ...p.meta, interfaceName: ids[i] === 1 ? 'tap2' : 'tap4' } }));
    const a = await fresh();
    const b = await fresh();
    expect(b.injectFramesCounting(twoInterfaces, { instance: 'k8s-master' })).toBe(a.injectCounting(named, { instance: 'k8s-master' }));
    expect(state(b)).toEqual(state(a));
    expect(state(b).nat).toBe(2);
    // The injection point's interface wins over the capture's: all four enter on tap2.
    const c = await fresh();
    c.injectFramesCounting(twoInterfaces, AT);
    expect(state(c).nat).toBe(4);
  });

  it('reads ahead the same session slots from a capture buffer as from the same frames as Packets', async () => {
    const { packets, batch } = frames([5, 6, 7, 8, 9], 3);
    const prefetched = async (inject: (inst: VppInstance) => void) => {
      const inst = await fresh();
      inst.setPrefetch('on'); // every group, whatever the policy would measure
      const vm = inst.vm('k8s-master');
      const tables: SessionKeyIndex[] = [aclOf(vm).sessions['byKey'] as SessionKeyIndex, nat44Of(vm)!.thread.out2inEd, nat44Of(vm)!.thread.in2outEd];
      const spies = tables.map((t) => vi.spyOn(t, 'prefetch'));
      inject(inst);
      const keys = spies.map((s) => s.mock.calls.map((c) => c.join(':')));
      vi.restoreAllMocks();
      return keys;
    };
    const fromPackets = await prefetched((inst) => inst.injectCounting(packets, AT));
    const fromFrames = await prefetched((inst) => inst.injectFramesCounting(batch, AT));
    // Every table was read ahead for every frame (the ACL input, the NAT44 out2in_ed, the backend's in2out_ed).
    for (const k of fromPackets) expect(k).toHaveLength(packets.length);
    expect(fromFrames).toEqual(fromPackets);
  });
});
