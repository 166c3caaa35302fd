// The BVI and split-horizon rules of VPP 18.01's L2 path (src/vnet/l2/l2_bvi.h l2_to_bvi, l2_fwd.c,
// l2_flood.c; 17.x/18.01-era and later copies agree on everything asserted here):
//  - l2_to_bvi's L3 my-MAC filter: a unicast destination other than the BVI's MAC is refused
//    (TO_BVI_ERR_BAD_MAC) and the caller drops the frame under its own counter: l2-flood
//    `BVI L3 mac mismatch`, l2-fwd `BVI L3 MAC mismatch`.
//  - l2_to_bvi picks the next node by ethertype: IPv4 -> ip4-input; ARP -> arp-input, which the model
//    does not have, so it stops there under an error it names itself ("(model)").
//  - l2flood_process keeps a member only if its sw_if_index is not the RX one and, when the RX
//    port has a split-horizon group (in_shg != 0), the member's group differs.
// Frames enter as VXLAN from the tunnel peers of scenarios/bridge-flood.yaml.

import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { LinkType } from '../../harness/wire/packet.js';
import { vppModel, type VppInstance } from '../../models/vpp/index.js';
import { bviNotModelled } from '../../models/vpp/nodes/l2.js';
import { ethernet, ip4Header, mac, vxlanFromPeer as fromPeer } from './frame-builders.js';

const SCENARIO = fileURLToPath(new URL('./scenarios/bridge-flood.yaml', import.meta.url));
const NIC = { instance: 'n1', interface: 'GigabitEthernet0/8/0' };
const BVI_MAC = '1a:2b:3c:4d:5e:01';
const UNKNOWN_MAC = '02:00:00:00:00:99';
/** Tunnel peers by split-horizon group: .2 and .3 in group 1, .4 in group 2. */
const PEER = { tunnel0: '192.168.16.2', tunnel1: '192.168.16.3', tunnel2: '192.168.16.4' } as const;

/** An inner IPv4/UDP frame (8 bytes of UDP header, no data). */
function innerIp4(dstMac: string, srcMac = '1a:2b:3c:4d:5e:02'): Uint8Array {
  const udp = Uint8Array.from([0x30, 0x39, 0x00, 0x35, 0x00, 0x08, 0x00, 0x00]);
  const hdr = ip4Header('192.168.30.2', '192.168.30.1', 17, udp.length);
  const l3 = new Uint8Array(hdr.length + udp.length);
  l3.set(hdr);
  l3.set(udp, hdr.length);
  return ethernet(dstMac, srcMac, 0x0800, l3);
}

/** An inner ARP request for 192.168.30.1 (28 bytes). */
function innerArp(dstMac: string): Uint8Array {
  const arp = Uint8Array.from([0, 1, 8, 0, 6, 4, 0, 1, ...mac('1a:2b:3c:4d:5e:02'), 192, 168, 30, 2, 0, 0, 0, 0, 0, 0, 192, 168, 30, 1]);
  return ethernet(dstMac, '1a:2b:3c:4d:5e:02', 0x0806, arp);
}

async function instance(scenario = SCENARIO): Promise<VppInstance> {
  return (await vppModel.instantiate(scenario)) as VppInstance;
}

function inject(inst: VppInstance, data: Uint8Array) {
  const { traces, outputs } = inst.inject({ data, meta: { linkType: LinkType.ETHERNET } }, NIC);
  const stages = traces.flatMap((t) => t.stages);
  return {
    nodes: stages.map((s) => s.node),
    drops: stages.filter((s) => s.node === 'error-drop').map((s) => s.lines.join('\n')),
    /** Outer IPv4 destination of every frame that left (VXLAN encapsulated towards a peer). */
    sentTo: outputs.map((o) => [...o.data.subarray(30, 34)].join('.')).sort(),
    errors: [...inst.vm('n1').errorCounts].map(([node, byText]): [string, [string, number][]] => [node, [...byText]]),
  };
}

describe('l2-flood: the BVI copy goes through l2_to_bvi', () => {
  it('a unicast frame to a MAC that is not the BVI\'s is refused: its copy is dropped as `l2-flood: BVI L3 mac mismatch`', async () => {
    const r = inject(await instance(), fromPeer(PEER.tunnel2, innerIp4(UNKNOWN_MAC)));
    expect(r.nodes.slice(r.nodes.indexOf('l2-flood'))).not.toContain('ip4-input');
    expect(r.drops).toEqual([expect.stringContaining('l2-flood: BVI L3 mac mismatch')]);
    expect(r.errors).toEqual([['l2-flood', [['BVI L3 mac mismatch', 1]]]]);
    expect(r.sentTo).toEqual([PEER.tunnel0, PEER.tunnel1]); // the tunnel copies still leave
  });

  it('a broadcast IPv4 frame passes the filter and reaches ip4-input on the BVI', async () => {
    const r = inject(await instance(), fromPeer(PEER.tunnel2, innerIp4('ff:ff:ff:ff:ff:ff')));
    const flood = r.nodes.indexOf('l2-flood');
    expect(r.nodes.slice(flood)).toContain('ip4-input');
    expect(r.errors.flatMap(([node]) => node)).not.toContain('l2-flood');
  });

  it('a broadcast ARP request is not decoded as IPv4: the model stops where VPP would enter arp-input', async () => {
    const r = inject(await instance(), fromPeer(PEER.tunnel2, innerArp('ff:ff:ff:ff:ff:ff')));
    const flood = r.nodes.indexOf('l2-flood');
    expect(r.nodes.slice(flood)).not.toContain('ip4-input');
    expect(r.errors).toEqual([['l2-flood', [[bviNotModelled(0x0806), 1]]]]);
    expect(bviNotModelled(0x0806)).toMatch(/arp-input.*\(model\)$/);
    expect(r.sentTo).toEqual([PEER.tunnel0, PEER.tunnel1]);
  });
});

describe('l2-fwd: a BVI l2fib hit goes through l2_to_bvi', () => {
  it('IPv4 to the BVI MAC goes to ip4-input', async () => {
    const r = inject(await instance(), fromPeer(PEER.tunnel0, innerIp4(BVI_MAC)));
    const fwd = r.nodes.indexOf('l2-fwd');
    expect(r.nodes[fwd + 1]).toBe('ip4-input');
    expect(r.nodes).not.toContain('l2-flood');
  });

  it('ARP to the BVI MAC stops at the not-modelled arp-input, under l2-fwd', async () => {
    const r = inject(await instance(), fromPeer(PEER.tunnel0, innerArp(BVI_MAC)));
    expect(r.nodes.slice(r.nodes.indexOf('l2-fwd'))).toEqual(['l2-fwd', 'error-drop']);
    expect(r.errors).toEqual([['l2-fwd', [[bviNotModelled(0x0806), 1]]]]);
  });

  it('an l2fib BVI entry for another MAC (VPP `l2fib add <mac> <bd> <bvi> static bvi`) is refused as `l2-fwd: BVI L3 MAC mismatch`', async () => {
    const inst = await instance();
    const vm = inst.vm('n1');
    const bd = vm.bridgeDomains.get(1)!;
    bd.l2fib.set(UNKNOWN_MAC, { mac: UNKNOWN_MAC, swIfIndex: bd.bviSwIfIndex!, isStatic: true, learned: false, bvi: true, sn: 0 });
    const r = inject(inst, fromPeer(PEER.tunnel0, innerIp4(UNKNOWN_MAC)));
    expect(r.nodes.slice(r.nodes.indexOf('l2-fwd'))).toEqual(['l2-fwd', 'error-drop']);
    expect(r.errors).toEqual([['l2-fwd', [['BVI L3 MAC mismatch', 1]]]]);
  });
});

describe('l2-flood split-horizon groups', () => {
  it('from a group-1 tunnel, the other group-1 tunnel gets no copy; the group-2 tunnel does', async () => {
    const r = inject(await instance(), fromPeer(PEER.tunnel0, innerIp4(UNKNOWN_MAC)));
    expect(r.sentTo).toEqual([PEER.tunnel2]);
  });

  it('from the group-2 tunnel, both group-1 tunnels get a copy', async () => {
    const r = inject(await instance(), fromPeer(PEER.tunnel2, innerIp4(UNKNOWN_MAC)));
    expect(r.sentTo).toEqual([PEER.tunnel0, PEER.tunnel1]);
  });

  it('from a port without a group (the BVI, shg 0), every other member gets a copy', async () => {
    // Routed to 192.168.30.9, a neighbour behind loop0 whose MAC the bridge has not learned: the
    // loopback tx puts the frame into the bridge from loop0, l2-fwd misses and floods.
    const udp = Uint8Array.from([0x30, 0x39, 0x00, 0x35, 0x00, 0x08, 0x00, 0x00]);
    const frame = ethernet('08:00:27:72:95:8d', '08:00:27:a2:a4:50', 0x0800, Uint8Array.from([...ip4Header('192.168.16.2', '192.168.30.9', 17, udp.length), ...udp]));
    const r = inject(await instance(), frame);
    expect(r.nodes).toContain('l2-flood');
    expect(r.sentTo).toEqual([PEER.tunnel0, PEER.tunnel1, PEER.tunnel2]);
  });
});

// l2fwd_process of 18.01-era l2_fwd.c (liangfudeng/vpp 667cdb51, 17.x/18.01; a later FDio/vpp copy
// agrees): foreach_l2fwd_error has `Reflection Drop` and `Stale entry Drop`; a stale entry takes the
// miss path (`flood_error = L2FWD_ERROR_STALE_DROP; try_flood = 1;`), flooded when unknown-unicast
// flooding is on; staleness compares the entry's sn with `{ .bd = in_sn.bd, .swif =
// *l2fib_swif_seq_num (result0->fields.sw_if_index) }` (the entry's interface, not the RX one).
describe('l2-fwd: reflection and stale entries', () => {
  const TUNNEL0 = 3;
  const TUNNEL1 = 4;
  const TUNNEL2 = 5;
  /** A learned (non-static) entry for UNKNOWN_MAC behind `swIfIndex`, learned with sequence number `sn`. */
  async function withLearned(swIfIndex: number, sn: number): Promise<VppInstance> {
    const inst = await instance();
    inst.vm('n1').bridgeDomains.get(1)!.l2fib.set(UNKNOWN_MAC, { mac: UNKNOWN_MAC, swIfIndex, isStatic: false, learned: true, bvi: false, sn });
    return inst;
  }

  it('a frame whose l2fib entry points back at its RX port is dropped as `l2-fwd: Reflection Drop`', async () => {
    const r = inject(await withLearned(TUNNEL0, 1), fromPeer(PEER.tunnel0, innerIp4(UNKNOWN_MAC)));
    expect(r.nodes.slice(r.nodes.indexOf('l2-fwd'))).toEqual(['l2-fwd', 'error-drop']);
    expect(r.drops).toEqual([expect.stringContaining('l2-fwd: Reflection Drop')]);
    expect(r.sentTo).toEqual([]);
  });

  it('a stale entry (sn 0, its interface now at seq 1) is flooded like a miss when unknown-unicast flooding is on', async () => {
    const r = inject(await withLearned(TUNNEL1, 0), fromPeer(PEER.tunnel2, innerIp4(UNKNOWN_MAC)));
    expect(r.nodes).toContain('l2-flood');
    expect(r.sentTo).toEqual([PEER.tunnel0, PEER.tunnel1]);
    expect(r.errors).toEqual([['l2-flood', [['BVI L3 mac mismatch', 1]]]]);
  });

  it('with unknown-unicast flooding off, a stale entry is dropped as `l2-fwd: Stale entry Drop`', async () => {
    const inst = await withLearned(TUNNEL1, 0);
    inst.vm('n1').bridgeDomains.get(1)!.unknownUnicastFlood = false;
    const r = inject(inst, fromPeer(PEER.tunnel2, innerIp4(UNKNOWN_MAC)));
    expect(r.nodes.slice(r.nodes.indexOf('l2-fwd'))).toEqual(['l2-fwd', 'error-drop']);
    expect(r.drops).toEqual([expect.stringContaining('l2-fwd: Stale entry Drop')]);
  });

  it('staleness is judged by the seq of the entry\'s interface, not of the RX port', async () => {
    // Entry on tunnel1 learned at tunnel1's seq 1 (bd seq 0); the frame arrives on tunnel2, whose seq is 7.
    const inst = await withLearned(TUNNEL1, 1);
    inst.vm('n1').interface(TUNNEL2).l2!.seqNum = 7;
    const r = inject(inst, fromPeer(PEER.tunnel2, innerIp4(UNKNOWN_MAC)));
    expect(r.nodes).not.toContain('l2-flood');
    expect(r.sentTo).toEqual([PEER.tunnel1]);
  });
});

// Learned vs provisioned l2fib entries (17.x/18.01-era l2_fib.c, l2_learn.c, l2_fwd.c in
// liangfudeng/vpp 667cdb51):
// - l2fib_add_entry gives every configured entry, static or not, `age_not = 1` ("no aging for
//   provisioned entry"), and l2fwd_process checks the sn only `if (!result0->fields.age_not)`;
// - l2learn_process adds misses with age_not 0 and the buffer's l2fib_sn, refreshes the sn of a
//   learned entry hit on its own port (not of an age_not one), moves a non-static entry to the new
//   port clearing age_not, and drops a frame whose source is a static_mac entry on another port
//   (L2LEARN_ERROR_MAC_MOVE_VIOLATE, `L2 mac move violations`).
describe('l2fib: learned entries are stale-checked, configured ones are not', () => {
  const L2FIB_SCENARIO = fileURLToPath(new URL('./scenarios/bridge-flood-l2fib.yaml', import.meta.url));
  const CONFIGURED_DYNAMIC = '02:00:00:00:00:a1';
  const CONFIGURED_STATIC = '02:00:00:00:00:a2';
  const HOST = '02:00:00:00:00:b1';
  const TUNNEL0 = 3;
  const TUNNEL1 = 4;
  /** l2fib_flush_int_mac: the interface's swif seq goes up, so what was learned on it is stale. */
  const flushInterface = (inst: VppInstance, swIfIndex: number) => { inst.vm('n1').interface(swIfIndex).l2!.seqNum += 1; };

  it('a configured `static: false` entry whose interface seq differs from its sn is forwarded, not flooded', async () => {
    const r = inject(await instance(L2FIB_SCENARIO), fromPeer(PEER.tunnel2, innerIp4(CONFIGURED_DYNAMIC)));
    expect(r.nodes).not.toContain('l2-flood');
    expect(r.sentTo).toEqual([PEER.tunnel1]);
  });

  it('an entry l2-learn added is stale once its interface is flushed: the frame is flooded', async () => {
    const inst = await instance(L2FIB_SCENARIO);
    inject(inst, fromPeer(PEER.tunnel1, innerIp4('ff:ff:ff:ff:ff:ff', HOST)));
    expect(inject(inst, fromPeer(PEER.tunnel2, innerIp4(HOST))).sentTo).toEqual([PEER.tunnel1]);
    flushInterface(inst, TUNNEL1);
    const r = inject(inst, fromPeer(PEER.tunnel2, innerIp4(HOST)));
    expect(r.nodes).toContain('l2-flood');
    expect(r.sentTo).toEqual([PEER.tunnel0, PEER.tunnel1]);
  });

  it('a frame from the learned MAC on the same port after the flush refreshes its sn: forwarded again', async () => {
    const inst = await instance(L2FIB_SCENARIO);
    inject(inst, fromPeer(PEER.tunnel1, innerIp4('ff:ff:ff:ff:ff:ff', HOST)));
    flushInterface(inst, TUNNEL1);
    inject(inst, fromPeer(PEER.tunnel1, innerIp4('ff:ff:ff:ff:ff:ff', HOST)));
    const r = inject(inst, fromPeer(PEER.tunnel2, innerIp4(HOST)));
    expect(r.nodes).not.toContain('l2-flood');
    expect(r.sentTo).toEqual([PEER.tunnel1]);
  });

  it('a configured non-static entry that moves becomes a learned one (stale after a flush of its new port)', async () => {
    const inst = await instance(L2FIB_SCENARIO);
    inject(inst, fromPeer(PEER.tunnel0, innerIp4('ff:ff:ff:ff:ff:ff', CONFIGURED_DYNAMIC)));
    const moved = inst.vm('n1').bridgeDomains.get(1)!.l2fib.get(CONFIGURED_DYNAMIC)!;
    expect([moved.swIfIndex, moved.learned]).toEqual([TUNNEL0, true]);
    flushInterface(inst, TUNNEL0);
    const r = inject(inst, fromPeer(PEER.tunnel2, innerIp4(CONFIGURED_DYNAMIC)));
    expect(r.nodes).toContain('l2-flood');
  });

  it('a frame whose source is a static entry on another port is dropped as `l2-learn: L2 mac move violations`', async () => {
    const inst = await instance(L2FIB_SCENARIO);
    const r = inject(inst, fromPeer(PEER.tunnel0, innerIp4('ff:ff:ff:ff:ff:ff', CONFIGURED_STATIC)));
    expect(r.nodes.slice(r.nodes.indexOf('l2-learn'))).toEqual(['l2-learn', 'error-drop']);
    expect(r.drops).toEqual([expect.stringContaining('l2-learn: L2 mac move violations')]);
    expect(r.sentTo).toEqual([]);
    expect(inst.vm('n1').bridgeDomains.get(1)!.l2fib.get(CONFIGURED_STATIC)!.swIfIndex).toBe(TUNNEL1);
  });
});
