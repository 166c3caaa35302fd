// THE table: our dissection's layers and fields (harness/dissect) against tshark's protocol and field
// names (Wireshark 4.0, `tshark -T json`). One row per field; a layer is matched with the tshark
// protocol instance of one of `tshark` names at the same byte offset.
//
// Kinds say how tshark prints the value:
//   num     decimal or 0x-hex text               -> number
//   str     text (MACs, IPv4/IPv6 in RFC 5952 form; compared case-insensitively)
//   bool    "1" / "0"                            -> boolean
//   status  *.checksum.status: 1 Good, 0 Bad, 4 Illegal -> valid true/false; 2 Unverified and
//           3 Not present -> we must not claim validity either (our field absent)
//   list    every occurrence of the field, in wire order

import type { FieldValue, LayerName } from '../../harness/dissect/layer.js';
import type { TsharkProto } from './tshark.js';

export type Kind = 'num' | 'str' | 'bool' | 'status' | 'list';

export interface FieldRow {
  /** Our field name in Layer.fields. */
  ours: string;
  /** tshark field name(s); the first one present in the instance is used. */
  tshark: string | string[];
  kind: Kind;
  /** Our value, when it is not simply fields[ours] (e.g. a list of option types). */
  oursGet?: (fields: Record<string, FieldValue>) => FieldValue | undefined;
  /** tshark's value as ours would print it, when a field-to-field mapping is not enough. */
  tsharkGet?: (p: TsharkProto) => FieldValue | undefined;
}

export interface LayerRow {
  ours: LayerName;
  tshark: string[];
  /** tshark's instance length equals our header length (false where tshark's covers more). */
  sameLength: boolean;
  fields: FieldRow[];
}

const f = (ours: string, tshark: string | string[], kind: Kind = 'num', extra: Partial<FieldRow> = {}): FieldRow => ({ ours, tshark, kind, ...extra });

/** All values of the first present field of `names`. */
export function tsharkValues(p: TsharkProto, names: string | string[]): string[] | undefined {
  for (const n of Array.isArray(names) ? names : [names]) {
    const v = p.fields.get(n);
    if (v) return v.map((x) => x.value);
  }
  return undefined;
}

const optionTypes = (fields: Record<string, FieldValue>): FieldValue | undefined => {
  const o = fields.options;
  return Array.isArray(o) ? o.map((x) => (x as { type: number }).type) : undefined;
};

// The options are `ipv6.opt` subtrees (not protocols), so their fields sit in this instance.
const optionTypesTshark = (p: TsharkProto): FieldValue | undefined => tsharkValues(p, 'ipv6.opt.type')?.map(Number);

const ipv6ExtCommon = (proto: string): FieldRow[] => [f('next_header', `${proto}.nxt`), f('length', `${proto}.len`)];

export const LAYER_TABLE: LayerRow[] = [
  {
    ours: 'eth', tshark: ['eth'], sameLength: true,
    fields: [f('dst', 'eth.dst', 'str'), f('src', 'eth.src', 'str'), f('ether_type', 'eth.type')],
  },
  {
    // 802.1Q tags are tshark's `vlan`, 802.1ad S-tags its `ieee8021ad` (whose inner type it calls ieee8021ah.etype).
    ours: 'vlan', tshark: ['vlan', 'ieee8021ad'], sameLength: true,
    fields: [
      f('vid', ['vlan.id', 'ieee8021ad.id']),
      f('pcp', ['vlan.priority', 'ieee8021ad.priority']),
      f('dei', ['vlan.dei', 'ieee8021ad.dei'], 'bool'),
      f('ether_type', ['vlan.etype', 'ieee8021ah.etype']),
    ],
  },
  {
    ours: 'arp', tshark: ['arp'], sameLength: true,
    fields: [
      f('hardware_type', 'arp.hw.type'), f('protocol_type', 'arp.proto.type'), f('hardware_size', 'arp.hw.size'),
      f('protocol_size', 'arp.proto.size'), f('opcode', 'arp.opcode'), f('sender_hw', 'arp.src.hw_mac', 'str'),
      f('sender_proto', 'arp.src.proto_ipv4', 'str'), f('target_hw', 'arp.dst.hw_mac', 'str'), f('target_proto', 'arp.dst.proto_ipv4', 'str'),
    ],
  },
  {
    ours: 'ip4', tshark: ['ip'], sameLength: true,
    fields: [
      f('version', 'ip.version'), f('header_length', 'ip.hdr_len'), f('tos', 'ip.dsfield'), f('dscp', 'ip.dsfield.dscp'),
      f('ecn', 'ip.dsfield.ecn'), f('total_length', 'ip.len'), f('id', 'ip.id'), f('flags', 'ip.flags'),
      f('df', 'ip.flags.df', 'bool'), f('mf', 'ip.flags.mf', 'bool'),
      f('fragment_offset', 'ip.frag_offset'), // tshark 4.0: in 8-byte units, as ours
      f('ttl', 'ip.ttl'), f('protocol', 'ip.proto'), f('checksum', 'ip.checksum'), f('checksum_valid', 'ip.checksum.status', 'status'),
      f('src', 'ip.src', 'str'), f('dst', 'ip.dst', 'str'),
      // tshark has no one field for the option bytes; they are the header's bytes after the first 20.
      f('options', [], 'str', { tsharkGet: (p) => (p.rawHex.length > 40 ? p.rawHex.slice(40) : undefined) }),
    ],
  },
  {
    // tshark's `ipv6` instance spans the extension headers too, hence sameLength false.
    ours: 'ip6', tshark: ['ipv6'], sameLength: false,
    fields: [
      f('version', 'ipv6.version'), f('traffic_class', 'ipv6.tclass'), f('flow_label', 'ipv6.flow'),
      f('payload_length', 'ipv6.plen'), f('next_header', 'ipv6.nxt'), f('hop_limit', 'ipv6.hlim'),
      f('src', 'ipv6.src', 'str'), f('dst', 'ipv6.dst', 'str'),
    ],
  },
  {
    ours: 'ip6.hop', tshark: ['ipv6.hopopts'], sameLength: true,
    fields: [...ipv6ExtCommon('ipv6.hopopts'), f('options', 'ipv6.opt.type', 'list', { oursGet: optionTypes, tsharkGet: optionTypesTshark })],
  },
  {
    ours: 'ip6.dest', tshark: ['ipv6.dstopts'], sameLength: true,
    fields: [...ipv6ExtCommon('ipv6.dstopts'), f('options', 'ipv6.opt.type', 'list', { oursGet: optionTypes, tsharkGet: optionTypesTshark })],
  },
  {
    ours: 'ip6.route', tshark: ['ipv6.routing'], sameLength: true,
    fields: [
      ...ipv6ExtCommon('ipv6.routing'), f('type', 'ipv6.routing.type'), f('segments_left', 'ipv6.routing.segleft'),
      // type 0: ipv6.routing.src.addr; type 4 (SRH): ipv6.routing.srh.addr
      f('addresses', ['ipv6.routing.src.addr', 'ipv6.routing.srh.addr'], 'list'),
    ],
  },
  {
    ours: 'ip6.frag', tshark: ['ipv6.fraghdr'], sameLength: true,
    fields: [
      f('next_header', 'ipv6.fraghdr.nxt'),
      f('fragment_offset', 'ipv6.fraghdr.offset'), // 8-byte units in tshark 4.0, as ours
      f('m', 'ipv6.fraghdr.more', 'bool'), f('id', 'ipv6.fraghdr.ident'),
    ],
  },
  {
    // tshark's `icmp` instance covers the whole message, ours the 8-byte header.
    ours: 'icmp', tshark: ['icmp'], sameLength: false,
    fields: [
      f('type', 'icmp.type'), f('code', 'icmp.code'), f('checksum', 'icmp.checksum'), f('checksum_valid', 'icmp.checksum.status', 'status'),
      f('id', 'icmp.ident'), f('seq', 'icmp.seq'), f('mtu', 'icmp.mtu'), f('pointer', 'icmp.pointer'), f('gateway', 'icmp.redir_gw', 'str'),
    ],
  },
  {
    ours: 'icmp6', tshark: ['icmpv6'], sameLength: false,
    fields: [
      f('type', 'icmpv6.type'), f('code', 'icmpv6.code'), f('checksum', 'icmpv6.checksum'),
      f('checksum_valid', 'icmpv6.checksum.status', 'status'), f('id', 'icmpv6.echo.identifier'),
      f('seq', 'icmpv6.echo.sequence_number'), f('mtu', 'icmpv6.mtu'), f('pointer', 'icmpv6.pointer'),
    ],
  },
  {
    ours: 'tcp', tshark: ['tcp'], sameLength: true,
    fields: [
      f('src_port', 'tcp.srcport'), f('dst_port', 'tcp.dstport'),
      f('seq', ['tcp.seq_raw', 'tcp.seq']), f('ack', ['tcp.ack_raw', 'tcp.ack']), // raw: tcp.relative_sequence_numbers is off
      f('header_length', 'tcp.hdr_len'), f('flags', 'tcp.flags'),
      f('flag_fin', 'tcp.flags.fin', 'bool'), f('flag_syn', 'tcp.flags.syn', 'bool'), f('flag_rst', 'tcp.flags.reset', 'bool'),
      f('flag_psh', 'tcp.flags.push', 'bool'), f('flag_ack', 'tcp.flags.ack', 'bool'), f('flag_urg', 'tcp.flags.urg', 'bool'),
      f('flag_ece', 'tcp.flags.ece', 'bool'), f('flag_cwr', 'tcp.flags.cwr', 'bool'), f('flag_ae', 'tcp.flags.ae', 'bool'),
      f('window', 'tcp.window_size_value'), f('checksum', 'tcp.checksum'), f('checksum_valid', 'tcp.checksum.status', 'status'),
      f('urgent', 'tcp.urgent_pointer'), f('payload_length', 'tcp.len'),
      f('mss', 'tcp.options.mss_val'), f('wscale', 'tcp.options.wscale.shift'),
      f('sack_permitted', 'tcp.options.sack_perm', 'bool', { tsharkGet: (p) => (p.fields.has('tcp.options.sack_perm') ? true : undefined) }),
      f('ts_val', 'tcp.options.timestamp.tsval'), f('ts_ecr', 'tcp.options.timestamp.tsecr'),
      f('sack', 'tcp.options.sack_le', 'list', {
        tsharkGet: (p) => {
          const le = tsharkValues(p, 'tcp.options.sack_le');
          const re = tsharkValues(p, 'tcp.options.sack_re');
          return le && re ? le.map((l, i) => `${l}-${re[i]}`) : undefined;
        },
      }),
    ],
  },
  {
    ours: 'udp', tshark: ['udp'], sameLength: true,
    fields: [
      f('src_port', 'udp.srcport'), f('dst_port', 'udp.dstport'), f('length', 'udp.length'), f('checksum', 'udp.checksum'),
      f('checksum_valid', 'udp.checksum.status', 'status'),
      // 3 Not present (zero over IPv4), 4 Illegal (zero over IPv6, RFC 8200 §8.1)
      f('checksum_status', 'udp.checksum.status', 'str', {
        tsharkGet: (p) => ({ '0': 'invalid', '1': 'valid', '3': 'none', '4': 'zero-over-ipv6' } as Record<string, string>)[tsharkValues(p, 'udp.checksum.status')?.[0] ?? ''],
      }),
    ],
  },
  {
    ours: 'vxlan', tshark: ['vxlan'], sameLength: true,
    fields: [
      // tshark's vxlan.flags is the first 16 bits; ours is the first byte.
      f('flags', 'vxlan.flags', 'num', { tsharkGet: (p) => { const v = tsharkValues(p, 'vxlan.flags'); return v ? Number(v[0]) >> 8 : undefined; } }),
      f('vni_valid', 'vxlan.flag_i', 'bool'), f('vni', 'vxlan.vni'), f('reserved2', 'vxlan.reserved8'),
    ],
  },
  {
    ours: 'gre', tshark: ['gre'], sameLength: true,
    fields: [
      f('flags_version', 'gre.flags_and_version'), f('checksum_present', 'gre.flags.checksum', 'bool'),
      f('key_present', 'gre.flags.key', 'bool'), f('sequence_present', 'gre.flags.sequence_number', 'bool'),
      f('version', 'gre.flags.version'), f('protocol', 'gre.proto'), f('checksum', 'gre.checksum'),
      f('checksum_valid', 'gre.checksum.status', 'status'), f('reserved1', 'gre.offset'), f('key', 'gre.key'),
      f('sequence', 'gre.sequence_number'),
    ],
  },
  {
    ours: 'mpls', tshark: ['mpls'], sameLength: true,
    fields: [f('label', 'mpls.label'), f('tc', 'mpls.exp'), f('bos', 'mpls.bottom', 'bool'), f('ttl', 'mpls.ttl')],
  },
  {
    ours: 'sll', tshark: ['sll'], sameLength: true,
    fields: [
      f('packet_type', 'sll.pkttype'), f('arphrd_type', 'sll.hatype'), f('address_length', 'sll.halen'),
      f('address', 'sll.src.eth', 'str'), f('protocol', 'sll.etype'),
    ],
  },
  {
    // tshark dissects SLL2 with the same `sll` protocol (and field names) as SLL.
    ours: 'sll2', tshark: ['sll'], sameLength: true,
    fields: [
      f('protocol', 'sll.etype'), f('interface_index', 'sll.ifindex'), f('arphrd_type', 'sll.hatype'),
      f('packet_type', 'sll.pkttype'), f('address_length', 'sll.halen'), f('address', 'sll.src.eth', 'str'),
    ],
  },
];

export const LAYER_ROWS = new Map<LayerName, LayerRow>(LAYER_TABLE.map((r) => [r.ours, r]));
/** Every tshark protocol we map: an instance of one of these that we do not have is a mismatch. */
export const MAPPED_TSHARK_PROTOCOLS = new Set(LAYER_TABLE.flatMap((r) => r.tshark));
