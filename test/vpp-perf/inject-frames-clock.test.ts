// injectFramesCounting reads capture timestamps for the ACL plugin's idle cleaner
// (models/vpp/acl/idle-cleaner.ts) a group of frames at a time: one time for a group lying within a
// millisecond, a time per frame otherwise. For a capture in time order that is exactly the time
// each frame has as a Packet (Packet.meta.timestampNs, which inject reads per packet): the same
// sessions expire, the same frames are sent.

import fc from 'fast-check';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ip4ToU32 } from '../../harness/wire/address.js';
import { LinkType, type Packet } from '../../harness/wire/packet.js';
import { vppModel, type CapturedFrames, type VppInstance } from '../../models/vpp/index.js';
import { aclOf } from '../../models/vpp/acl/nodes.js';
import { synFrame } from '../../bench/replay.js';

const SCENARIO = fileURLToPath(new URL('../../fixtures/contiv/pod-to-service-same-node/scenario.yaml', import.meta.url));
const AT = { instance: 'k8s-master', interface: 'tap2' };
const EPOCH_NS = 1_700_000_000n * 1_000_000_000n;

/** SYNs from the client pod (a reflective session each on tap2) at the given ns offsets, as Packets and as one batch. */
function syns(ports: number[], atNs: bigint[]): { packets: Packet[]; batch: CapturedFrames } {
  const client = ip4ToU32('10.1.1.3');
  const packets = ports.map((port, i) => {
    const data = new Uint8Array(74);
    synFrame(data, client, 1024 + port);
    return { data, meta: { linkType: LinkType.ETHERNET, timestampNs: EPOCH_NS + atNs[i] } } as Packet;
  });
  const bytes = new Uint8Array(packets.length * 74);
  const start = new Int32Array(packets.length);
  const length = new Int32Array(packets.length).fill(74);
  packets.forEach((p, i) => {
    start[i] = i * 74;
    bytes.set(p.data, start[i]);
  });
  const batch: CapturedFrames = {
    bytes,
    count: packets.length,
    start,
    length,
    interfaceId: new Int32Array(packets.length),
    interfaces: [{ name: 'tap2', linkType: LinkType.ETHERNET }],
    timestampMs: (i: number) => Number(packets[i].meta.timestampNs! / 1_000_000n),
  };
  return { packets, batch };
}

const fresh = async (): Promise<VppInstance> => (await vppModel.instantiate(SCENARIO)) as VppInstance;

describe('injectFramesCounting on the capture clock', () => {
  it('expires the ACL sessions injectCounting expires for the same timestamped frames', async () => {
    // Gaps: within a microsecond, within a millisecond, across one, and past the TCP transient
    // timeout's check (a SYN's session: 120 s, checked every 120 s).
    const gap = fc.constantFrom(0n, 700n, 400_000n, 1_500_000n, 130_000_000_000n, 250_000_000_000n);
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.nat(30), gap), { minLength: 1, maxLength: 120 }), async (steps) => {
        let t = 0n;
        const at = steps.map(([, g]) => (t += g));
        const { packets, batch } = syns(
          steps.map(([p]) => p),
          at,
        );
        const a = await fresh();
        const b = await fresh();
        expect(b.injectFramesCounting(batch, AT)).toBe(a.injectCounting(packets, AT));
        const sessions = (inst: VppInstance) => aclOf(inst.vm('k8s-master')).sessions;
        expect(sessions(b).size).toBe(sessions(a).size);
        expect([0, 1, 2, 3].map((l) => sessions(b).listOf(l))).toEqual([0, 1, 2, 3].map((l) => sessions(a).listOf(l)));
      }),
      { numRuns: 60 },
    );
  });

  it('sessions do expire on this path: a SYN 250 s after 40 others finds their sessions gone', async () => {
    const ports = [...Array(41).keys()];
    const { batch } = syns(ports, [...ports.slice(0, 40).map(() => 0n), 250_000_000_000n]);
    const inst = await fresh();
    inst.injectFramesCounting(batch, AT);
    expect(aclOf(inst.vm('k8s-master')).sessions.size).toBe(1);
  });
});
