// tshark's dissection of a capture, as a flat list of protocol instances with byte positions.
//
// `tshark -T json -x --no-duplicate-keys` prints, next to every field `f`, an `f_raw` array
// [hex, offset, length, bitmask, ftype]; a protocol instance is a key whose `_raw` ftype is 1
// (FT_PROTOCOL). Walking the tree with those positions gives every protocol instance in the frame
// with its offset, including the ones nested inside others (the packet an ICMP error quotes, the
// IPv6 extension headers under `ipv6`), so ours and tshark's layers are matched by (name, offset)
// rather than by their order in a JSON object (which --no-duplicate-keys does not keep).

import { requireTshark, runTool } from './tools.js';

/** Preferences that make tshark check what we check, and decode each frame on its own. */
export const TSHARK_PREFS = [
  '-o', 'ip.check_checksum:TRUE',
  '-o', 'tcp.check_checksum:TRUE',
  '-o', 'udp.check_checksum:TRUE',
  // Fragments stay fragments: our dissector does not reassemble, and neither must tshark here.
  '-o', 'ip.defragment:FALSE',
  '-o', 'ipv6.defragment:FALSE',
  // Sequence numbers (and SACK edges) as on the wire, not relative to the first one seen.
  '-o', 'tcp.relative_sequence_numbers:FALSE',
  // VXLAN's IANA port; explicit so a build with another default still decodes it.
  '-d', 'udp.port==4789,vxlan',
];

const FT_PROTOCOL = 1;

export interface TsharkField {
  value: string;
  offset?: number;
  length?: number;
}

export interface TsharkProto {
  /** tshark's protocol name: eth, vlan, ieee8021ad, ip, ipv6, ipv6.fraghdr, udp, mpls, sll... */
  name: string;
  offset: number;
  length: number;
  /** Every field under this instance (not under a nested instance), by tshark field name. */
  fields: Map<string, TsharkField[]>;
  /** Name of the enclosing protocol instance ('' at top level): `ip` inside `icmp` is a quoted packet. */
  parent: string;
  /** The instance's bytes as tshark attributes them to it, hex. */
  rawHex: string;
}

export interface TsharkFrame {
  number: number;
  /** false for records that are not packets (tshark 4 shows pcapng custom blocks as frames). */
  isPacket: boolean;
  encapType?: number;
  sectionNumber?: number;
  interfaceId?: number;
  interfaceName?: string;
  /** "1700000000.123456789" - always 9 fraction digits in tshark 4. */
  timeEpoch?: string;
  len: number;
  capLen: number;
  comments: string[];
  /** The frame's bytes (frame_raw), hex. */
  bytesHex: string;
  /** FCS length in octets from the packet's flags word (pcapng epb_flags), when the block has one. */
  flagsFcsLength?: number;
  protocols: TsharkProto[];
}

type Json = string | number | boolean | null | Json[] | { [k: string]: Json };
type RawTuple = [string, number, number, number, number];

function isRawTuple(x: Json | undefined): x is RawTuple {
  return Array.isArray(x) && x.length === 5 && typeof x[0] === 'string' && typeof x[1] === 'number';
}

/** The raw tuple(s) of key k, one per occurrence. */
function rawsOf(obj: { [k: string]: Json }, k: string): (RawTuple | undefined)[] {
  const r = obj[`${k}_raw`];
  if (r === undefined) return [];
  if (isRawTuple(r)) return [r];
  if (Array.isArray(r)) return r.map((x) => (isRawTuple(x) ? x : undefined));
  return [];
}

function addField(p: TsharkProto, name: string, value: string, raw?: RawTuple): void {
  let list = p.fields.get(name);
  if (!list) p.fields.set(name, (list = []));
  list.push({ value, offset: raw?.[1], length: raw?.[2] });
}

function walk(obj: { [k: string]: Json }, current: TsharkProto, out: TsharkProto[]): void {
  for (const [k, v] of Object.entries(obj)) {
    if (k.endsWith('_raw')) continue;
    const raws = rawsOf(obj, k);
    const occurrences: Json[] = Array.isArray(v) && !(v.length > 0 && v.every((x) => typeof x === 'string')) ? v : [v];
    occurrences.forEach((occ, i) => {
      const raw = raws[i] ?? (raws.length === 1 ? raws[0] : undefined);
      if (occ !== null && typeof occ === 'object' && !Array.isArray(occ)) {
        if (raw && raw[4] === FT_PROTOCOL) {
          const proto: TsharkProto = { name: k, offset: raw[1], length: raw[2], fields: new Map(), parent: current.name, rawHex: raw[0] };
          out.push(proto);
          walk(occ, proto, out);
        } else {
          walk(occ, current, out); // a subtree (flags_tree, options...): its fields belong to the current instance
        }
      } else if (typeof occ === 'string') {
        addField(current, k, occ, raw);
      } else if (Array.isArray(occ)) {
        // A field that occurs several times: --no-duplicate-keys gives parallel arrays of values and raws.
        occ.forEach((val, j) => addField(current, k, String(val), raws[j]));
      }
    });
  }
}

function num(x: TsharkProto | undefined, field: string): number | undefined {
  const v = x?.fields.get(field)?.[0]?.value;
  return v === undefined ? undefined : Number(v);
}

/** Parse tshark's JSON (an array of {_source: {layers}}) into frames. */
export function parseTsharkJson(text: string): TsharkFrame[] {
  const docs = JSON.parse(text) as { _source: { layers: { [k: string]: Json } } }[];
  return docs.map((doc) => {
    const root: TsharkProto = { name: '', offset: 0, length: 0, fields: new Map(), parent: '', rawHex: '' };
    const protocols: TsharkProto[] = [];
    const layers = doc._source.layers;
    walk(layers, root, protocols);
    const frame = protocols.find((p) => p.name === 'frame');
    const all = [root, ...protocols];
    const comments = all.flatMap((p) => (p.fields.get('frame.comment') ?? []).map((f) => f.value));
    const frameRaw = layers['frame_raw'];
    const str = (f: string) => frame?.fields.get(f)?.[0]?.value;
    return {
      number: num(frame, 'frame.number') ?? 0,
      isPacket: str('frame.encap_type') !== undefined,
      encapType: num(frame, 'frame.encap_type'),
      sectionNumber: num(frame, 'frame.section_number'),
      interfaceId: num(frame, 'frame.interface_id'),
      interfaceName: str('frame.interface_name'),
      timeEpoch: str('frame.time_epoch'),
      len: num(frame, 'frame.len') ?? 0,
      capLen: num(frame, 'frame.cap_len') ?? 0,
      comments,
      bytesHex: isRawTuple(frameRaw) ? frameRaw[0] : '',
      flagsFcsLength: num(frame, 'frame.packet_flags_fcs_length'),
      protocols: protocols.filter((p) => p.name !== 'frame'),
    };
  });
}

/** tshark's dissection of every record in `file`. */
export function tsharkFrames(file: string): TsharkFrame[] {
  requireTshark();
  const out = runTool('tshark', ['-r', file, ...TSHARK_PREFS, '-T', 'json', '-x', '--no-duplicate-keys']);
  return parseTsharkJson(out.toString('utf8'));
}

/**
 * Wireshark's WTAP_ENCAP numbers (frame.encap_type) for the pcap LINKTYPEs we read. Several
 * LINKTYPEs share one encapsulation only where tshark itself cannot tell them apart; none here.
 */
export const WTAP_ENCAP_TO_LINKTYPE: Record<number, number[]> = {
  1: [1], // WTAP_ENCAP_ETHERNET  <- LINKTYPE_ETHERNET
  7: [101], // WTAP_ENCAP_RAW_IP  <- LINKTYPE_RAW
  25: [113], // WTAP_ENCAP_SLL     <- LINKTYPE_LINUX_SLL
  129: [228], // WTAP_ENCAP_RAW_IP4 <- LINKTYPE_IPV4
  130: [229], // WTAP_ENCAP_RAW_IP6 <- LINKTYPE_IPV6
  210: [276], // WTAP_ENCAP_SLL2    <- LINKTYPE_LINUX_SLL2
};
