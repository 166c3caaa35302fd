// Packet reconstruction per stage (issue 3): the packet as far as a stage shows it, with a
// KnownBytes mask - Ethernet from the MAC line, IPv4/IPv6/L4 from the header lines, raw bytes from
// the ip4-rewrite hex dump and the l2-output data. Nothing unseen is invented: unknown bytes stay 0
// and unmarked. Checksums the stage shows are checked against what the known bytes allow.

import { KnownBytes } from '../wire/known.js';
import { LinkType, type Packet } from '../wire/packet.js';
import { fromHex, setU16, setU32 } from '../wire/bytes.js';
import { ip4ToBytes, ip6ToBytes, macToBytes } from '../wire/address.js';
import { fold16, internetChecksum, pseudoHeaderSum4, sum16 } from '../wire/checksum.js';
import type { HeaderChain } from './format/headers.js';
import type { VppStage } from './nodes/index.js';
import type { TraceFile, TraceWarning, VppPacketTrace } from './trace-file.js';
import { addWarning, WARNINGS_HELD } from './spooled.js';

/** Bytes written so far and the mask, growing as headers are laid down. */
class Builder {
  data = new Uint8Array(256);
  known = new KnownBytes(256);
  size = 0;

  ensure(n: number): void {
    if (n <= this.data.length) return;
    const len = Math.max(n, this.data.length * 2);
    const d = new Uint8Array(len);
    d.set(this.data);
    const k = new KnownBytes(len);
    k.flags.set(this.known.flags);
    this.data = d;
    this.known = k;
  }

  put(off: number, bytes: Uint8Array): void {
    this.ensure(off + bytes.length);
    this.data.set(bytes, off);
    this.known.mark(off, bytes.length);
    this.size = Math.max(this.size, off + bytes.length);
  }

  u8(off: number, v: number): void {
    this.put(off, Uint8Array.of(v & 0xff));
  }

  u16(off: number, v: number): void {
    const b = new Uint8Array(2);
    setU16(b, 0, v);
    this.put(off, b);
  }

  u32(off: number, v: number): void {
    const b = new Uint8Array(4);
    setU32(b, 0, v);
    this.put(off, b);
  }

  /** Declare the packet's full length (from an IP length field) without knowing those bytes. */
  extend(n: number): void {
    this.ensure(n);
    this.size = Math.max(this.size, n);
  }

  packet(linkType: number): Packet {
    const known = new KnownBytes(this.size);
    known.flags.set(this.known.flags.subarray(0, this.size));
    return { data: this.data.slice(0, this.size), known, meta: { linkType } };
  }
}

/** Lay a header chain down from offset 0; returns the link type (Ethernet, or raw IPv4/IPv6). */
function layHeaders(chain: HeaderChain, b: Builder): number | undefined {
  let off = 0;
  let link: number | undefined;
  for (const h of chain) {
    switch (h.kind) {
      case 'eth': {
        link = LinkType.ETHERNET;
        b.put(0, macToBytes(h.dst));
        b.put(6, macToBytes(h.src));
        off = 12;
        for (const v of h.vlans ?? []) {
          b.u16(off, v.tpid);
          b.u16(off + 2, v.tci);
          off += 4;
        }
        b.u16(off, h.type);
        off += 2;
        break;
      }
      case 'ip4': {
        link ??= LinkType.IPV4;
        b.u8(off, (h.version << 4) | ((h.headerLength / 4) & 0xf));
        b.u8(off + 1, h.tos);
        b.u16(off + 2, h.length);
        b.u16(off + 4, h.id);
        b.u16(off + 6, h.flagsOffset);
        b.u8(off + 8, h.ttl);
        b.u8(off + 9, h.protocol);
        b.u16(off + 10, h.checksum);
        b.put(off + 12, ip4ToBytes(h.src));
        b.put(off + 16, ip4ToBytes(h.dst));
        b.extend(off + h.length);
        // Options (IHL > 5) are not printed: those bytes stay unknown.
        off += h.headerLength;
        break;
      }
      case 'ip6': {
        link ??= LinkType.IPV6;
        b.u32(off, ((h.version << 28) | (h.trafficClass << 20) | h.flowLabel) >>> 0);
        b.u16(off + 4, h.payloadLength);
        b.u8(off + 6, h.protocol);
        b.u8(off + 7, h.hopLimit);
        b.put(off + 8, ip6ToBytes(h.src));
        b.put(off + 24, ip6ToBytes(h.dst));
        b.extend(off + 40 + h.payloadLength);
        off += 40;
        break;
      }
      case 'tcp':
        b.u16(off, h.srcPort);
        b.u16(off + 2, h.dstPort);
        b.u32(off + 4, h.seq);
        b.u32(off + 8, h.ack);
        // Byte 12 holds the data offset AND 4 reserved bits that are not printed: left unknown.
        b.u8(off + 13, h.flags);
        b.u16(off + 14, h.window);
        b.u16(off + 16, h.checksum);
        off += 20;
        break;
      case 'udp':
        b.u16(off, h.srcPort);
        b.u16(off + 2, h.dstPort);
        b.u16(off + 4, h.length);
        b.u16(off + 6, h.checksum);
        off += 8;
        break;
      case 'icmp':
        b.u8(off, h.type);
        // A code without a name is not printed: only named codes are known.
        b.u16(off + 2, h.checksum);
        off += 4;
        break;
      case 'arp':
        b.u16(off, h.hwType);
        b.u16(off + 2, h.protoType);
        b.u8(off + 4, h.hwLen);
        b.u8(off + 5, h.protoLen);
        b.u16(off + 6, h.opcode);
        b.put(off + 8, macToBytes(h.senderMac));
        b.put(off + 14, ip4ToBytes(h.senderIp));
        b.put(off + 18, macToBytes(h.targetMac));
        b.put(off + 24, ip4ToBytes(h.targetIp));
        off += 28;
        break;
      case 'truncated':
        return link;
    }
  }
  return link;
}

/** The packet a stage shows, or undefined when the stage shows no packet bytes. */
export function stagePacket(s: VppStage): Packet | undefined {
  const r = s.record as Record<string, unknown> | undefined;
  if (!r) return undefined;
  const b = new Builder();
  let link: number | undefined;
  if (Array.isArray(r.headers)) link = layHeaders(r.headers as HeaderChain, b);
  else if (s.kind === 'rewrite' && typeof r.dump === 'string' && r.dump.length) {
    const dump = fromHex(r.dump);
    const adj = r.adjacency as { kind: string; rewrite?: string };
    // An expired packet dumps bare IP (current data did not move): the dump starts at the IP header.
    const l2 = adj.kind === 'rewrite' && adj.rewrite && r.dump.startsWith(adj.rewrite) ? adj.rewrite.length / 2 : 0;
    b.put(0, dump);
    link = l2 ? LinkType.ETHERNET : dump[0] >> 4 === 6 ? LinkType.IPV6 : LinkType.IPV4;
    const ip = l2;
    if (dump.length >= ip + 4 && dump[ip] >> 4 === 4) b.extend(ip + ((dump[ip + 2] << 8) | dump[ip + 3]));
    else if (dump.length >= ip + 6 && dump[ip] >> 4 === 6) b.extend(ip + 40 + ((dump[ip + 4] << 8) | dump[ip + 5]));
  } else if (s.kind === 'l2-output' && typeof r.data === 'string') {
    b.put(0, macToBytes(r.dst as string));
    b.put(6, macToBytes(r.src as string));
    b.put(12, fromHex(r.data));
    link = LinkType.ETHERNET;
  }
  if (link === undefined || b.size === 0) return undefined;
  const p = b.packet(link);
  p.meta.interfaceName = s.node;
  return p;
}

export interface ChecksumFinding {
  layer: 'ip4' | 'tcp' | 'udp' | 'icmp';
  stored: number;
  computed: number;
}

/** Checksums of a reconstructed packet that the known bytes prove wrong. */
export function checkChecksums(p: Packet): ChecksumFinding[] {
  const out: ChecksumFinding[] = [];
  const k = p.known!;
  const d = p.data;
  let ip = p.meta.linkType === LinkType.ETHERNET ? 14 : 0;
  if (p.meta.linkType === LinkType.ETHERNET) {
    let type = (d[12] << 8) | d[13];
    while ((type === 0x8100 || type === 0x88a8) && k.has(ip, 4)) {
      type = (d[ip + 2] << 8) | d[ip + 3];
      ip += 4;
    }
    if (type !== 0x0800) return out;
  } else if (p.meta.linkType !== LinkType.IPV4) return out;
  if (!k.has(ip, 20) || d[ip] >> 4 !== 4) return out;
  const hl = (d[ip] & 0xf) * 4;
  if (k.has(ip, hl)) {
    const stored = (d[ip + 10] << 8) | d[ip + 11];
    const computed = ~fold16(sum16(d, ip, hl) - stored) & 0xffff;
    if (computed !== stored) out.push({ layer: 'ip4', stored, computed });
  }
  const total = (d[ip + 2] << 8) | d[ip + 3];
  const l4 = ip + hl;
  const l4len = total - hl;
  const proto = d[ip + 9];
  const frag = ((d[ip + 6] << 8) | d[ip + 7]) & 0x3fff;
  // The L4 checksum covers the whole segment: provable only when every byte of it is known.
  if (frag || l4len < 4 || !k.has(ip + 12, 8) || !k.has(l4, l4len)) return out;
  const csumOff = proto === 6 ? 16 : proto === 17 ? 6 : proto === 1 ? 2 : -1;
  if (csumOff < 0 || l4len < csumOff + 2) return out;
  const stored = (d[l4 + csumOff] << 8) | d[l4 + csumOff + 1];
  if (proto === 17 && stored === 0) return out; // UDP: no checksum
  const seg = d.slice(l4, l4 + l4len);
  seg[csumOff] = 0;
  seg[csumOff + 1] = 0;
  const pseudo = proto === 1 ? 0 : pseudoHeaderSum4(d, ip + 12, ip + 16, proto, l4len);
  let computed = internetChecksum(seg, 0, l4len, pseudo);
  if (proto === 17 && computed === 0) computed = 0xffff;
  if (computed !== stored) out.push({ layer: proto === 6 ? 'tcp' : proto === 17 ? 'udp' : 'icmp', stored, computed });
  return out;
}

const hex4 = (v: number) => '0x' + v.toString(16).padStart(4, '0');

/**
 * Give every typed stage its packet and report checksums the trace proves wrong. VPP itself flags a
 * bad IPv4 header checksum with `(should be ...)`; a stored value that disagrees with the printed
 * fields WITHOUT that note means the text itself was altered.
 */
export function reconstructPackets(f: TraceFile): TraceWarning[] {
  return checkStagePackets(f, true);
}

/** The checksum warnings of reconstructPackets, keeping no packet on the stages (see packetOf). */
export function checkChecksumsOnDemand(f: TraceFile, held = WARNINGS_HELD): TraceWarning[] {
  f.packetsOnDemand = true;
  return checkStagePackets(f, false, held);
}

/** A stage's packet: kept by reconstructPackets, or built now for a file read with packets on demand. */
export function packetOf(f: Pick<TraceFile, 'packetsOnDemand'>, s: VppStage): Packet | undefined {
  return s.packet ?? (f.packetsOnDemand ? stagePacket(s) : undefined);
}

function checkStagePackets(f: TraceFile, keep: boolean, held = WARNINGS_HELD): TraceWarning[] {
  const found: TraceWarning[] = [];
  for (const t of f.threads) for (const p of t.packets) found.push(...packetChecksumWarnings(p, keep));
  for (const w of found) addWarning(f, w, held);
  return found;
}

/** One packet's checksum warnings (its stages keep their packet when `keep`): a streaming reader checks each packet as it completes. */
export function packetChecksumWarnings(p: VppPacketTrace, keep = false): TraceWarning[] {
  const found: TraceWarning[] = [];
  for (const s of p.stages) {
    const pkt = stagePacket(s);
    if (!pkt) continue;
    if (keep) s.packet = pkt;
    for (const c of checkChecksums(pkt)) {
      const noted = c.layer === 'ip4' && s.fields['ip4.checksum_should_be'] === c.computed;
      found.push({
        line: s.line ?? 0,
        code: 'checksum',
        message: `${s.node}: stored ${c.layer} checksum ${hex4(c.stored)} is wrong, the bytes give ${hex4(c.computed)}${noted ? ' (VPP noted it: should be)' : c.layer === 'ip4' && s.kind !== 'rewrite' ? ' and VPP would have printed (should be): the trace text was altered' : ''}`,
      });
    }
  }
  return found;
}
