// Offsets and fields of the frames the DVR model handles: Ethernet II carrying ARP or IPv4 (ICMP,
// TCP, UDP, and ICMP errors quoting an inner IPv4 packet). Plain offset arithmetic over the bytes:
// the model rewrites packets in place as the kernel does.

import { u16, u32, setU16, setU32 } from '../../harness/wire/bytes.js';
import { macToString, macToBytes, ip4ToString } from '../../harness/wire/address.js';
import type { FieldValue } from '../../harness/stage.js';

export const ETH_LEN = 14;
export const ETHERTYPE_IPV4 = 0x0800;
export const ETHERTYPE_ARP = 0x0806;
export const PROTO_ICMP = 1;
export const PROTO_TCP = 6;
export const PROTO_UDP = 17;
/** IPv4 frag_off bits (include/net/ip.h IP_DF, IP_MF, IP_OFFSET). */
export const IP_DF = 0x4000;
export const IP_MF = 0x2000;
export const IP_OFFSET = 0x1fff;
/** IPv4 option types with no length byte (include/uapi/linux/ip.h IPOPT_END, IPOPT_NOOP). */
export const IPOPT_END = 0;
export const IPOPT_NOOP = 1;
export const BROADCAST = 'ff:ff:ff:ff:ff:ff';

// Text forms are memoized by value: a run meets a handful of MACs and addresses millions of times,
// and building the strings per stage record was a fifth of the replay time.
const macText = new Map<number, string>();
const ipText = new Map<number, string>();
const macBytes = new Map<string, Uint8Array>();

function macAt(b: Uint8Array, off: number): string {
  const key = (b[off] * 0x10000 + ((b[off + 1] << 8) | b[off + 2])) * 0x1000000 + ((b[off + 3] << 16) | (b[off + 4] << 8) | b[off + 5]);
  let s = macText.get(key);
  if (s === undefined) {
    s = macToString(b, off);
    if (macText.size < 65536) macText.set(key, s);
  }
  return s;
}

function ipAt(b: Uint8Array, off: number): string {
  const key = u32(b, off);
  let s = ipText.get(key);
  if (s === undefined) {
    s = ip4ToString(b, off);
    if (ipText.size < 65536) ipText.set(key, s);
  }
  return s;
}

export const ethDst = (b: Uint8Array): string => macAt(b, 0);
export const ethSrc = (b: Uint8Array): string => macAt(b, 6);
export const ethType = (b: Uint8Array): number => u16(b, 12);
function macToBytesCached(mac: string): Uint8Array {
  let m = macBytes.get(mac);
  if (!m) {
    m = macToBytes(mac);
    if (macBytes.size < 65536) macBytes.set(mac, m);
  }
  return m;
}

export function setEth(b: Uint8Array, src: string, dst: string): void {
  b.set(macToBytesCached(dst), 0);
  b.set(macToBytesCached(src), 6);
}

/** An IPv4 header's fields at `ip` (offset of the header). */
export const ipHl = (b: Uint8Array, ip: number): number => (b[ip] & 0x0f) * 4;
export const ipSrc = (b: Uint8Array, ip: number): number => u32(b, ip + 12);
export const ipDst = (b: Uint8Array, ip: number): number => u32(b, ip + 16);
export const ipProto = (b: Uint8Array, ip: number): number => b[ip + 9];
export const ipTotalLen = (b: Uint8Array, ip: number): number => u16(b, ip + 2);
export const ipCheck = (b: Uint8Array, ip: number): number => u16(b, ip + 10);
export const setIpCheck = (b: Uint8Array, ip: number, v: number): void => setU16(b, ip + 10, v);
export const setIpSrc = (b: Uint8Array, ip: number, v: number): void => setU32(b, ip + 12, v);
export const setIpDst = (b: Uint8Array, ip: number, v: number): void => setU32(b, ip + 16, v);

export const ICMP_ERROR_TYPES = new Set([3, 4, 5, 11, 12]);
export function isIcmpError(b: Uint8Array, ip: number): boolean {
  const l4 = ip + ipHl(b, ip);
  return ipProto(b, ip) === PROTO_ICMP && l4 < b.length && ICMP_ERROR_TYPES.has(b[l4]);
}

/** Source and destination "ports" as conntrack sees them (ICMP echo: the identifier). */
export function l4Ports(b: Uint8Array, ip: number): { sport: number; dport: number } {
  const l4 = ip + ipHl(b, ip);
  const p = ipProto(b, ip);
  if (p === PROTO_TCP || p === PROTO_UDP) return { sport: u16(b, l4), dport: u16(b, l4 + 2) };
  if (p === PROTO_ICMP) return { sport: u16(b, l4 + 4), dport: 0 };
  return { sport: 0, dport: 0 };
}

/** The header fields a stage shows, as flat dotted paths; the quoted packet of an ICMP error is `inner.`. */
export function frameFields(b: Uint8Array): Record<string, FieldValue> {
  const f: Record<string, FieldValue> = { 'eth.dst': ethDst(b), 'eth.src': ethSrc(b) };
  const t = ethType(b);
  if (t === ETHERTYPE_ARP) {
    f['arp.op'] = u16(b, 20);
    f['arp.sender_mac'] = macAt(b, 22);
    f['arp.sender_ip'] = ipAt(b, 28);
    f['arp.target_mac'] = macAt(b, 32);
    f['arp.target_ip'] = ipAt(b, 38);
  } else if (t === ETHERTYPE_IPV4) {
    ipFields(b, ETH_LEN, false, f);
  }
  return f;
}

/** Bytes that can hold every field frameFields reads (Ethernet, IPv4 with options, ICMP, quoted IPv4, ports). */
const FIELD_BYTES = ETH_LEN + 60 + 8 + 60 + 8;

/**
 * frameFields for a stream of stage records: consecutive stages mostly see the same header bytes
 * (a stage that rewrites nothing), so the last result is reused while those bytes are unchanged.
 * The result is shared: callers copy it into their record.
 */
export class FrameFieldsCache {
  private readonly snap = new Uint8Array(FIELD_BYTES);
  private snapLen = -1;
  private frameLen = -1;
  private last: Record<string, FieldValue> = {};

  get(b: Uint8Array): Record<string, FieldValue> {
    const n = Math.min(b.length, FIELD_BYTES);
    if (n === this.snapLen && b.length === this.frameLen) {
      let i = 0;
      while (i < n && b[i] === this.snap[i]) i++;
      if (i === n) return this.last;
    }
    this.snap.set(b.subarray(0, n));
    this.snapLen = n;
    this.frameLen = b.length;
    this.last = frameFields(b);
    return this.last;
  }
}

/**
 * The field names of one IPv4 header's fields under `prefix`, built once: a name made per stage would
 * be a new string that every property store has to look up in V8's string table.
 */
function ipFieldNames(prefix: string) {
  const l4 = (n: string) => ({ src_port: `${prefix}${n}.src_port`, dst_port: `${prefix}${n}.dst_port`, checksum: `${prefix}${n}.checksum` });
  return {
    src: `${prefix}ip4.src`, dst: `${prefix}ip4.dst`, ttl: `${prefix}ip4.ttl`, id: `${prefix}ip4.id`, checksum: `${prefix}ip4.checksum`, protocol: `${prefix}ip4.protocol`,
    tcp: l4('tcp'), udp: l4('udp'),
    icmpType: `${prefix}icmp.type`, icmpCode: `${prefix}icmp.code`, icmpChecksum: `${prefix}icmp.checksum`, icmpId: `${prefix}icmp.id`,
  };
}
const OUTER_NAMES = ipFieldNames('');
const INNER_NAMES = ipFieldNames('inner.');

function ipFields(b: Uint8Array, ip: number, inner: boolean, f: Record<string, FieldValue>): void {
  if (ip + 20 > b.length) return;
  const k = inner ? INNER_NAMES : OUTER_NAMES;
  f[k.src] = ipAt(b, ip + 12);
  f[k.dst] = ipAt(b, ip + 16);
  f[k.ttl] = b[ip + 8];
  f[k.id] = u16(b, ip + 4);
  f[k.checksum] = ipCheck(b, ip);
  f[k.protocol] = ipProto(b, ip);
  const l4 = ip + ipHl(b, ip);
  const p = ipProto(b, ip);
  if ((p === PROTO_TCP || p === PROTO_UDP) && l4 + 8 <= b.length) {
    const n = p === PROTO_TCP ? k.tcp : k.udp;
    f[n.src_port] = u16(b, l4);
    f[n.dst_port] = u16(b, l4 + 2);
    const co = p === PROTO_TCP ? l4 + 16 : l4 + 6;
    if (co + 2 <= b.length) f[n.checksum] = u16(b, co);
  } else if (p === PROTO_ICMP && l4 + 8 <= b.length) {
    f[k.icmpType] = b[l4];
    f[k.icmpCode] = b[l4 + 1];
    f[k.icmpChecksum] = u16(b, l4 + 2);
    if (ICMP_ERROR_TYPES.has(b[l4])) {
      if (!inner) ipFields(b, l4 + 8, true, f);
    } else f[k.icmpId] = u16(b, l4 + 4);
  }
}
