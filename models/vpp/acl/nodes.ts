// acl-plugin-{in,out}-ip4-fa (feature-arc nodes) and acl-plugin-in-ip4-l2 (reached from
// l2-input-classify): run the ACL decision, continue on the arc / L2 feature chain when permitted
// (next index = that node's dynamic slot), to error-drop (slot 0) when denied, and record.

import { recordToStage } from '../../../harness/vpp-trace/nodes/index.js';
import { ip4ToString } from '../../../harness/wire/address.js';
import type { VlibBuffer } from '../buffer.js';
import type { GraphNode, Next, Vm } from '../graph.js';
import { l2InputNext } from '../nodes/l2.js';
import { AclState } from './engine.js';
import { pktInfoWords } from './five-tuple.js';

/** Key of the instance's ACL state in vm.state (set by the plugin's configure). */
export const ACL_STATE = 'acl';

export function aclOf(vm: Vm): AclState {
  return vm.state(ACL_STATE, newAclState);
}

const newAclState = (): AclState => new AclState();

/**
 * aclOf for the packet path: the state of the instance the previous packet ran on is kept (an
 * instance's state under ACL_STATE, once made, is never replaced), so a run of packets through one
 * instance does no map lookup per packet. (This keeps the last instance an ACL node ran on
 * reachable until a packet runs an ACL node of another.)
 */
let lastVm: Vm | undefined;
let lastAcl: AclState | undefined;
function aclOfPacket(vm: Vm): AclState {
  if (vm !== lastVm) {
    lastAcl = aclOf(vm);
    lastVm = vm;
  }
  return lastAcl!;
}

/**
 * ethernet_buffer_header_size, where an L2 ACL node finds the IP header: 14 plus 4 per VLAN tag of
 * the count kept in the buffer's flags, not the tags the frame holds (18.01-era ethernet.h,
 * liangfudeng/vpp @667cdb51: `ethernet_buffer_get_vlan_count((b)) * sizeof(ethernet_vlan_header_t) +
 * sizeof(ethernet_header_t)`). On the model's ways into the L2 path that count was written with
 * l2_len: vxlan4-input's vnet_update_l2_len sets both from the same tags (a first tag of any
 * ethernet_frame_is_tagged type, a second only if 802.1Q, no third; `ethernet_buffer_set_vlan_count
 * (b, vlan_count)`), and an untagged frame reaches l2-input with l2_len 14 and no VLAN bits. (After
 * the BVI, whose l2_len the model sets to 14, the count VPP holds there is not established.)
 */
function ethernetHeaderSize(b: VlibBuffer): number {
  return b.l2Len;
}

/**
 * The node VPP's next slot points at. The ip4-output arc ends at `interface-output` in VPP (which
 * records nothing and dispatches to `<if>-output`); the model may end the arc at `<if>-output`
 * directly, so the slot printed for that is interface-output's.
 */
function slotTarget(vm: Vm, next: string, isInput: boolean, sw: number): string {
  if (!isInput && vm.interfaces.has(sw) && next === vm.outputNodeName(sw)) return 'interface-output';
  return next;
}

function aclNode(name: string, id: number, isInput: boolean, isL2: boolean): GraphNode {
  return {
    name,
    process(vm: Vm, b: VlibBuffer): Next {
      const sw = isInput ? b.rxSwIfIndex : b.txSwIfIndex;
      const l3 = b.start + (isL2 ? ethernetHeaderSize(b) : isInput ? 0 : b.saveRewriteLength);
      const v = aclOfPacket(vm).decide(vm, id, b.bytes, l3, b.start, b.start + b.currentLength, sw, isInput, b.readPlugin('frame'));
      let next: string;
      if (v.action > 0) next = isL2 ? l2InputNext(vm, b) : vm.featureNext(b);
      else next = vm.drop(b, name, v.error);
      if (vm.tracing) {
        const t = v.tuple;
        vm.trace(
          b,
          recordToStage(name, {
            swIfIndex: sw,
            nextIndex: next === 'error-drop' ? 0 : vm.nextSlot(name, slotTarget(vm, next, isInput, sw)),
            action: v.action,
            acl: v.acl,
            rule: v.rule,
            traceBits: v.traceBits >>> 0,
            pktInfo: pktInfoWords(t),
            direction: isInput ? 'input' : 'output',
            lsb16: t.lsb16,
            l3: 'ip4',
            nonInitialFragment: t.nonFirstFragment,
            src: ip4ToString(b.bytes, l3 + 12),
            dst: ip4ToString(b.bytes, l3 + 16),
            proto: t.proto,
            l4Valid: t.l4Valid ? 1 : 0,
            port0: t.port0,
            port1: t.port1,
            tcpFlagsValid: t.tcpFlagsValid,
            tcpFlags: t.tcpFlags,
            rsvd: 0,
          }),
        );
      }
      return next;
    },
  };
}

export const aclInIp4FaNode = aclNode('acl-plugin-in-ip4-fa', 0, true, false);
export const aclOutIp4FaNode = aclNode('acl-plugin-out-ip4-fa', 1, false, false);
export const aclInIp4L2Node = aclNode('acl-plugin-in-ip4-l2', 2, true, true);

export const aclNodes: GraphNode[] = [aclInIp4FaNode, aclOutIp4FaNode, aclInIp4L2Node];
