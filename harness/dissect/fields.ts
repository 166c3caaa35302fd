// The fields each layer of `dissect` may carry, with the kind of value each holds: the one
// declaration both sides read. The dissector writes a layer's fields through `LayerFields<name>`
// (dissect.ts `layer`), so setting a field this table lacks, or a value of another kind, does not
// compile; `inspect --filter` (filter.ts checkFilterTerm) refuses a term naming a layer or field
// that is not here. Order matters only for the usage errors, which list layers and fields in it.

import type { FieldValue } from './layer.js';

/** `list` fields match when any element does (filter.ts valueMatches), so any value is accepted. */
export type FieldKind = 'number' | 'string' | 'boolean' | 'list';

const N = 'number';
const S = 'string';
const B = 'boolean';
const L = 'list';

const IP6_EXTENSION = { next_header: N, length: N, options: L, options_error: S } as const;
const ICMP_COMMON = { type: N, code: N, checksum: N, checksum_valid: B, id: N, seq: N, mtu: N, pointer: N } as const;
const COOKED = { packet_type: N, arphrd_type: N, address_length: N, address: S, protocol: N } as const;

export const LAYER_FIELDS = {
  eth: { dst: S, src: S, ether_type: N },
  vlan: { tpid: N, pcp: N, dei: B, vid: N, ether_type: N },
  sll: COOKED,
  sll2: { ...COOKED, interface_index: N },
  arp: { hardware_type: N, protocol_type: N, hardware_size: N, protocol_size: N, opcode: N, sender_hw: S, sender_proto: S, target_hw: S, target_proto: S },
  ip4: {
    version: N, header_length: N, tos: N, dscp: N, ecn: N, total_length: N, id: N, flags: N, df: B, mf: B, fragment_offset: N,
    ttl: N, protocol: N, checksum: N, src: S, dst: S, bad_header_length: B, options: S, checksum_valid: B,
  },
  ip6: { version: N, traffic_class: N, flow_label: N, payload_length: N, next_header: N, hop_limit: N, src: S, dst: S },
  'ip6.hop': IP6_EXTENSION,
  'ip6.dest': IP6_EXTENSION,
  'ip6.route': { ...IP6_EXTENSION, type: N, segments_left: N, addresses: L },
  'ip6.frag': { next_header: N, fragment_offset: N, m: B, id: N, reserved: N },
  icmp: { ...ICMP_COMMON, gateway: S },
  icmp6: ICMP_COMMON,
  tcp: {
    src_port: N, dst_port: N, seq: N, ack: N, header_length: N, flags: N, flag_fin: B, flag_syn: B, flag_rst: B, flag_psh: B,
    flag_ack: B, flag_urg: B, flag_ece: B, flag_cwr: B, flag_ae: B, window: N, checksum: N, urgent: N, bad_header_length: B,
    checksum_valid: B, options_error: S, payload_length: N, options: L, sack_permitted: B, mss: N, wscale: N, sack: L, ts_val: N, ts_ecr: N,
  },
  udp: { src_port: N, dst_port: N, length: N, checksum: N, bad_length: B, payload_length: N, checksum_status: S, checksum_valid: B },
  vxlan: { flags: N, vni_valid: B, reserved1: N, vni: N, reserved2: N },
  gre: {
    flags_version: N, checksum_present: B, key_present: B, sequence_present: B, version: N, protocol: N, checksum: N, reserved1: N,
    checksum_valid: B, key: N, sequence: N,
  },
  mpls: { label: N, tc: N, bos: B, ttl: N },
  payload: { length: N, truncated: S, fragment: B, link_type_unknown: N },
} as const satisfies Record<string, Record<string, FieldKind>>;

export type LayerName = keyof typeof LAYER_FIELDS;

type ValueOfKind<K extends FieldKind> = K extends 'number' ? number : K extends 'string' ? string : K extends 'boolean' ? boolean : FieldValue[];

/** A layer's fields as the dissector writes them: only the declared names, each with its kind's type. */
export type LayerFields<Name extends LayerName> = {
  -readonly [F in keyof (typeof LAYER_FIELDS)[Name]]?: (typeof LAYER_FIELDS)[Name][F] extends FieldKind ? ValueOfKind<(typeof LAYER_FIELDS)[Name][F]> : never;
};
