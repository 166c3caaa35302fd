// What `inspect --filter` may name: every field `dissect` sets, per layer, with the kind of value it
// holds. A term naming a field no layer has, or comparing a numeric field with a word, can match no
// packet: inspect printed nothing and exited 0, as if the capture held no such packet. The table
// mirrors harness/dissect/dissect.ts; test/cli/filter-fields.test.ts dissects every capture in the
// repository and fails on a field this table does not list.

import { InputError } from '../io/input-error.js';
import type { LayerName } from '../dissect/layer.js';
import type { FilterTerm } from '../dissect/filter.js';

/** `list` fields match when any element does (filter.ts valueMatches), so any value is accepted. */
export type FieldKind = 'number' | 'string' | 'boolean' | 'list';

const N = 'number';
const S = 'string';
const B = 'boolean';
const L = 'list';

const IP6_EXTENSION = { next_header: N, length: N, options: L, options_error: S } as const;
const ICMP_COMMON = { type: N, code: N, checksum: N, checksum_valid: B, id: N, seq: N, mtu: N, pointer: N } as const;
const COOKED = { packet_type: N, arphrd_type: N, address_length: N, address: S, protocol: N } as const;

export const FILTER_FIELDS: Record<LayerName, Record<string, FieldKind>> = {
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
};

/** Refuse a term that can match no packet: an unknown layer or field, or a value of the wrong kind. */
export function checkFilterTerm(term: FilterTerm): void {
  const layerText = term.text.split('=')[0].trim().slice(0, -(term.field.length + 1));
  const layers = term.layers.filter((l): l is LayerName => l in FILTER_FIELDS);
  if (layers.length === 0)
    throw new InputError(`unknown layer '${layerText}' in '${term.text}' (layers: ${Object.keys(FILTER_FIELDS).join(', ')}; ip means ip4 or ip6)`, {}, 'inspect.bad-filter');
  const kinds = layers.map((l) => FILTER_FIELDS[l][term.field]).filter((k): k is FieldKind => k !== undefined);
  if (kinds.length === 0) {
    const known = [...new Set(layers.flatMap((l) => Object.keys(FILTER_FIELDS[l])))];
    throw new InputError(`unknown field '${term.field}' in '${term.text}' (${layerText} fields: ${known.join(', ')})`, {}, 'inspect.bad-filter');
  }
  if (kinds.every((k) => k === 'number') && Number.isNaN(Number(term.value)))
    throw new InputError(`'${term.text}': ${layerText}.${term.field} is a number, '${term.value}' is not`, {}, 'inspect.bad-filter');
  if (kinds.every((k) => k === 'boolean') && !/^(true|false)$/i.test(term.value))
    throw new InputError(`'${term.text}': ${layerText}.${term.field} is true or false, '${term.value}' is neither`, {}, 'inspect.bad-filter');
}
