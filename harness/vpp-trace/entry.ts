// The packet that entered a trace's first node, merged from what the first stages show (issue 3,
// harness: a real trace's input). No stage shows it whole: the device node or ethernet-input shows
// the Ethernet header, ip4-input the IP and L4 header fields, ip4-lookup the same again; the first
// ip4-rewrite dump shows 60 bytes from the new Ethernet header on, TCP options and payload included.
//
// Rules, in this order:
//  1. Entry views are the stages before the first node that changes bytes (`mutates`): ip4-rewrite,
//     a NAT44 node that translated, VXLAN encap/decap, ICMP error, FIP64, any unknown node. Their
//     known bytes are laid down first-seen-wins, IP-only views shifted behind the Ethernet header.
//  2. From the first rewrite dump (even after a boundary), only bytes no node before it can change
//     are taken: everything after the fixed IPv4 header except the L4 ports and checksum (NAT) -
//     i.e. IP options, the TCP data-offset byte, urgent pointer, options and payload. Not when a
//     layout-changing node (VXLAN) or an ICMP NAT (which rewrites the quoted packet) came first.
// Bytes no stage shows stay 0 and unknown in the KnownBytes mask.

import { KnownBytes } from '../wire/known.js';
import { LinkType, type Packet } from '../wire/packet.js';
import type { PacketTrace, Stage } from '../stage.js';
import { ethHeaderLength } from './format/ethernet.js';
import type { HeaderChain } from './format/headers.js';
import type { Nat44Record, VppStage } from './nodes/index.js';
import { lookupNode } from './nodes/index.js';
import { stagePacket } from './reconstruct.js';

/** Record kinds that never change packet bytes (they read, classify, forward or drop). */
const READ_ONLY_KINDS = new Set([
  'virtio-input', 'tapcli-rx', 'dpdk', 'af-packet-input', 'pg-input', 'ethernet-decode', 'lookup', 'udp-lookup', 'acl', 'l2-mac',
  'l2-classify', 'l2-output', 'interface-output', 'error-drop',
]);

/** Whether a stage's node may change the packet's bytes (so later views no longer show the entry state). */
export function mutates(s: Stage): boolean {
  const v = s as VppStage;
  const kind = v.kind ?? lookupNode(s.node)?.kind.kind;
  if (kind === undefined) return true; // unknown node: anything is possible
  if (kind === 'ip-decode') return s.node === 'ip4-icmp-error' || s.node === 'ip6-icmp-error';
  if (kind === 'nat44') {
    const r = v.record as Nat44Record | undefined;
    if (!r) return true;
    if (r.handoff) return false;
    // `session -1` / `session index -1`: no session, nothing translated. Without a session field the
    // node (fast path, static mapping) may have translated.
    return r.session === undefined || r.session >= 0 || r.translation !== undefined;
  }
  // l2-output-vtr rewrites VLAN tags; l2-output itself does not.
  if (kind === 'l2-output') return s.node !== 'l2-output';
  return !READ_ONLY_KINDS.has(kind);
}

function headersOf(s: Stage): HeaderChain | undefined {
  const r = (s as VppStage).record as { headers?: HeaderChain } | undefined;
  return Array.isArray(r?.headers) ? r.headers : undefined;
}

/** Ethernet header length of an Ethernet view (VLAN tags included). */
function l2Length(s: Stage): number {
  const eth = headersOf(s)?.find((h) => h.kind === 'eth');
  return eth && eth.kind === 'eth' ? ethHeaderLength(eth) : 14;
}

/** A stage's packet view (reconstructed on demand when the caller did not run reconstructPackets). */
function viewOf(s: Stage): Packet | undefined {
  return s.packet ?? stagePacket(s as VppStage);
}

class Merge {
  data: Uint8Array = new Uint8Array(0);
  known = new KnownBytes(0);

  grow(n: number): void {
    if (n <= this.data.length) return;
    const d = new Uint8Array(n);
    d.set(this.data);
    const k = new KnownBytes(n);
    k.flags.set(this.known.flags);
    this.data = d;
    this.known = k;
  }

  /** Copy src's known bytes [from, from+len) to `to`, where not yet known. */
  fill(src: Packet, from: number, to: number, len: number, skip?: (entryOffset: number) => boolean): void {
    this.grow(Math.max(0, to + Math.min(len, src.data.length - from)));
    for (let i = 0; i < len && from + i < src.data.length; i++) {
      const d = to + i;
      if (d < 0 || this.known.flags[d] || (src.known && !src.known.flags[from + i]) || skip?.(d)) continue;
      this.data[d] = src.data[from + i];
      this.known.flags[d] = 1;
    }
  }
}

/** Where a stage's view sits in the entry packet: IP-only views start behind the Ethernet header. */
export function viewOffset(view: Packet, entryLink: number, l2: number): number {
  return view.meta.linkType === LinkType.ETHERNET || entryLink !== LinkType.ETHERNET ? 0 : l2;
}

/** Index of the first stage that changes bytes (stages.length when none does). */
export function entryBoundary(trace: PacketTrace): number {
  const i = trace.stages.findIndex(mutates);
  return i < 0 ? trace.stages.length : i;
}

/**
 * The packet entering the trace's first node, with the KnownBytes mask of what the trace shows of it.
 * Undefined when no stage shows packet bytes.
 */
export function entryPacket(trace: PacketTrace): Packet | undefined {
  const stages = trace.stages;
  const end = entryBoundary(trace);
  const views: Array<{ s: Stage; p: Packet }> = [];
  for (let i = 0; i < end; i++) {
    const p = viewOf(stages[i]);
    if (p) views.push({ s: stages[i], p });
  }
  const ethView = views.find((v) => v.p.meta.linkType === LinkType.ETHERNET);
  const link = ethView ? LinkType.ETHERNET : views[0]?.p.meta.linkType;
  if (link === undefined) return undefined;
  const l2 = ethView ? l2Length(ethView.s) : 0;
  const m = new Merge();
  for (const { p } of views) {
    const off = viewOffset(p, link, l2);
    // The declared length (from the IP total length) counts even where the bytes are unknown.
    m.grow(off + p.data.length);
    m.fill(p, 0, off, p.data.length);
  }
  fillFromFirstDump(stages, m, l2);
  const first = stages[0];
  const meta: Packet['meta'] = { linkType: link };
  const ifName = first?.fields.interface;
  if (typeof ifName === 'string') meta.interfaceName = ifName;
  return { data: m.data, known: m.known, meta };
}

/** Rule 2: bytes beyond the headers from the first ip4-rewrite dump. */
function fillFromFirstDump(stages: readonly Stage[], m: Merge, l2: number): void {
  const ip = l2;
  if (!m.known.has(ip, 20) || m.data[ip] >> 4 !== 4) return;
  const ihl = (m.data[ip] & 0xf) * 4;
  const proto = m.data[ip + 9];
  let natSeen = false;
  for (const s of stages) {
    const v = s as VppStage;
    if (v.kind === 'rewrite') {
      const p = viewOf(s);
      if (!p || p.meta.linkType !== LinkType.ETHERNET) return; // an IP-only dump (expired packet): no Ethernet to align by
      if (natSeen && proto === 1) return; // NAT rewrote the quoted packet of an ICMP error
      const dumpIp = rewriteL2Length(v);
      const l4 = ip + ihl;
      const csum = proto === 6 ? 16 : proto === 17 ? 6 : proto === 1 ? 2 : -1;
      const natMay = (d: number): boolean => d < ip + 20 || (d >= l4 && d < l4 + 4) || (csum >= 0 && d >= l4 + csum && d < l4 + csum + 2);
      m.fill(p, dumpIp + 20, ip + 20, p.data.length - dumpIp - 20, natMay);
      return;
    }
    if (v.kind === 'nat44') natSeen = true;
    else if (mutates(s)) return; // VXLAN, FIP64, ICMP error, unknown: layout may differ
  }
}

/** Bytes of the Ethernet rewrite the adjacency put in front of the IP header (the dump starts there). */
function rewriteL2Length(s: VppStage): number {
  const adj = (s.record as { adjacency?: { kind: string; rewrite?: string } } | undefined)?.adjacency;
  return adj?.kind === 'rewrite' && adj.rewrite ? adj.rewrite.length / 2 : 14;
}

export interface EntryDisagreement {
  node: string;
  line?: number;
  /** Offset in the entry packet. */
  offset: number;
  entry: number | undefined;
  stage: number;
}

/**
 * Bytes where a stage before the first byte-changing node shows something other than the entry
 * packet (or a byte the entry packet does not know). A consistent trace gives none: a golden whose
 * stages disagree here was edited or is not one packet.
 */
export function entryDisagreements(trace: PacketTrace, entry: Packet): EntryDisagreement[] {
  const out: EntryDisagreement[] = [];
  const end = entryBoundary(trace);
  const eth = trace.stages.slice(0, end).find((s) => viewOf(s)?.meta.linkType === LinkType.ETHERNET);
  const l2 = eth ? l2Length(eth) : 0;
  for (let i = 0; i < end; i++) {
    const s = trace.stages[i];
    const p = viewOf(s);
    if (!p) continue;
    const off = viewOffset(p, entry.meta.linkType, l2);
    for (let b = 0; b < p.data.length; b++) {
      if (p.known && !p.known.flags[b]) continue;
      const d = off + b;
      const known = !entry.known || entry.known.has(d);
      if (!known || entry.data[d] !== p.data[b]) out.push({ node: s.node, line: s.line, offset: d, entry: known ? entry.data[d] : undefined, stage: p.data[b] });
    }
  }
  return out;
}
