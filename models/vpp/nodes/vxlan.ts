// VXLAN over IPv4 (vpp-facts §7.2, §7.3). Encap prepends the tunnel's 36-byte template, fixes the
// outer length with VPP's incremental checksum, takes the outer UDP source port raw from the low 16
// bits of the inner frame's L2 flow hash, and follows the tunnel's DPO (ip4-load-balance). Decap
// finds the tunnel by {outer src, VNI}, strips 8 bytes and bridges the inner frame via l2-input.

import { setU16, setU32 } from '../../../harness/wire/bytes.js';
import { internetChecksum } from '../../../harness/wire/checksum.js';
import type { VlibBuffer } from '../buffer.js';
import { Fault, type GraphNode, type Next, type Vm } from '../graph.js';
import { l2FlowHash } from '../flow-hash.js';
import { IpCsum, swap16 } from '../ip-csum.js';
import { vxlanDecapRecord, vxlanEncapRecord } from '../records.js';
import type { VxlanTunnel } from '../state.js';
import { l2HeaderLength } from './vlan-tags.js';

export const VXLAN_PORT = 4789;
const TEMPLATE_LEN = 36;

/** The tunnel's rewrite template: IPv4 (no DF, TTL 254, length 0, checksum over that), UDP, VXLAN. */
export function vxlanTemplate(t: VxlanTunnel, vniFault = false): Uint8Array {
  const h = new Uint8Array(TEMPLATE_LEN);
  h[0] = 0x45;
  h[8] = 254;
  h[9] = 17;
  setU32(h, 12, t.src);
  setU32(h, 16, t.dst);
  setU16(h, 10, internetChecksum(h, 0, 20));
  setU16(h, 20, VXLAN_PORT);
  setU16(h, 22, VXLAN_PORT);
  h[28] = 0x08;
  setU32(h, 32, ((vniFault ? t.vni + 1 : t.vni) << 8) >>> 0);
  return h;
}

/** The tunnel with this sw_if_index (encap) or this {peer, VNI} (decap); -1 = any. A loop, no closure per packet. */
function tunnelWhere(vm: Vm, swIfIndex: number, dst: number, vni: number): VxlanTunnel | undefined {
  for (const t of vm.vxlanTunnels) {
    if (swIfIndex >= 0 ? t.swIfIndex === swIfIndex : t.dst === dst && t.vni === vni) return t;
  }
  return undefined;
}

/*
 * No MTU check here: 17.x/18.01 vxlan_encap_inline (vxlan/encap.c, liangfudeng/vpp 667cdb51) has no
 * error but "good packets encapsulated" and next DROP unused on this path; the outer packet meets the
 * MTU at ip4-rewrite (the adjacency's max_l3_packet_bytes).
 */
export const vxlan4EncapNode: GraphNode = {
  name: 'vxlan4-encap',
  process(vm: Vm, b: VlibBuffer): Next {
    const tunnel = tunnelWhere(vm, b.txSwIfIndex, -1, -1);
    // VPP reaches vxlan4-encap only through a tunnel's output arc, so it always finds the tunnel and
    // has no error for a miss; the model can be sent here by a scenario or test that names the node.
    if (!tunnel) return vm.drop(b, 'vxlan4-encap', 'TX interface is not a VXLAN tunnel (model)');
    // vnet_l2_compute_flow_hash (l2/l2_input.h) reads the ethertype at `l2.l2_len - 2` and the IP
    // header at l2_len: the length ethernet-input or vxlan_input set (encap.c vxlan_encap_inline).
    const hash = l2FlowHash(b.bytes, b.start, b.l2Len);
    b.advance(-TEMPLATE_LEN);
    const p = b.bytes;
    const ip = b.start;
    p.set(vxlanTemplate(tunnel, vm.hasFault(Fault.VXLAN_VNI)), ip);
    const len = b.currentLength;
    setU16(p, ip + 2, len);
    const c = IpCsum.begin((p[ip + 10] << 8) | p[ip + 11]).replace(0, swap16(len)).end();
    setU16(p, ip + 10, c);
    setU16(p, ip + 24, len - 20);
    // The raw low 16 bits of the hash are stored little-endian: the wire port is swap16(hash & 0xffff).
    if (!vm.hasFault(Fault.VXLAN_SOURCE_PORT)) {
      p[ip + 20] = hash & 0xff;
      p[ip + 21] = (hash >>> 8) & 0xff;
    }
    if (vm.tracing) vm.trace(b, vxlanEncapRecord(tunnel.index, tunnel.vni));
    b.adjIndexTx = tunnel.next.index;
    return vm.dpoNextNode(tunnel.next);
  },
};

const DECAP_ERR = ['good packets decapsulated', 'no such tunnel packets', 'packets with bad flags field in vxlan header'];

/*
 * vxlan_input (17.x/18.01-era src/vnet/vxlan/decap.c, liangfudeng/vpp 667cdb51; the Contiv fork's one
 * VXLAN change is on the encap side, vpp-facts §1):
 * - The tunnel key is `{ .src = ip4_0->src_address.as_u32, .vni = vxlan0->vni_reserved }`: the whole
 *   second word, reserved low byte included, against vnet_vxlan_add_del_tunnel's
 *   `clib_host_to_net_u32 (a->vni << 8)`. A non-zero reserved byte misses (NO_SUCH_TUNNEL, no tunnel
 *   identified); the record's vni is still vnet_get_vni's `>> 8` of that word.
 * - Once the key hit, `tunnel_index0 = last_tunnel_index` is set before the encap-FIB and
 *   outer-dst checks, so a packet failing those is traced `VXLAN decap from vxlan_tunnel{t} ... next 0
 *   error 1` (next0 = VXLAN_INPUT_NEXT_DROP), not as "tunnel ... does not exist".
 * - A frame going to l2-input gets its l2_len from its own tags (vnet_update_l2_len), which
 *   l2_to_bvi strips and vxlan4-encap's flow hash reads the ethertype before.
 */
export const vxlan4InputNode: GraphNode = {
  name: 'vxlan4-input',
  process(vm: Vm, b: VlibBuffer): Next {
    const p = b.bytes;
    const vx = b.start;
    const ip = vx - 28;
    const vni = ((p[vx + 4] << 16) | (p[vx + 5] << 8) | p[vx + 6]) >>> 0;
    const outerSrc = ((p[ip + 12] << 24) | (p[ip + 13] << 16) | (p[ip + 14] << 8) | p[ip + 15]) >>> 0;
    const outerDst = ((p[ip + 16] << 24) | (p[ip + 17] << 16) | (p[ip + 18] << 8) | p[ip + 19]) >>> 0;
    let tunnel: VxlanTunnel | undefined;
    let error = 0;
    if (p[vx] !== 0x08) error = 2;
    else {
      tunnel = p[vx + 7] === 0 ? tunnelWhere(vm, -1, outerSrc, vni) : undefined;
      if (!tunnel || vm.lookupFibIndex(b) !== tunnel.encapFibIndex || outerDst !== tunnel.src) error = 1;
    }
    if (vm.tracing) vm.trace(b, vxlanDecapRecord(tunnel ? tunnel.index : null, vni, error ? 0 : tunnel!.decapNext, error));
    if (error) return vm.drop(b, 'vxlan4-input', DECAP_ERR[error]);
    b.advance(8);
    b.rxSwIfIndex = tunnel!.swIfIndex;
    b.l2Len = l2HeaderLength(p, b.start);
    return 'l2-input';
  },
};
