// ethernet-input (vpp-facts §4.5): one-line record at entry; sets the L2/L3 offsets and hands IPv4
// to ip4-input advanced past the 14-byte header, frames of an L2-mode interface to l2-input. Other
// ethertypes: unregistered ones are punted as VPP does, registered ones stop where VPP would enter
// a node the model lacks (notIp4).
//
// The L3 "my MAC" filter of VPP 18.01's ethernet_input_inline, untagged path: on an interface that
// is not in L2 mode, a unicast destination (group bit clear) other than the interface's MAC is
// dropped as `l3 mac mismatch`, before the ethertype is looked at, so an ARP or IPv6 frame to a
// foreign MAC fails the same way. 18.01 does not gate it on promiscuous mode (later releases punt
// instead of dropping). The record is taken at node entry, so a dropped frame still shows its
// ethernet-input line. Tagged frames take VPP's slow path (taggedFrame, below).

import { BufferFlag, type VlibBuffer } from '../buffer.js';
import type { GraphNode, Next, Vm } from '../graph.js';
import type { SwInterface } from '../state.js';
import { decode, headerOnly } from '../records.js';
import { DOT1Q, isVlanTag } from './vlan-tags.js';

/**
 * error-drop text for a frame too short to hold an Ethernet header. Not a VPP error: 18.01's
 * ethernet-input has no length check (a tap or NIC never hands it such a frame), so the model names
 * its own reason rather than borrow a VPP counter's.
 */
export const RUNT_ERROR = 'frame shorter than an Ethernet header (model)';

export const ethernetInputNode: GraphNode = {
  name: 'ethernet-input',
  process(vm: Vm, b: VlibBuffer): Next {
    if (vm.tracing) vm.trace(b, headerOnly('ethernet-input', decode(b.bytes, b.start, 'eth', undefined, b.start + b.currentLength)));
    if (b.currentLength < 14) return vm.drop(b, 'ethernet-input', RUNT_ERROR);
    const bytes = b.bytes;
    const eth = b.start;
    const type = (bytes[eth + 12] << 8) | bytes[eth + 13];
    b.l2HdrOffset = b.currentData;
    b.l3HdrOffset = b.currentData + 14;
    b.flags |= BufferFlag.L2_HDR_OFFSET_VALID | BufferFlag.L3_HDR_OFFSET_VALID;
    if (isVlanTag(type)) return taggedFrame(vm, b);
    const itf = vm.interfaces.get(b.rxSwIfIndex);
    if (itf !== undefined && itf.l2 !== undefined) return bridged(b);
    if ((bytes[eth] & 1) === 0 && !acceptsUnicast(itf, bytes, eth)) return vm.drop(b, 'ethernet-input', 'l3 mac mismatch');
    if (type !== 0x0800) return notIp4(vm, b, type);
    b.advance(14);
    return 'ip4-input';
  },
};

/** ethernet-input's ETHERNET_ERROR_UNKNOWN_TYPE (error.def). One object for every punted frame. */
const UNKNOWN_TYPE = Object.freeze({ node: 'ethernet-input', text: 'unknown ethernet type' });

/**
 * Input nodes 18.01's vnet registers for an ethertype (ethernet_register_input_type in ip6_init,
 * ethernet_arp_init, mpls_input; 17.x/18.01-era copies) that the model does not have.
 */
const REGISTERED_NOT_MODELLED: ReadonlyMap<number, string> = new Map([
  [0x0806, 'arp-input'],
  [0x86dd, 'ip6-input'],
  [0x8847, 'mpls-input'],
]);

/**
 * A frame on an L3 interface that is not IPv4: determine_next_node (18.01 ethernet/node.c). A type
 * field below 0x600 is an 802.3 length and goes to llc-input; a registered ethertype to its node
 * (the model stops there under an error it names itself, "(model)", as it has none of those nodes);
 * any other misses the sparse vector: `*error0 = i0 == SPARSE_VEC_INVALID_INDEX ?
 * ETHERNET_ERROR_UNKNOWN_TYPE : *error0` and `*next0 = vec_elt (input_next_by_type, i0)`, whose
 * slot 0 nobody writes (next_by_ethertype_register fills from 1; sparse_vec_new's vector is zeroed)
 * and so holds 0, ETHERNET_INPUT_NEXT_PUNT, "error-punt". Ethertypes that plugins register (the
 * build's plugin set is not in the scenario) are punted here too.
 */
function notIp4(vm: Vm, b: VlibBuffer, type: number): Next {
  const node = type < 0x600 ? 'llc-input' : REGISTERED_NOT_MODELLED.get(type);
  if (node !== undefined) return vm.drop(b, 'ethernet-input', ethertypeNotModelled(type, node));
  b.error = UNKNOWN_TYPE;
  return 'error-punt';
}

/** The model's own error text for a frame VPP hands to an input node the model lacks. */
export function ethertypeNotModelled(type: number, node: string): string {
  return `ethertype 0x${type.toString(16).padStart(4, '0')} for ${node}, which is not modelled (model)`;
}

/**
 * An untagged frame on an interface in L2 mode (a bridge port): 18.01 ethernet_input_inline's
 * untagged fast path reads the main interface's untagged config, which set_int_l2_mode marked
 * SUBINT_CONFIG_L2 (ethernet_sw_interface_set_l2_mode), and then `next0 = em->l2_next;
 * vnet_buffer (b0)->l2.l2_len = sizeof (ethernet_header_t);` - l2-input (ethernet_register_l2_input),
 * the header kept, no MAC filter and no ethertype look-up (17.x/18.01-era ethernet/node.c,
 * l2_input.c; liangfudeng/vpp 667cdb51).
 */
function bridged(b: VlibBuffer): Next {
  b.l2Len = 14;
  return 'l2-input';
}

// A tag after the first one counts only if its ethertype is 802.1Q (parse_header: `*type ==
// ETHERNET_TYPE_VLAN`): DOT1Q.

/**
 * The tagged slow path of 18.01 ethernet_input_inline (17.x/18.01-era ethernet/node.c, ethernet.h;
 * liangfudeng/vpp 667cdb51) on an interface with no sub-interfaces, which is all the model has.
 * parse_header asks for MATCH_1_TAG, MATCH_2_TAG when the next ethertype is 802.1Q again,
 * MATCH_3_TAG for a third, and only SUBINT_CONFIG_VALID for a single tag with VLAN id 0
 * (`if (0 == *outer_id) *match_flags &= ~SUBINT_CONFIG_MATCH_1_TAG`). eth_identify_subint then
 * finds no VLAN or QinQ sub-interface (table 0 of each pool is "reserved for an invalid table"), and
 * the main interface's untagged config, `SUBINT_CONFIG_VALID | SUBINT_CONFIG_MATCH_0_TAG` in L3 mode
 * (ethernet_sw_interface_add_del), matches only that priority-tagged frame. Anything else:
 * `*error0 = ETHERNET_ERROR_UNKNOWN_VLAN` ("unknown vlan", error.def), next drop, before and instead
 * of the MAC check (identify_subint runs the L3 my-MAC filter only on a match). The priority-tagged
 * frame goes on as an untagged one with 18 bytes of header: my-MAC filter, then its inner ethertype.
 * Not modelled: the buffer's vlan-1-deep flag (dpdk tx dumps would show it), and an L2-mode
 * interface, whose untagged config matches any tag count: VPP bridges the frame with its tags
 * (l2_len 18 or more), which the model's L2 nodes do not handle; it stops under TAGGED_L2_NOT_MODELLED.
 */
export const TAGGED_L2_NOT_MODELLED = 'tagged frame on an interface in L2 mode: l2-input with VLAN tags is not modelled (model)';

function taggedFrame(vm: Vm, b: VlibBuffer): Next {
  const itf = vm.interfaces.get(b.rxSwIfIndex);
  if (itf?.l2 !== undefined) return vm.drop(b, 'ethernet-input', TAGGED_L2_NOT_MODELLED);
  if (b.currentLength < 18) return vm.drop(b, 'ethernet-input', RUNT_ERROR);
  const bytes = b.bytes;
  const eth = b.start;
  const vlanId = ((bytes[eth + 14] << 8) | bytes[eth + 15]) & 0xfff;
  const inner = (bytes[eth + 16] << 8) | bytes[eth + 17];
  if (vlanId !== 0 || inner === DOT1Q) return vm.drop(b, 'ethernet-input', 'unknown vlan');
  if ((bytes[eth] & 1) === 0 && !acceptsUnicast(itf, bytes, eth)) return vm.drop(b, 'ethernet-input', 'l3 mac mismatch');
  if (inner !== 0x0800) return notIp4(vm, b, inner);
  b.advance(18);
  return 'ip4-input';
}

/**
 * Is a unicast frame to the MAC at bytes[dst..dst+6) taken by an L3 interface: without a hardware
 * address, or addressed to its own MAC? VPP tests whether the interface has a hardware
 * address at all (`hi->hw_address != 0`, a vector); a scenario interface given no `mac` gets the
 * all-zero MAC, so all-zero stands for "none" here (an explicit 00:00:00:00:00:00 too, which VPP
 * would filter: no real interface has it).
 */
export function acceptsUnicast(itf: SwInterface | undefined, bytes: Uint8Array, dst: number): boolean {
  return itf === undefined || macAcceptsUnicast(itf.mac, bytes, dst);
}

/** acceptsUnicast for an interface whose MAC is `mac` (the flow cache keeps the MAC, not the interface). */
export function macAcceptsUnicast(mac: Uint8Array, bytes: Uint8Array, dst: number): boolean {
  if ((mac[0] | mac[1] | mac[2] | mac[3] | mac[4] | mac[5]) === 0) return true;
  return (
    bytes[dst] === mac[0] && bytes[dst + 1] === mac[1] && bytes[dst + 2] === mac[2] && bytes[dst + 3] === mac[3] && bytes[dst + 4] === mac[4] && bytes[dst + 5] === mac[5]
  );
}
