// vxlan4-input's checks and records (vpp-facts §7.3) on the paths the seed's traces do not take.
// Evidence: vxlan_input (17.x/18.01-era src/vnet/vxlan/decap.c, liangfudeng/vpp 667cdb51):
//  - the tunnel key is `{ .src = ip4_0->src_address.as_u32, .vni = vxlan0->vni_reserved }`, the
//    whole second word; vnet_vxlan_add_del_tunnel (vxlan.c) stores `clib_host_to_net_u32 (a->vni << 8)`,
//    so a non-zero reserved byte misses: `VXLAN decap error - tunnel for vni {vni} does not exist`;
//  - a key hit sets `tunnel_index0 = last_tunnel_index` before the encap-FIB and outer-destination
//    checks, so their failure is traced with the tunnel: `... from vxlan_tunnel{t} vni {v} next 0 error 1`
//    (VXLAN_INPUT_NEXT_DROP, VXLAN_ERROR_NO_SUCH_TUNNEL `no such tunnel packets`).

import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { LinkType } from '../../harness/wire/packet.js';
import { vppModel, type VppInstance } from '../../models/vpp/index.js';
import { ethernet, ip4Header } from './frame-builders.js';

const SCENARIO = fileURLToPath(new URL('./scenarios/vxlan-second-address.yaml', import.meta.url));
const NIC = { instance: 'n1', interface: 'GigabitEthernet0/8/0' };
const BVI_MAC = '1a:2b:3c:4d:5e:01';

/** An inner IPv4/UDP frame, to the BVI unless told, behind VLAN tags of these types (VLAN 5 each). */
function inner(dstMac = BVI_MAC, tags: readonly number[] = []): Uint8Array {
  const udp = Uint8Array.from([0x30, 0x39, 0x00, 0x35, 0x00, 0x08, 0x00, 0x00]);
  let payload = Uint8Array.from([...ip4Header('192.168.30.2', '192.168.30.1', 17, udp.length), ...udp]);
  let type = 0x0800;
  for (let i = tags.length - 1; i >= 0; i--) {
    payload = Uint8Array.from([0x00, 0x05, type >> 8, type & 0xff, ...payload]);
    type = tags[i];
  }
  return ethernet(dstMac, '1a:2b:3c:4d:5e:02', type, payload);
}

interface Vxlan {
  from: string;
  to: string;
  vni: number;
  /** The byte after the VNI, reserved (0 on transmission). */
  reserved?: number;
  innerDstMac?: string;
  /** Ethertypes of the inner frame's VLAN tags, outermost first. */
  innerTags?: number[];
}

function vxlanPacket(v: Vxlan): Uint8Array {
  const payload = inner(v.innerDstMac, v.innerTags);
  const vx = new Uint8Array(8 + payload.length);
  vx[0] = 0x08;
  vx[4] = (v.vni >> 16) & 0xff;
  vx[5] = (v.vni >> 8) & 0xff;
  vx[6] = v.vni & 0xff;
  vx[7] = v.reserved ?? 0;
  vx.set(payload, 8);
  const udp = new Uint8Array(8 + vx.length);
  udp.set([0xc3, 0x50, 0x12, 0xb5, udp.length >> 8, udp.length & 0xff, 0, 0]);
  udp.set(vx, 8);
  return ethernet('08:00:27:72:95:8d', '08:00:27:a2:a4:50', 0x0800, Uint8Array.from([...ip4Header(v.from, v.to, 17, udp.length, 254), ...udp]));
}

async function send(v: Vxlan) {
  return sendFrame(vxlanPacket(v));
}

async function sendFrame(data: Uint8Array, scenario = SCENARIO) {
  const inst = (await vppModel.instantiate(scenario)) as VppInstance;
  const { traces } = inst.inject({ data, meta: { linkType: LinkType.ETHERNET } }, NIC);
  const stages = traces.flatMap((t) => t.stages);
  const line = (node: string) => stages.find((s) => s.node === node)?.lines.join('\n');
  // Not Array.prototype.findLast: the project's lib is ES2022 (Node 20 has it, the type-check does not).
  const lastLine = (node: string) => [...stages].reverse().find((s) => s.node === node)?.lines.join('\n');
  return { nodes: stages.map((s) => s.node), line, lastLine, stages };
}

describe('vxlan4-input', () => {
  it('decapsulates a packet from the peer to the tunnel source into the bridge (the seed\'s path)', async () => {
    const r = await send({ from: '192.168.16.2', to: '192.168.16.1', vni: 10 });
    expect(r.line('vxlan4-input')).toBe('  VXLAN decap from vxlan_tunnel0 vni 10 next 1 error 0');
    expect(r.nodes).toContain('l2-input');
  });

  it('a non-zero reserved byte after the VNI misses the tunnel key: no tunnel identified', async () => {
    const r = await send({ from: '192.168.16.2', to: '192.168.16.1', vni: 10, reserved: 0x01 });
    expect(r.line('vxlan4-input')).toBe('  VXLAN decap error - tunnel for vni 10 does not exist');
    expect(r.nodes.slice(-1)).toEqual(['error-drop']);
    expect(r.line('error-drop')).toBe('  vxlan4-input: no such tunnel packets');
  });

  it('an outer destination other than the tunnel source is traced with the tunnel it found, next 0 error 1', async () => {
    const r = await send({ from: '192.168.16.2', to: '192.168.16.10', vni: 10 });
    expect(r.line('vxlan4-input')).toBe('  VXLAN decap from vxlan_tunnel0 vni 10 next 0 error 1');
    expect(r.nodes.slice(-1)).toEqual(['error-drop']);
    expect(r.line('error-drop')).toBe('  vxlan4-input: no such tunnel packets');
  });
});

// After decap (17.x/18.01-era src/vnet/l2/l2_input.c, feat_bitmap.c, vxlan.c; liangfudeng/vpp 667cdb51):
// every interface's L2 input bitmap keeps L2INPUT_FEAT_DROP (bit 0) - an L3-mode tunnel has only that
// bit (vnet_vxlan_add_del_tunnel: "l2 feature and bd 0 to drop packet"; classify_and_dispatch masks a
// non-bridge interface to it), a bridged one gets it as the "last-chance drop" - and a frame no feature
// forwarded reaches feature-bitmap-drop with bitmap 1: `L2 feature forwarding disabled`. That node
// traces first (feat_bitmap_drop_node_fn: `feat_bitmap_drop: feature bitmap 0x%08x`). The BVI's
// bitmap has no learning (set_int_l2_mode: `config->feature_bitmap &= ~L2INPUT_FEAT_LEARN` for bvi).
describe('the L2 path after decap', () => {
  it('a tunnel in no bridge domain (L3 mode): l2-input, then the last-chance drop', async () => {
    const r = await send({ from: '192.168.16.3', to: '192.168.16.1', vni: 20 });
    expect(r.line('vxlan4-input')).toBe('  VXLAN decap from vxlan_tunnel1 vni 20 next 1 error 0');
    expect(r.nodes.slice(r.nodes.indexOf('vxlan4-input') + 1)).toEqual(['l2-input', 'feature-bitmap-drop', 'error-drop']);
    expect(r.line('feature-bitmap-drop')).toBe('  feat_bitmap_drop: feature bitmap 0x00000001');
    expect(r.line('error-drop')).toBe('  feature-bitmap-drop: L2 feature forwarding disabled');
  });

  it('a broadcast frame in a domain with flooding off is still learned, then meets the last-chance drop', async () => {
    const r = await send({ from: '192.168.16.4', to: '192.168.16.1', vni: 30, innerDstMac: 'ff:ff:ff:ff:ff:ff' });
    expect(r.nodes.slice(r.nodes.indexOf('vxlan4-input') + 1)).toEqual(['l2-input', 'l2-learn', 'feature-bitmap-drop', 'error-drop']);
    expect(r.line('feature-bitmap-drop')).toBe('  feat_bitmap_drop: feature bitmap 0x00000001');
    expect(r.line('error-drop')).toBe('  feature-bitmap-drop: L2 feature forwarding disabled');
  });

  it('a frame from a tunnel port is learned (domain 1 learns)', async () => {
    const r = await send({ from: '192.168.16.2', to: '192.168.16.1', vni: 10 });
    expect(r.nodes).toContain('l2-learn');
  });

  it('a frame the BVI sends into the same domain is not learned', async () => {
    const udp = Uint8Array.from([0x30, 0x39, 0x00, 0x35, 0x00, 0x08, 0x00, 0x00]);
    const routed = ethernet('08:00:27:72:95:8d', '08:00:27:a2:a4:50', 0x0800, Uint8Array.from([...ip4Header('192.168.16.2', '192.168.30.9', 17, udp.length), ...udp]));
    const r = await sendFrame(routed);
    const l2 = r.nodes.indexOf('l2-input');
    expect(r.line('l2-input')).toContain('l2-input: sw_if_index 2 ');
    expect(r.nodes.slice(l2, l2 + 2)).toEqual(['l2-input', 'l2-fwd']);
  });
});

// vxlan_input gives a frame bound for l2-input the l2_len of its own tags (decap.c: `vnet_update_l2_len
// (b0)`; l2/l2_input.h: 14, +4 for a first tag ethernet_frame_is_tagged knows, +4 more when that
// tag's inner type is 802.1Q), and l2_to_bvi strips exactly l2_len and reads the ethertype before the
// L3 header (l2/l2_bvi.h: `vlib_buffer_advance (b0, l2_len)`, `*(u16 *) (l3h - 2)`); 17.x/18.01-era
// copies, liangfudeng/vpp 667cdb51.
describe('a VLAN-tagged frame after decap', () => {
  const ip4InputLine = async (tags: number[]) => {
    const r = await send({ from: '192.168.16.2', to: '192.168.16.1', vni: 10, innerTags: tags });
    return { ...r, inner: r.nodes.slice(r.nodes.indexOf('vxlan4-input') + 1), ip4: r.lastLine('ip4-input') };
  };

  it('one 802.1Q tag: the BVI strips 18 bytes and hands the IPv4 packet to ip4-input', async () => {
    const r = await ip4InputLine([0x8100]);
    expect(r.inner.slice(0, 4)).toEqual(['l2-input', 'l2-learn', 'l2-fwd', 'ip4-input']);
    expect(r.ip4).toContain('UDP: 192.168.30.2 -> 192.168.30.1');
  });

  it('802.1ad then 802.1Q: two tags counted, 22 bytes stripped', async () => {
    const r = await ip4InputLine([0x88a8, 0x8100]);
    expect(r.ip4).toContain('UDP: 192.168.30.2 -> 192.168.30.1');
  });

  it('a second tag that is not 802.1Q is not counted: the BVI sees its type as the ethertype', async () => {
    const r = await ip4InputLine([0x88a8, 0x88a8]);
    expect(r.inner).not.toContain('ip4-input');
    expect(r.line('error-drop')).toContain('ethertype 0x88a8');
  });
});

// vxlan4-encap's outer UDP source port is vnet_l2_compute_flow_hash (l2/l2_input.h), which reads the
// ethertype at `l2.l2_len - 2` and hashes the IPv4 header at l2_len (encap.c vxlan_encap_inline:
// `flow_hash0 = vnet_l2_compute_flow_hash (b0)`; `udp0->src_port = flow_hash0`). For a tagged frame
// vxlan_input set up, l2_len covers the tag, so the IPv4 5-tuple is hashed: the port is the one the
// same frame untagged gets (the IPv4 flow hash reads no MAC and no tag).
describe('a VLAN-tagged frame bridged from one tunnel into another', () => {
  const BRIDGED = fileURLToPath(new URL('./scenarios/vxlan-bridged-tunnels.yaml', import.meta.url));
  const outerSourcePort = async (tags: number[]) => {
    const r = await sendFrame(vxlanPacket({ from: '192.168.16.2', to: '192.168.16.1', vni: 10, innerDstMac: '1a:2b:3c:4d:5e:77', innerTags: tags }), BRIDGED);
    const after = r.stages.slice(r.nodes.indexOf('vxlan4-encap') + 1);
    const port = after.find((s) => s.fields['udp.src_port'] !== undefined)?.fields['udp.src_port'];
    expect(r.nodes).toContain('vxlan4-encap');
    return port;
  };

  it('gets the outer source port of its untagged twin: the hash skips the tag', async () => {
    const untagged = await outerSourcePort([]);
    expect(untagged).toBeDefined();
    expect(await outerSourcePort([0x8100])).toBe(untagged);
  });
});
