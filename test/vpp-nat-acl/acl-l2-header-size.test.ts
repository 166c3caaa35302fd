// acl-plugin-in-ip4-l2 finds the IP header at ethernet_buffer_header_size: 14 plus 4 per VLAN tag
// of the count in the buffer's flags (18.01-era ethernet.h, liangfudeng/vpp @667cdb51), which
// vxlan4-input's vnet_update_l2_len writes together with l2_len (l2/l2_input.h: a first tag of any
// ethernet_frame_is_tagged type, a second only if 802.1Q; `ethernet_buffer_set_vlan_count (b,
// vlan_count)`). So it is the buffer's l2_len, not the tags the node could parse in the frame.

import { describe, expect, it } from 'vitest';
import { aclPlugin } from '../../models/vpp/acl/index.js';
import { VlibBuffer } from '../../models/vpp/buffer.js';
import { l2HeaderLength } from '../../models/vpp/nodes/vlan-tags.js';
import { install, ip4L4, makeVm, runNode } from './helpers.js';

/** A decapsulated frame: Ethernet, the given tag ethertypes (VLAN 5 each), IPv4 UDP 10.0.0.1 -> 10.0.0.2. */
function decapsulated(tags: number[]): VlibBuffer {
  const ip = ip4L4({ src: '10.0.0.1', dst: '10.0.0.2', proto: 17 }, { sport: 1000, dport: 53 });
  const types = [...tags, 0x0800];
  const f = new Uint8Array(12 + 4 * tags.length + 2 + ip.length);
  types.forEach((t, i) => {
    f[12 + 4 * i] = t >> 8;
    f[13 + 4 * i] = t & 0xff;
    if (i < tags.length) f[15 + 4 * i] = 5;
  });
  f.set(ip, 14 + 4 * tags.length);
  const b = VlibBuffer.fromFrame(f);
  b.rxSwIfIndex = 1;
  b.l2Len = l2HeaderLength(b.bytes, b.start); // what vxlan4-input sets (decap.c, vnet_update_l2_len)
  return b;
}

/** The record of the frame through acl-plugin-in-ip4-l2, tap1's input list one deny rule for 10.0.0.1. */
function throughAcl(b: VlibBuffer) {
  const vm = makeVm([{ name: 'tap1', sw: 1 }]);
  install(vm, aclPlugin, {
    acls: [{ index: 0, rules: [{ action: 'deny', src: '10.0.0.1/32' }] }],
    interfaces: [{ interface: 'tap1', input: [0], output: [] }],
  });
  return runNode(vm, 'acl-plugin-in-ip4-l2', b).stage!.fields;
}

describe('acl-plugin-in-ip4-l2: the IP header after the VLAN tags vnet_update_l2_len counted', () => {
  it('a 0x9100 tag counts (ethernet_frame_is_tagged): the header is at 18', () => {
    expect(throughAcl(decapsulated([0x9100]))).toMatchObject({ src: '10.0.0.1', dst: '10.0.0.2', acl: 0, rule: 0 });
  });

  it('an 802.1ad tag inside an 802.1Q one does not (only ETHERNET_TYPE_VLAN is a second tag): the header is read at 18, inside the second tag', () => {
    const fields = throughAcl(decapsulated([0x8100, 0x88a8]));
    expect(fields).toMatchObject({ acl: -1, rule: -1 });
    expect(fields.src).not.toBe('10.0.0.1');
  });
});
