// The header bytes of a frame rebuilt from a trace that no record states. A replay reads a frame's
// headers (the model parses Ethernet, IPv4/IPv6, the L4 header, a VXLAN header and the frame it
// carries) and prints or transmits them: an unstated byte there is a zero presented as data. A trace
// cut before ip4-rewrite's dump (whose bytes past the IPv4 header entry.ts rule 2 takes) replayed
// `tcp header: 0 bytes` where its own ip4-input record says 40; a VXLAN frame shown by the peer's
// dpdk-input only up to its UDP header replayed `tunnel for vni 0 does not exist`.
//
// Bytes past the headers (TCP options, payload) are not needed: no node reads them, and a replay
// cuts them from what it writes as a capture's snaplen would (shown-length.ts). Nor are the bytes of a
// frame the trace shows no header of past the fixed ones (IPv4 options when IHL > 5 are checked, as
// the model reads the header to its IHL).

import { LinkType, type Packet } from '../wire/packet.js';

/** A header's fields: name, offset in the header, length. */
type Fields = ReadonlyArray<readonly [string, number, number]>;

const ETHERNET: Fields = [['destination MAC', 0, 6], ['source MAC', 6, 6], ['EtherType', 12, 2]];
const VLAN_TAG: Fields = [['VLAN tag', 0, 2], ['EtherType', 2, 2]];
const IPV4: Fields = [
  ['version and header length', 0, 1], ['TOS', 1, 1], ['total length', 2, 2], ['fragment id', 4, 2], ['flags and fragment offset', 6, 2],
  ['TTL', 8, 1], ['protocol', 9, 1], ['checksum', 10, 2], ['source address', 12, 4], ['destination address', 16, 4],
];
const IPV6: Fields = [['version, traffic class and flow label', 0, 4], ['payload length', 4, 2], ['next header', 6, 1], ['hop limit', 7, 1], ['source address', 8, 16], ['destination address', 24, 16]];
// vpp-facts §3.3 (tcp_format.c @ v18.01): `tcp header: {data_offset*4} bytes` prints the data offset,
// not the 4 bits beside it in the same byte, nor the urgent pointer. The header length alone does
// not give the byte: writing 0 for the bits no record prints would be a guess shown as data, so a
// trace that stops before a dump of it (ip4-rewrite's) is refused, not rebuilt.
const TCP: Fields = [
  ['source port', 0, 2], ['destination port', 2, 2], ['sequence number', 4, 4], ['acknowledgement number', 8, 4],
  ['data offset and reserved bits', 12, 1], ['flags', 13, 1], ['window', 14, 2], ['checksum', 16, 2], ['urgent pointer', 18, 2],
];
const UDP: Fields = [['source port', 0, 2], ['destination port', 2, 2], ['length', 4, 2], ['checksum', 6, 2]];
// vpp-facts §3.4: a code is printed only when it has a name (never for echo), so an ICMP header is
// whole only where a dump shows it.
const ICMP: Fields = [['type', 0, 1], ['code', 1, 1], ['checksum', 2, 2]];
const ARP: Fields = [['hardware and protocol types and lengths', 0, 6], ['opcode', 6, 2], ['sender addresses', 8, 10], ['target addresses', 18, 10]];
// vpp-facts §7.3 (vxlan/decap.c @ v18.01): vxlan4-input checks the flags byte and looks the tunnel
// up by the VNI; the node after it parses the frame the header carries.
const VXLAN: Fields = [['flags', 0, 1], ['reserved bytes', 1, 3], ['VNI', 4, 3], ['reserved byte', 7, 1]];
/** UDP destination port of VXLAN (vpp-facts §7; models/vpp/nodes/ip4-local.ts hands it to vxlan4-input). */
const VXLAN_PORT = 4789;

export interface UnstatedHeader {
  /** e.g. "TCP data offset and reserved bits, urgent pointer", or "VXLAN header" when none of it is stated. */
  what: string;
  /** The unstated bytes of the header in the frame, as [first, last] ranges. */
  bytes: Array<[number, number]>;
  /** A VXLAN header's: the length of the frame it carries, when no byte of that is stated either. */
  unstatedCarried?: number;
}

/** The first header of `p` (a frame rebuilt from a trace, with its KnownBytes) that a record does not state whole. */
export function unstatedHeaderBytes(p: Packet): UnstatedHeader | undefined {
  const k = p.known;
  if (!k) return undefined; // a captured frame: every byte is the frame's
  const d = p.data;
  const check = (name: string, fields: Fields, off: number): UnstatedHeader | undefined => {
    const missing = fields.filter(([, at, len]) => at + off < d.length && !k.has(at + off, Math.min(len, d.length - at - off)));
    if (missing.length === 0) return undefined;
    const bytes: Array<[number, number]> = [];
    for (const [, at, len] of missing)
      for (let i = off + at; i < Math.min(off + at + len, d.length); i++) {
        if (k.flags[i]) continue;
        const last = bytes[bytes.length - 1];
        if (last && last[1] === i - 1) last[1] = i;
        else bytes.push([i, i]);
      }
    const what = missing.length === fields.length ? `${name} header` : `${name} ${missing.map(([f]) => f).join(', ')}`;
    return { what, bytes };
  };
  const u16 = (at: number) => (d[at] << 8) | d[at + 1];

  const walkEthernet = (off: number, name: string): UnstatedHeader | undefined => {
    const eth = check(`${name}Ethernet`, ETHERNET, off);
    if (eth) return eth;
    let type = u16(off + 12);
    off += 14;
    while (type === 0x8100 || type === 0x88a8) {
      const tag = check(`${name}VLAN`, VLAN_TAG, off);
      if (tag) return tag;
      type = u16(off + 2);
      off += 4;
    }
    if (type === 0x0800) return walkIp4(off, name);
    if (type === 0x86dd) return walkIp6(off, name);
    if (type === 0x0806) return check(`${name}ARP`, ARP, off);
    return undefined;
  };

  const walkIp4 = (off: number, name: string): UnstatedHeader | undefined => {
    const ip = check(`${name}IPv4`, IPV4, off);
    if (ip) return ip;
    const ihl = (d[off] & 0xf) * 4;
    if (ihl > 20 && !k.has(off + 20, Math.min(ihl - 20, d.length - off - 20))) return check(`${name}IPv4`, [['options', 20, ihl - 20]], off);
    // A fragment past the first carries no L4 header.
    if ((u16(off + 6) & 0x1fff) !== 0) return undefined;
    return walkL4(d[off + 9], off + ihl, name);
  };

  const walkIp6 = (off: number, name: string): UnstatedHeader | undefined => check(`${name}IPv6`, IPV6, off) ?? walkL4(d[off + 6], off + 40, name);

  const walkL4 = (proto: number, off: number, name: string): UnstatedHeader | undefined => {
    if (off >= d.length) return undefined;
    if (proto === 6) return check(`${name}TCP`, TCP, off);
    if (proto === 1 || proto === 58) return check(`${name}ICMP`, ICMP, off);
    if (proto !== 17) return undefined;
    const udp = check(`${name}UDP`, UDP, off);
    if (udp || u16(off + 2) !== VXLAN_PORT || off + 8 >= d.length) return udp;
    const vxlan = check(`${name}VXLAN`, VXLAN, off + 8);
    if (!vxlan) return walkEthernet(off + 16, 'inner ');
    const carried = off + 16 < d.length && !k.flags.subarray(off + 16).some((f) => f === 1);
    return carried ? { ...vxlan, unstatedCarried: d.length - off - 16 } : vxlan;
  };

  if (p.meta.linkType === LinkType.ETHERNET) return walkEthernet(0, '');
  if (p.meta.linkType === LinkType.IPV4) return walkIp4(0, '');
  if (p.meta.linkType === LinkType.IPV6) return walkIp6(0, '');
  return undefined;
}
