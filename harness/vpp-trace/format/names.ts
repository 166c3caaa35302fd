// VPP 18.01's name tables (protocols, ethertypes, ICMP types/codes), copied verbatim as facts from
// ../shared/design/vpp-name-tables.json. Forward lookups for formatters, reverse for parsers.

import tables from '../names/vpp-name-tables.json' with { type: 'json' };

type Table = Record<string, string>;

function reverse(t: Table, key: (k: string) => number): Map<string, number> {
  const m = new Map<string, number>();
  for (const [k, v] of Object.entries(t)) m.set(v, key(k));
  return m;
}

const ipProto = tables.ip_protocol_names_v18_01 as Table;
const etherTypes = tables.ethernet_type_names_v18_01 as Table;
const icmp4Types = tables.icmp4_type_names as Table;
const icmp4Codes = tables.icmp4_code_names as Table;
const icmp6Types = tables.icmp6_type_names as Table;
const icmp6Codes = tables.icmp6_code_names as Table;

const ipProtoByName = reverse(ipProto, Number);
const etherTypeByName = reverse(etherTypes, (k) => parseInt(k, 16));
const icmp4TypeByName = reverse(icmp4Types, Number);
const icmp6TypeByName = reverse(icmp6Types, Number);

export function ipProtocolName(p: number): string | undefined {
  return ipProto[String(p)];
}
export function ipProtocolFromName(name: string): number | undefined {
  return ipProtoByName.get(name);
}

export function etherTypeName(t: number): string | undefined {
  return etherTypes['0x' + t.toString(16).padStart(4, '0')];
}
export function etherTypeFromName(name: string): number | undefined {
  return etherTypeByName.get(name);
}

export function icmpTypeName(v6: boolean, type: number): string | undefined {
  return (v6 ? icmp6Types : icmp4Types)[String(type)];
}
export function icmpCodeName(v6: boolean, type: number, code: number): string | undefined {
  return (v6 ? icmp6Codes : icmp4Codes)[`${type}/${code}`];
}
export function icmpTypeFromName(v6: boolean, name: string): number | undefined {
  return (v6 ? icmp6TypeByName : icmp4TypeByName).get(name);
}
/** All code names of a type, for parsing `ICMP {type} {code} checksum ...`. */
export function icmpCodeFromName(v6: boolean, type: number, name: string): number | undefined {
  const t = v6 ? icmp6Codes : icmp4Codes;
  for (const [k, v] of Object.entries(t)) {
    if (v !== name) continue;
    const [ty, co] = k.split('/').map(Number);
    if (ty === type) return co;
  }
  return undefined;
}
