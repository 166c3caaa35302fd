// NAT44's prefetch hook reads the out2in_ed slot of every pod -> service frame, and the in2out_ed
// slots of the VIP's backends only for a frame whose out2in_ed key is not in its home slot (a new
// flow): a session hit never reads a slot only a new session writes. Speed only: what the packets
// do is the same either way (inject-batch.test.ts compares batches with one-by-one injection).

import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { ip4ToU32 } from '../../harness/wire/address.js';
import { LinkType, type Packet } from '../../harness/wire/packet.js';
import { vppModel, type VppInstance } from '../../models/vpp/index.js';
import { nat44Of } from '../../models/vpp/nat44/nodes.js';
import { RecordIndex } from '../../models/vpp/record-index.js';
import { synFrame } from '../../bench/replay.js';

const SCENARIO = fileURLToPath(new URL('../../fixtures/contiv/pod-to-service-same-node/scenario.yaml', import.meta.url));
const AT = { instance: 'k8s-master', interface: 'tap2' };

/** SYNs from one client pod to the service VIP, one per source port (ports from 32768 too). */
function syns(ports: number[]): Packet[] {
  return ports.map((port) => {
    const data = new Uint8Array(74);
    synFrame(data, ip4ToU32('10.1.1.3'), port);
    return { data, meta: { linkType: LinkType.ETHERNET } } as Packet;
  });
}

const keys = (spy: { mock: { calls: unknown[][] } }) => spy.mock.calls.map((c) => c.slice(0, 4).map((w) => Number(w) >>> 0).join(':'));

describe('NAT44 prefetch', () => {
  it('reads the backends in2out_ed slots for new flows only', async () => {
    const inst = (await vppModel.instantiate(SCENARIO)) as VppInstance;
    inst.setTracing(false);
    inst.setPrefetch('on'); // every group, whatever the policy would measure
    // The lookups counted are the NAT44 nodes' (the flow cache makes its own: flow-cache.test.ts).
    inst.setFlowCache(false);
    const t = nat44Of(inst.vm('k8s-master'))!.thread;
    const ports = [1025, 1026, 40000, 50000];
    inst.injectCounting(syns(ports), AT);
    const o2iPrefetch = vi.spyOn(t.out2inEd, 'prefetch');
    const o2iGet = vi.spyOn(t.out2inEd, 'get');
    const i2oPrefetch = vi.spyOn(t.in2outEd, 'prefetch');
    const i2oSet = vi.spyOn(t.in2outEd, 'set');
    // Two flows again (session hits) between two new ones.
    inst.injectCounting(syns([2000, 1026, 40000, 3000]), AT);
    expect(keys(o2iPrefetch)).toEqual(keys(o2iGet));
    expect(i2oSet).toHaveBeenCalledTimes(2);
    expect(keys(i2oPrefetch)).toEqual(keys(i2oSet));
    expect(t.sessions.size).toBe(6);
    vi.restoreAllMocks();
  });
});

/** The backend's SYN-ACK (on tap4, NAT44 inside) to each SYN: 10.1.1.5:8080 -> the client's port. */
function replies(syn: Packet[]): Packet[] {
  return syn.map((p) => {
    const data = p.data.slice();
    data.set([0x02, 0xfe, 0x10, 0x03, 0x7c, 0x4d], 0);
    data.set(p.data.subarray(26, 30), 30);
    data.set([10, 1, 1, 5], 26);
    data.set([0x1f, 0x90, p.data[34], p.data[35]], 34);
    data[47] = 0x12;
    data[24] = data[25] = 0;
    let sum = 0;
    for (let i = 14; i < 34; i += 2) sum += (data[i] << 8) | data[i + 1];
    while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
    data[24] = (~sum >> 8) & 0xff;
    data[25] = ~sum & 0xff;
    return { data, meta: { linkType: LinkType.ETHERNET } } as Packet;
  });
}

describe('NAT44 prefetch of replies', () => {
  it("reads the in2out_ed slot each backend reply then looks up, and the reply's 8-byte in2out slot", async () => {
    const inst = (await vppModel.instantiate(SCENARIO)) as VppInstance;
    inst.setTracing(false);
    inst.setPrefetch('on'); // every group, whatever the policy would measure
    // The lookups counted are the NAT44 nodes' (the flow cache makes its own: flow-cache.test.ts).
    inst.setFlowCache(false);
    const t = nat44Of(inst.vm('k8s-master'))!.thread;
    const syn = syns([1025, 40000, 50000]);
    inst.injectCounting(syn, AT);
    const i2oEdPrefetch = vi.spyOn(t.in2outEd, 'prefetch');
    const i2oEdGet = vi.spyOn(t.in2outEd, 'get');
    const i2oPrefetch = vi.spyOn(t.in2out, 'prefetch');
    const i2oGet = vi.spyOn(t.in2out, 'get');
    inst.injectCounting(replies(syn), { instance: 'k8s-master', interface: 'tap4' });
    expect(i2oEdGet).toHaveBeenCalledTimes(3);
    expect(keys(i2oEdPrefetch)).toEqual(keys(i2oEdGet));
    expect(keys(i2oPrefetch)).toHaveLength(3);
    expect(keys(i2oGet)).toEqual(expect.arrayContaining(keys(i2oPrefetch)));
    // Every reply was translated on its session: no session was added.
    expect(t.sessions.size).toBe(3);
    vi.restoreAllMocks();
  });
});

describe("NAT44 in2out from an LB backend (lbIn2outSession's key as numbers)", () => {
  it('a packet with no session opens one translated to the VIP (static_mapping_by_local); the next one hits it', async () => {
    const inst = (await vppModel.instantiate(SCENARIO)) as VppInstance;
    const t = nat44Of(inst.vm('k8s-master'))!.thread;
    const [reply] = replies(syns([33000]));
    const first = inst.inject(reply, { instance: 'k8s-master', interface: 'tap4' });
    expect(t.sessions.size).toBe(1);
    const out = first.outputs.map((o) => o.data).find((d) => d[23] === 6);
    // Source now the service VIP 10.104.221.85:80, destination still the client's port.
    expect(out && [...out.subarray(26, 30)]).toEqual([10, 104, 221, 85]);
    expect(out && (out[34] << 8) | out[35]).toBe(80);
    expect(out && (out[36] << 8) | out[37]).toBe(33000);
    inst.inject(replies(syns([33000]))[0], { instance: 'k8s-master', interface: 'tap4' });
    expect(t.sessions.size).toBe(1);
  });
});

describe('RecordIndex.homeHolds', () => {
  it("tells, after a flush, which queued keys' home slots hold their hash", () => {
    const owner = { records: new Int32Array(64 * 8) };
    // Every key hashes to one home slot: only the first key set is at home, the second one probed on.
    const index = new RecordIndex(owner, 8, 16, 0, () => 5);
    const put = (s: number, k: number[]) => {
      owner.records.set(k, s * 8);
      index.set(k[0], k[1], k[2], k[3], s);
    };
    put(0, [1, 2, 3, 4]);
    put(1, [5, 6, 7, 8]);
    const other = new RecordIndex(owner, 8, 16, 0, (a) => a * 0x101 + 1);
    for (const k of [[1, 2, 3, 4], [5, 6, 7, 8]]) other.prefetch(k[0], k[1], k[2], k[3]);
    other.flushPrefetch();
    expect([other.homeHolds(0), other.homeHolds(1)]).toEqual([false, false]);
    index.prefetch(1, 2, 3, 4);
    index.prefetch(9, 9, 9, 9);
    // Not flushed yet: no hint.
    expect(index.homeHolds(0)).toBe(false);
    index.flushPrefetch();
    // The same hash is in the home slot for both: a hint, which the lookup itself settles.
    expect([index.homeHolds(0), index.homeHolds(1), index.homeHolds(2)]).toEqual([true, true, false]);
    expect(index.get(9, 9, 9, 9)).toBe(-1);
  });
});
