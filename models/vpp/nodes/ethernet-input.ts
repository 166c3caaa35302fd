// ethernet-input (vpp-facts §4.5): one-line record at entry; sets the L2/L3 offsets and hands IPv4
// to ip4-input advanced past the 14-byte header. Other ethertypes are not modelled (dropped).
//
// The L3 "my MAC" filter of VPP 18.01's ethernet_input_inline, untagged path: on an interface that
// is not in L2 mode, a unicast destination (group bit clear) other than the interface's MAC is
// dropped as `l3 mac mismatch`, before the ethertype is looked at, so an ARP or IPv6 frame to a
// foreign MAC fails the same way. 18.01 does not gate it on promiscuous mode (later releases punt
// instead of dropping). The record is taken at node entry, so a dropped frame still shows its
// ethernet-input line. Tagged frames are not modelled (no sub-interfaces): VPP filters them only
// once a sub-interface matches (identify_subint), so they are left to `unknown ethernet type`.

import { BufferFlag, type VlibBuffer } from '../buffer.js';
import type { GraphNode, Next, Vm } from '../graph.js';
import { decode, headerOnly } from '../records.js';

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
    if ((bytes[eth] & 1) === 0 && !isVlanTag(type) && !acceptsUnicast(vm, b.rxSwIfIndex, bytes, eth)) return vm.drop(b, 'ethernet-input', 'l3 mac mismatch');
    if (type !== 0x0800) return vm.drop(b, 'ethernet-input', 'unknown ethernet type');
    b.advance(14);
    return 'ip4-input';
  },
};

/** 802.1Q, 802.1ad and the old QinQ tag: VPP's tagged path, which the model does not have. */
function isVlanTag(type: number): boolean {
  return type === 0x8100 || type === 0x88a8 || type === 0x9100;
}

/**
 * Is a unicast frame to the MAC at bytes[dst..dst+6) taken by the interface: in L2 mode, without a
 * hardware address, or addressed to its own MAC? VPP tests whether the interface has a hardware
 * address at all (`hi->hw_address != 0`, a vector); a scenario interface given no `mac` gets the
 * all-zero MAC, so all-zero stands for "none" here (an explicit 00:00:00:00:00:00 too, which VPP
 * would filter: no real interface has it).
 */
function acceptsUnicast(vm: Vm, swIfIndex: number, bytes: Uint8Array, dst: number): boolean {
  const itf = vm.interfaces.get(swIfIndex);
  if (itf === undefined || itf.l2 !== undefined) return true;
  const mac = itf.mac;
  if ((mac[0] | mac[1] | mac[2] | mac[3] | mac[4] | mac[5]) === 0) return true;
  return (
    bytes[dst] === mac[0] && bytes[dst + 1] === mac[1] && bytes[dst + 2] === mac[2] && bytes[dst + 3] === mac[3] && bytes[dst + 4] === mac[4] && bytes[dst + 5] === mac[5]
  );
}
