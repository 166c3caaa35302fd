// The L2 path (vpp-facts §6): l2-input sets the bridge-domain metadata (whose leftover becomes the
// flow hash later, §5.2) and the feature bitmap; features run in VPP's order; l2-fwd looks the dst
// MAC up in the domain's l2fib (BVI entries deliver to L3 through l2_to_bvi, below), l2-flood
// replicates to the members its reflection and split-horizon checks keep, one pass per member in
// VPP 18.01's order (the BVI last), l2-output sends to the TX interface's output (vxlan4-encap for a
// tunnel).

import { macToString } from '../../../harness/wire/address.js';
import { NONE, type VlibBuffer } from '../buffer.js';
import type { GraphNode, Next, Vm } from '../graph.js';
import type { L2fibEntry } from '../state.js';
import { featureBitmapDropRecord, l2ClassifyRecord, l2OutputRecord, l2Record } from '../records.js';

/** l2input features in processing order (the subset the model has), bit i = position i. */
export const L2_INPUT_FEATURES = ['l2-input-classify', 'l2-learn', 'l2-fwd', 'l2-flood'] as const;
const bit = (name: (typeof L2_INPUT_FEATURES)[number]): number => 1 << L2_INPUT_FEATURES.indexOf(name);

/*
 * L2INPUT_FEAT_DROP, bit 0 of foreach_l2input_feat (l2_input.h), is in every interface's bitmap:
 * set_int_l2_mode gives an L3-mode interface `feature_bitmap = L2INPUT_FEAT_DROP` (vnet_vxlan_add_del_tunnel
 * does the same for a new tunnel: "l2 feature and bd 0 to drop packet", and classify_and_dispatch
 * masks a non-bridge, non-xconnect interface's bitmap to it) and a bridged one `|= L2INPUT_FEAT_DROP`
 * ("Make sure last-chance drop is configured"). Dispatch takes the highest bit first, so a frame no
 * feature forwarded ends in its node, feature-bitmap-drop (l2/feat_bitmap.c), with only that bit
 * left: `if (vnet_buffer (b0)->l2.feature_bitmap == 1) b0->error =
 * node->errors[FEAT_BITMAP_DROP_ERROR_NO_FWD]` ("L2 feature forwarding disabled"), next error-drop.
 * (17.x/18.01-era copies, liangfudeng/vpp 667cdb51.) The model keeps no DROP bit: an empty bitmap
 * stands for it.
 */
const FEATURE_BITMAP_DROP = 'feature-bitmap-drop';
const NO_FWD = 'L2 feature forwarding disabled';
/** L2INPUT_FEAT_DROP: the one bit left in the bitmap when every feature above it has run. */
const L2INPUT_FEAT_DROP = 1;

/**
 * feat_bitmap_drop_node_fn traces before it sets the error: `t->feature_bitmap =
 * vnet_buffer (b0)->l2.feature_bitmap` (`feat_bitmap_drop: feature bitmap 0x%08x`), then, the bitmap
 * being 1, FEAT_BITMAP_DROP_ERROR_NO_FWD, next error-drop (l2/feat_bitmap.c, liangfudeng/vpp 667cdb51).
 * The model reaches it only with nothing but the DROP bit left (its other error, "L2 feature not
 * implemented", needs a feature whose bit the model does not keep).
 */
export const featureBitmapDropNode: GraphNode = {
  name: FEATURE_BITMAP_DROP,
  process(vm: Vm, b: VlibBuffer): Next {
    if (vm.tracing) vm.trace(b, featureBitmapDropRecord(L2INPUT_FEAT_DROP));
    return vm.drop(b, FEATURE_BITMAP_DROP, NO_FWD);
  },
};

/** Continue with the next L2 input feature of the buffer's bitmap (feat_bitmap_get_next_node_index). */
export function l2InputNext(vm: Vm, b: VlibBuffer): string {
  const map = b.l2FeatureBitmap;
  if (map === 0) return FEATURE_BITMAP_DROP;
  const i = 31 - Math.clz32(map & -map);
  b.l2FeatureBitmap = map & ~(1 << i);
  return L2_INPUT_FEATURES[i];
}

function macs(b: VlibBuffer): { dst: string; src: string } {
  return { dst: macToString(b.bytes, b.start), src: macToString(b.bytes, b.start + 6) };
}

export const l2InputNode: GraphNode = {
  name: 'l2-input',
  process(vm: Vm, b: VlibBuffer): Next {
    const itf = vm.interface(b.rxSwIfIndex);
    if (vm.tracing) {
      const m = macs(b);
      vm.trace(b, l2Record('l2-input', 'l2-input', b.rxSwIfIndex, m.dst, m.src));
    }
    const l2 = itf.l2;
    const bd = l2 && vm.bridgeDomains.get(l2.bdIndex);
    if (!l2 || !bd) return FEATURE_BITMAP_DROP;
    b.l2HdrOffset = b.currentData;
    let map = 0;
    if (itf.l2Classify) map |= bit('l2-input-classify');
    // The BVI never learns: set_int_l2_mode clears its bit ("Disable learning by default. no use
    // since l2fib entry is static.": `config->feature_bitmap &= ~L2INPUT_FEAT_LEARN` when bvi).
    if (bd.learn && !l2.bvi) map |= bit('l2-learn');
    if (bd.forward) map |= bit('l2-fwd');
    if (bd.flood) map |= bit('l2-flood');
    // The union's L2 member (overlapping ip.flow_hash: the leftover later ip4 nodes print).
    b.l2FeatureBitmap = map;
    b.bdIndex = bd.bdIndex;
    b.shg = l2.shg;
    b.l2fibSn = (l2.seqNum & 0xff) | ((bd.seqNum & 0xff) << 8);
    b.bdAge = bd.macAge & 0xff;
    const dstIsUnicast = (b.bytes[b.start] & 1) === 0;
    // A group destination masks forwarding out (`feat_mask &= ~(L2INPUT_FEAT_FWD | ...)`); with the
    // domain's flooding off too, learning still runs before the frame meets the DROP bit.
    if (!dstIsUnicast) b.l2FeatureBitmap = map & ~bit('l2-fwd');
    return l2InputNext(vm, b);
  },
};

const L2_INPUT_CLASSIFY = 'l2-input-classify';

/**
 * l2_input_classify_node_fn (src/vnet/l2/l2_input_classify.c; 17.x/18.01-era copy liangfudeng/vpp
 * 667cdb51, the same selection in later FDio copies) picks the interface's table by the frame's
 * ethertype: `type_index0 = (type0 == ETHERNET_TYPE_IP4) ? L2_INPUT_CLASSIFY_TABLE_IP4 :
 * L2_INPUT_CLASSIFY_TABLE_OTHER; type_index0 = (type0 == ETHERNET_TYPE_IP6) ?
 * L2_INPUT_CLASSIFY_TABLE_IP6 : type_index0;`. The ACL plugin's acl_hook_l2_input_classify (acl.c)
 * sets, per interface, an IPv4 and an IPv6 "tiny" table without sessions whose misses go to
 * acl-plugin-in-ip4-l2 / acl-plugin-in-ip6-l2 (`vnet_l2_input_classify_set_tables (sw_if_index,
 * ip4_table_index, ip6_table_index, <other>)`), so:
 *   - IPv4: the IPv4 table (scenario `table`), miss, `next` (acl-plugin-in-ip4-l2);
 *   - IPv6: the IPv6 table, miss, acl-plugin-in-ip6-l2: neither that table's index nor the IPv6 ACL
 *     node is in the model, which stops there under an error it names itself ("(model)");
 *   - any other ethertype: the "other" table. An earlier acl.c (tiny tables, no VLAN tables; seen in
 *     the code corpus, repository not named) passes ~0: no table, `next0` stays ~0 and the frame goes
 *     on to the next L2 input feature, the record printing table ~0 as -1. The pre-18.04 copy at
 *     liangfudeng/vpp 667cdb51 (no ACL lookup contexts yet) passes a dot1q table chained to a dot1ad one,
 *     whose only sessions match VLAN-tagged IPv4/IPv6 and whose miss next is ~0: an untagged frame
 *     (ARP) misses both and goes on to the next feature as well, the record printing the dot1q
 *     table's index (scenario `other_table`). Either way `offset 0` (`e0 ? ... : 0`). A tagged frame
 *     with such a table may hit a session (next the IP ACL node, at a session offset the model cannot
 *     know): not modelled, the model stops.
 */
export const l2InputClassifyNode: GraphNode = {
  name: L2_INPUT_CLASSIFY,
  process(vm: Vm, b: VlibBuffer): Next {
    const cls = vm.interface(b.rxSwIfIndex).l2Classify;
    if (!cls) return l2InputNext(vm, b);
    const p = b.bytes;
    const type = (p[b.start + 12] << 8) | p[b.start + 13];
    if (type === 0x0800) {
      if (vm.tracing) vm.trace(b, l2ClassifyRecord(b.rxSwIfIndex, cls.table, 0, vm.nextSlot(L2_INPUT_CLASSIFY, cls.next)));
      // Without the plugin that owns the classify hit node (ACL), the packet continues on the bitmap.
      return vm.nodes.has(cls.next) ? cls.next : l2InputNext(vm, b);
    }
    if (type === 0x86dd || (cls.otherTable !== undefined && (type === 0x8100 || type === 0x88a8))) {
      return vm.drop(b, L2_INPUT_CLASSIFY, l2ClassifyNotModelled(type));
    }
    const next = l2InputNext(vm, b);
    if (vm.tracing) vm.trace(b, l2ClassifyRecord(b.rxSwIfIndex, cls.otherTable ?? -1, 0, vm.nextSlot(L2_INPUT_CLASSIFY, next)));
    return next;
  },
};

/** The model's own error text for a frame l2-input-classify hands to a table path it lacks. */
export function l2ClassifyNotModelled(ethertype: number): string {
  const hex = `0x${ethertype.toString(16).padStart(4, '0')}`;
  return ethertype === 0x86dd
    ? `ethertype ${hex}: the IPv6 classify table and acl-plugin-in-ip6-l2 are not modelled (model)`
    : `ethertype ${hex}: a VLAN-tagged frame in the dot1q/dot1ad classify tables is not modelled (model)`;
}

/*
 * l2learn_process (17.x/18.01-era src/vnet/l2/l2_learn.c, liangfudeng/vpp 667cdb51), on the source
 * MAC's l2fib entry: a miss adds a learned entry (age_not 0) with the buffer's l2fib_sn; a hit on the
 * RX port refreshes the sn unless the entry has age_not ("Static MAC always age_not"); a hit on another
 * port is a move: a static_mac entry is not overwritten and the frame is dropped (`b0->error =
 * node->errors[L2LEARN_ERROR_MAC_MOVE_VIOLATE]`, "L2 mac move violations", next error-drop); any
 * other entry moves to the RX port, its age_not cleared ("The mac was provisioned"), with the
 * buffer's sn. Not modelled: timestamps/aging, the learn limit, filter entries, never learning MAC 0.
 */
export const l2LearnNode: GraphNode = {
  name: 'l2-learn',
  process(vm: Vm, b: VlibBuffer): Next {
    const m = macs(b);
    const bd = vm.bridgeDomains.get(b.bdIndex);
    if (vm.tracing) vm.trace(b, l2Record('l2-learn', 'l2-learn', b.rxSwIfIndex, m.dst, m.src, b.bdIndex));
    const e = bd?.l2fib.get(m.src);
    if (!e) bd?.l2fib.set(m.src, { mac: m.src, swIfIndex: b.rxSwIfIndex, isStatic: false, learned: true, bvi: false, sn: b.l2fibSn });
    else if (e.swIfIndex === b.rxSwIfIndex) {
      // The hit-update: a learned entry takes the buffer's sn; a provisioned one is left alone.
      if (e.learned) bd!.l2fib.set(m.src, { ...e, sn: b.l2fibSn });
    } else {
      if (e.isStatic) return vm.drop(b, 'l2-learn', 'L2 mac move violations');
      // A mac move: the entry follows the frame and, if it was provisioned, becomes a learned one.
      bd!.l2fib.set(m.src, { ...e, swIfIndex: b.rxSwIfIndex, learned: true, sn: b.l2fibSn });
    }
    return l2InputNext(vm, b);
  },
};

export const l2FwdNode: GraphNode = {
  name: 'l2-fwd',
  process(vm: Vm, b: VlibBuffer): Next {
    const m = macs(b);
    if (vm.tracing) vm.trace(b, l2Record('l2-fwd', 'l2-fwd', b.rxSwIfIndex, m.dst, m.src, b.bdIndex));
    const bd = vm.bridgeDomains.get(b.bdIndex);
    const e = bd?.l2fib.get(m.dst);
    if (!e) return floodOrDrop(vm, b, 'L2 forward misses');
    if (isStale(vm, b, e)) return floodOrDrop(vm, b, 'Stale entry Drop');
    if (e.swIfIndex === b.rxSwIfIndex) return vm.drop(b, 'l2-fwd', 'Reflection Drop');
    if (e.bvi) return toBvi(vm, b, e.swIfIndex, L2_FWD_BVI_ERRORS);
    b.txSwIfIndex = e.swIfIndex;
    return 'l2-output';
  },
};

/*
 * l2fwd_process (18.01-era src/vnet/l2/l2_fwd.c; read in liangfudeng/vpp 667cdb51, the 17.x/18.01
 * copy with the L2INPUT_FEAT_UU_FLOOD test, and in a later FDio/vpp copy: same error list, same stale
 * test). foreach_l2fwd_error names the drops `L2 forward misses`, `Reflection Drop`, `Stale entry Drop`.
 * A stale entry is treated as a miss (`flood_error = L2FWD_ERROR_STALE_DROP; try_flood = 1;`): it is
 * flooded when unknown-unicast flooding is on, and only dropped, as `Stale entry Drop`, when it is off.
 */
function floodOrDrop(vm: Vm, b: VlibBuffer, floodError: string): string {
  const bd = vm.bridgeDomains.get(b.bdIndex);
  if (bd?.flood && bd.unknownUnicastFlood) return 'l2-flood';
  return vm.drop(b, 'l2-fwd', floodError);
}

/**
 * The stale test of l2fwd_process: the entry's sequence number against `{ .bd = in_sn.bd, .swif =
 * *l2fib_swif_seq_num (result0->fields.sw_if_index) }`, the bd half from the buffer (l2-input's
 * l2fib_sn) and the swif half from the interface the ENTRY points at, not the RX one. Only for entries
 * without age_not (`if (!result0->fields.age_not)`), i.e. learned ones: a configured entry is never
 * stale, static or not (l2fib_add_entry sets age_not on all of them).
 */
function isStale(vm: Vm, b: VlibBuffer, e: L2fibEntry): boolean {
  if (!e.learned) return false;
  const entrySwifSeq = (vm.interfaces.get(e.swIfIndex)?.l2?.seqNum ?? 0) & 0xff;
  const expected = (b.l2fibSn & 0xff00) | entrySwifSeq;
  return e.sn !== expected;
}

/** The error strings a node sets when l2_to_bvi refuses a frame (each node has its own counters). */
interface BviErrors {
  node: 'l2-fwd' | 'l2-flood';
  badMac: string;
}

// 18.01 foreach_l2fwd_error (l2_fwd.c) and foreach_l2flood_error (l2_flood.c): the same condition,
// spelt `MAC` in one and `mac` in the other.
const L2_FWD_BVI_ERRORS: BviErrors = { node: 'l2-fwd', badMac: 'BVI L3 MAC mismatch' };
const L2_FLOOD_BVI_ERRORS: BviErrors = { node: 'l2-flood', badMac: 'BVI L3 mac mismatch' };

/**
 * L3 input nodes registered for an ethertype: ethernet_register_input_type (ethernet/node.c) ends with
 * l2bvi_register_input_type, which adds the node to l2-fwd's and l2-flood's l3_next tables.
 */
const BVI_L3_INPUT: ReadonlyMap<number, string> = new Map([
  [0x0800, 'ip4-input'], // ip4_init (ip4_input.c)
  [0x86dd, 'ip6-input'], // ip6_init (ip6_input.c)
  [0x0806, 'arp-input'], // ethernet_arp_init (arp.c)
]);

/**
 * VPP 18.01 l2_to_bvi (src/vnet/l2/l2_bvi.h; read in a 17.x/18.01-era copy, liangfudeng/vpp 667cdb51,
 * and in a later FDio/vpp one: the same checks, no copy tagged v18.01 was found), called by l2-fwd on a BVI l2fib hit and by l2-flood for
 * the BVI member. The L3 my-MAC filter comes first: `if (!ethernet_address_cast (dst) &&
 * !eth_mac_equal (dst, hi->hw_address)) return TO_BVI_ERR_BAD_MAC;` and the caller drops the frame
 * under its own counter, nothing stripped. Otherwise the L2 header goes (`l2_len =
 * vnet_buffer (b0)->l2.l2_len; vlib_buffer_advance (b0, l2_len);`: 14, or with a decapsulated frame's
 * VLAN tags more, vnet_update_l2_len), RX := BVI, TX := ~0, and the ethertype just before the L3
 * header (`*(u16 *) (l3h - 2)`) picks the next node: IPv4 -> ip4-input (the only
 * L3 input the model has). Any other ethertype goes to whatever node registered it (ARP -> arp-input,
 * IPv6 -> ip6-input), or, registered by nobody, is dropped as `BVI packet with unhandled ethertype`.
 * Which ethertypes are registered depends on the plugins VPP loaded, and none of those nodes is
 * modelled, so the model stops there under an error it names itself (marked "(model)") rather than
 * guess a VPP path.
 */
function toBvi(vm: Vm, b: VlibBuffer, bviSwIfIndex: number, errors: BviErrors): string {
  const dstIsUnicast = (b.bytes[b.start] & 1) === 0;
  if (dstIsUnicast && !isMac(b.bytes, b.start, vm.interface(bviSwIfIndex).mac)) return vm.drop(b, errors.node, errors.badMac);
  b.advance(b.l2Len);
  const ethertype = (b.bytes[b.start - 2] << 8) | b.bytes[b.start - 1];
  b.rxSwIfIndex = bviSwIfIndex;
  b.txSwIfIndex = NONE;
  const next = BVI_L3_INPUT.get(ethertype);
  if (next !== undefined && vm.nodes.has(next)) return next;
  return vm.drop(b, errors.node, bviNotModelled(ethertype));
}

/** The model's own error text for a BVI frame whose L3 input node it lacks. */
export function bviNotModelled(ethertype: number): string {
  const hex = `0x${ethertype.toString(16).padStart(4, '0')}`;
  const node = BVI_L3_INPUT.get(ethertype);
  return node
    ? `BVI frame with ethertype ${hex} for ${node}, which is not modelled (model)`
    : `BVI frame with ethertype ${hex}: its L3 input node (or the unhandled-ethertype drop) is not modelled (model)`;
}

function isMac(bytes: Uint8Array, at: number, mac: Uint8Array): boolean {
  for (let i = 0; i < 6; i++) if (bytes[at + i] !== mac[i]) return false;
  return true;
}

/*
 * VPP 18.01's flood (the replication-based src/vnet/l2/l2_flood.c l2flood_process and l2_bd.c
 * bd_add_member of the 17.x/18.01-era copy liangfudeng/vpp 667cdb51; no copy tagged v18.01 was found,
 * and later FDio/vpp copies clone the buffer instead):
 * - The member vector is [BVI, normal members..., tunnel-normal members...], each class in the order
 *   the members joined: `ix = (member->flags & L2_FLOOD_MEMBER_BVI) ? 0 : vec_len (bd_config->members)
 *   - bd_config->tun_normal_count` for the normal class, `ix = vec_len (bd_config->members)` for
 *   VNET_FLOOD_CLASS_TUNNEL_NORMAL, the class vnet_vxlan_add_del_tunnel (vxlan.c) gives a unicast
 *   tunnel. flood_count is the whole vector while the domain has no tunnel master (a multicast
 *   tunnel; the model has none).
 * - l2flood_process walks it from flood_count - 1 down to 0 ("Flooding walks the vector in
 *   reverse", so the BVI comes last), keeping a member if `members[i].sw_if_index != sw_if_index0`
 *   and not `(in_shg && members[i].shg == in_shg)` (in_shg: the buffer's l2.shg, the RX port's group).
 * - One buffer visits the members in turn: the first at once; with more than one member left
 *   (`(current_member > 0) && ((current_member > 1) || member 0 kept)`) replication_prep saves it,
 *   and when the member's path frees it (tx or drop) replication_recycle_callback hands it back to
 *   l2-flood, restored (vnet metadata, current_data, L2 header), for the next member. A recycled pass
 *   is the last (`is_last`) for member 0, or member 1 when member 0 is skipped; otherwise the buffer
 *   comes back once more, and if no member is left it is dropped as L2FLOOD_ERROR_NO_MEMBERS
 *   ("Terminate replication and drop packet").
 * - Every pass adds its own record, after the member's processing (`l2flood_process (...)`, then
 *   `h0 = vlib_buffer_get_current (b0)`): the BVI's record shows what l2_to_bvi left at the current
 *   position, the bytes after the stripped L2 header; sw_if_index is the RX port (`sw_if_index0`,
 *   restored from the saved metadata on a recycled pass).
 * The model gives each pass but the last a copy of the untouched frame (what the restore gives back)
 * run to completion, so records and transmitted frames come in VPP's pass order.
 */
export const l2FloodNode: GraphNode = {
  name: 'l2-flood',
  process(vm: Vm, b: VlibBuffer): Next {
    const passes = floodPasses(vm, b);
    const rx = b.rxSwIfIndex;
    if (passes.length === 0) {
      traceFloodPass(vm, b, rx);
      return vm.drop(b, 'l2-flood', NO_MEMBERS);
    }
    const n = passes.length;
    for (let i = 0; i < n - 1; i++) {
      const c = b.clone();
      const next = floodTo(vm, c, passes[i]);
      traceFloodPass(vm, c, rx);
      vm.run(c, next);
    }
    const last = passes[n - 1];
    const next = last === REPLICATION_COMPLETE ? vm.drop(b, 'l2-flood', NO_MEMBERS) : floodTo(vm, b, last);
    traceFloodPass(vm, b, rx);
    return next;
  },
};

/** foreach_l2flood_error NO_MEMBERS. */
const NO_MEMBERS = 'L2 replication complete';
/** A recycled pass that finds no member left (not a sw_if_index). */
const REPLICATION_COMPLETE = -1;

/** The l2-flood record of one pass, taken after the member's processing. */
function traceFloodPass(vm: Vm, b: VlibBuffer, rx: number): void {
  if (!vm.tracing) return;
  const m = macs(b);
  vm.trace(b, l2Record('l2-flood', 'l2-flood', rx, m.dst, m.src, b.bdIndex));
}

/**
 * The passes of one flooded frame, in order: the members it goes to, then REPLICATION_COMPLETE if
 * the buffer comes back to find none left. Empty: no member at all.
 */
function floodPasses(vm: Vm, b: VlibBuffer): number[] {
  const members = floodVector(vm, b.bdIndex);
  const inShg = b.shg;
  const kept = (i: number): boolean => members[i] !== b.rxSwIfIndex && (inShg === 0 || vm.interface(members[i]).l2?.shg !== inShg);
  const passes: number[] = [];
  let cur = members.length - 1;
  while (cur >= 0 && !kept(cur)) cur--;
  if (cur < 0) return passes;
  passes.push(members[cur]);
  if (!(cur > 1 || (cur === 1 && kept(0)))) return passes;
  for (;;) {
    cur--;
    while (cur >= 0 && !kept(cur)) cur--;
    if (cur < 0) {
      passes.push(REPLICATION_COMPLETE);
      return passes;
    }
    passes.push(members[cur]);
    if (cur === 0 || (cur === 1 && !kept(0))) return passes;
  }
}

/** bd_add_member's vector: the BVI, the normal members, the (unicast VXLAN) tunnel members, each in join order. */
function floodVector(vm: Vm, bdIndex: number): number[] {
  const joined = vm.bridgeDomains.get(bdIndex)?.members ?? [];
  const bvi = joined.filter((sw) => vm.interface(sw).l2?.bvi);
  const normal = joined.filter((sw) => !vm.interface(sw).l2?.bvi && vm.interface(sw).kind !== 'vxlan');
  const tunnels = joined.filter((sw) => !vm.interface(sw).l2?.bvi && vm.interface(sw).kind === 'vxlan');
  return [...bvi, ...normal, ...tunnels];
}

function floodTo(vm: Vm, b: VlibBuffer, sw: number): string {
  if (vm.interface(sw).l2?.bvi) return toBvi(vm, b, sw, L2_FLOOD_BVI_ERRORS);
  b.txSwIfIndex = sw;
  return 'l2-output';
}

export const l2OutputNode: GraphNode = {
  name: 'l2-output',
  process(vm: Vm, b: VlibBuffer): Next {
    if (vm.tracing) {
      const m = macs(b);
      vm.trace(b, l2OutputRecord(b.txSwIfIndex, m.dst, m.src, b.bytes.slice(b.start + 12, b.start + 24)));
    }
    const tx = vm.interface(b.txSwIfIndex);
    return tx.kind === 'vxlan' ? 'vxlan4-encap' : vm.outputNodeName(tx.swIfIndex);
  },
};
