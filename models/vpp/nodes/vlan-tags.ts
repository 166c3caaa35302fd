// VLAN tag ethertypes as 18.01 recognises them, and the L2 header length they give
// (17.x/18.01-era sources, liangfudeng/vpp 667cdb51).

/**
 * ethernet_frame_is_tagged (ethernet/ethernet.h): 802.1Q, 802.1ad, 0x9100 and 0x9200. (ethernet.h's
 * SSE4.2 variant compares the same four values.)
 */
export function isVlanTag(type: number): boolean {
  return type === 0x8100 || type === 0x88a8 || type === 0x9100 || type === 0x9200;
}

/** A tag after the first one counts only if its ethertype is 802.1Q (ETHERNET_TYPE_VLAN). */
export const DOT1Q = 0x8100;

/**
 * vnet_update_l2_len (l2/l2_input.h), the l2.l2_len vxlan_input gives a decapsulated frame
 * (decap.c: `if (PREDICT_TRUE(next0 == VXLAN_INPUT_NEXT_L2_INPUT)) vnet_update_l2_len (b0);`):
 * `sizeof (ethernet_header_t)`, + one `ethernet_vlan_header_t` if the type is a tag
 * (ethernet_frame_is_tagged), + one more if that tag's inner type is ETHERNET_TYPE_VLAN ("check for
 * up to 2 vlans"). A third tag, or a second one of another type, stays in the "L3" part.
 */
export function l2HeaderLength(p: Uint8Array, eth: number): number {
  if (!isVlanTag((p[eth + 12] << 8) | p[eth + 13])) return 14;
  return ((p[eth + 16] << 8) | p[eth + 17]) === DOT1Q ? 22 : 18;
}
