// The egress device's MTU on the forwarding path: ip_forward refuses a DF datagram that does not fit
// (ICMP fragmentation needed), ip_finish_output cuts the others (ip_fragment -> ip_do_fragment).
//
// Linux (torvalds/linux, v6.x):
//  - net/ipv4/ip_forward.c ip_forward: mtu = ip_dst_mtu_maybe_forward(&rt->dst, true) (the output
//    device's MTU: no route MTU metric, ip_fwd_use_pmtu 0); `if (ip_exceeds_mtu(skb, mtu))`
//    icmp_send(skb, ICMP_DEST_UNREACH, ICMP_FRAG_NEEDED, htonl(mtu)) and drop - after the TTL check,
//    before ip_decrease_ttl and the FORWARD hook. ip_exceeds_mtu: false when skb->len <= mtu or DF is
//    clear; true when IPCB(skb)->frag_max_size > mtu ("original fragment exceeds mtu and DF is set");
//    false when skb->ignore_df; else true.
//  - net/ipv4/ip_output.c __ip_finish_output: `if (skb->len > mtu || IPCB(skb)->frag_max_size)`
//    ip_fragment; ip_do_fragment: mtu = min(device MTU, frag_max_size when set); the fast path (the
//    skb's frag_list, which conntrack's defrag keeps: ip_frag_coalesce_ok is true only for local
//    delivery) when every piece fits mtu - hlen and all but the last are multiples of 8:
//    ip_fraglist_init gives the first frag_off = IP_MF, ip_fraglist_prepare each next one its offset
//    (MF unless last) - DF is not kept; else the slow path (ip_frag_init / ip_frag_next): pieces of
//    (mtu - hlen) & ~7 bytes, the last what is left; frag_off = (the datagram's own offset + this
//    piece's) >> 3, DF when IPCB flags IPSKB_FRAG_PMTU (set by ip_frag_reasm when the largest fragment
//    had DF), MF unless it is the last piece of a datagram that was itself the last; tot_len its own;
//    ip_send_check. Every piece keeps the IP id, TOS, TTL, protocol and addresses.
//  - net/ipv4/ip_options.c ip_options_fragment, applied once the first piece is built: options
//    without the copy flag (0x80: Record Route, timestamp) become NOP bytes in every later piece; the
//    header keeps its length.
// The L4 checksum is the datagram's, in the first piece only (computed over the whole; not touched).

import { setU16 } from '../../harness/wire/bytes.js';
import { internetChecksum } from '../../harness/wire/checksum.js';
import { KnownBytes } from '../../harness/wire/known.js';
import { copyKnown } from './defrag.js';
import { ETH_LEN, ipHl, ipTotalLen, IP_DF, IP_MF, IP_OFFSET, IPOPT_END, IPOPT_NOOP } from './frame.js';

const IPOPT_COPY = 0x80;

/** What ip_frag_reasm leaves in IPCB for a datagram defrag rebuilt. */
export interface Reassembled {
  /** Payload length of each fragment it was built from, in offset order (the frag_list). */
  pieces: number[];
  /** IPCB(skb)->frag_max_size: the largest fragment received, header included. */
  fragMaxSize: number;
}

export interface FramePiece { frame: Uint8Array; known?: KnownBytes }

const fragOff = (b: Uint8Array): number => (b[ETH_LEN + 6] << 8) | b[ETH_LEN + 7];

/**
 * ip_exceeds_mtu (net/ipv4/ip_forward.c). skb->ignore_df is set on exactly the datagrams conntrack's
 * defrag rebuilt (net/ipv4/netfilter/nf_defrag_ipv4.c nf_ct_ipv4_gather_frags: `if (!err)
 * skb->ignore_df = 1;`), so a rebuilt DF datagram is refused only when one of its fragments was bigger
 * than the MTU. Seen in the lab (session 11, extra phase): DF fragments of 1020+1020+68 bytes into the
 * snat namespace left sg- (MTU 1450) as 1020+1020+68 without DF; DF fragments of 1500+1500+68 were
 * answered with fragmentation needed, MTU 1450, quoting the rebuilt header (length 3028, DF).
 */
export function ipExceedsMtu(frame: Uint8Array, mtu: number, reasm: Reassembled | undefined): boolean {
  if (ipTotalLen(frame, ETH_LEN) <= mtu) return false;
  if (!(fragOff(frame) & IP_DF)) return false;
  if (reasm) return reasm.fragMaxSize > mtu;
  return true;
}

/** __ip_finish_output: whether ip_fragment runs for this datagram on a device of this MTU. */
export function needsFragment(frame: Uint8Array, mtu: number, reasm: Reassembled | undefined): boolean {
  return ipTotalLen(frame, ETH_LEN) > mtu || reasm !== undefined;
}

/**
 * ip_do_fragment: the datagram in pieces for a device of `deviceMtu`. Not seen in the lab (from the
 * source only): the slow path of a rebuilt DF datagram (DF kept in every piece), and a fragment cut
 * again (its own offset and MF carried on) in a namespace without conntrack.
 */
export function ipDoFragment(frame: Uint8Array, known: KnownBytes | undefined, deviceMtu: number, reasm: Reassembled | undefined): FramePiece[] {
  const mtu = reasm && reasm.fragMaxSize < deviceMtu ? reasm.fragMaxSize : deviceMtu;
  const hlen = ipHl(frame, ETH_LEN);
  const room = mtu - hlen;
  if (reasm && fastPathFits(reasm.pieces, room) && !(fragOff(frame) & (IP_MF | IP_OFFSET))) return cut(frame, known, reasm.pieces, false);
  const left = ipTotalLen(frame, ETH_LEN) - hlen;
  const sizes: number[] = [];
  for (let done = 0; done < left; ) {
    let len = Math.min(left - done, room);
    if (len < left - done) len &= ~7;
    sizes.push(len);
    done += len;
  }
  // IPSKB_FRAG_PMTU: ip_frag_reasm set DF on the rebuilt header because the largest fragment had it.
  return cut(frame, known, sizes, reasm !== undefined && (fragOff(frame) & IP_DF) !== 0);
}

/** The fast path's geometry check: each piece fits, every one but the last a multiple of 8 bytes. */
function fastPathFits(pieces: number[], room: number): boolean {
  return pieces.every((n, i) => n <= room && (i === pieces.length - 1 || (n & 7) === 0));
}

/** The datagram cut at these payload sizes, each piece with the header as ip_frag_next / ip_fraglist_prepare write it. */
function cut(frame: Uint8Array, known: KnownBytes | undefined, sizes: number[], df: boolean): FramePiece[] {
  const ip = ETH_LEN;
  const hdr = ETH_LEN + ipHl(frame, ip);
  const fo = fragOff(frame);
  const base = (fo & IP_OFFSET) * 8;
  const lastOfDatagram = !(fo & IP_MF);
  const header = frame.slice(0, hdr);
  const out: FramePiece[] = [];
  let offset = 0;
  sizes.forEach((n, i) => {
    const f = new Uint8Array(hdr + n);
    f.set(header);
    f.set(frame.subarray(hdr + offset, hdr + offset + n), hdr);
    setU16(f, ip + 2, hdr - ETH_LEN + n);
    const more = i < sizes.length - 1 || !lastOfDatagram;
    setU16(f, ip + 6, ((base + offset) >> 3) | (df ? IP_DF : 0) | (more ? IP_MF : 0));
    let k: KnownBytes | undefined;
    if (known) {
      k = new KnownBytes(f.length);
      copyKnown(known, 0, k, 0, hdr);
      copyKnown(known, hdr + offset, k, hdr, n);
      k.mark(ip + 2, 2); // tot_len and frag_off are this piece's own
      k.mark(ip + 6, 2);
      // The header checksum is recomputed over the header: known when every other header byte is.
      if (k.has(ip, 10) && k.has(ip + 12, hdr - ETH_LEN - 12)) k.mark(ip + 10, 2);
      else k.forget(ip + 10, 2);
    }
    // ip_send_check over the header this piece carries.
    setU16(f, ip + 10, 0);
    setU16(f, ip + 10, internetChecksum(f, ip, hdr - ETH_LEN));
    out.push({ frame: f, known: k });
    if (base + offset === 0) optionsFragment(header);
    offset += n;
  });
  return out;
}

/** ip_options_fragment: the options a later piece does not copy become NOPs (the header keeps its length). */
function optionsFragment(header: Uint8Array): void {
  let p = ETH_LEN + 20;
  const end = ETH_LEN + ipHl(header, ETH_LEN);
  while (p < end) {
    if (header[p] === IPOPT_END) return;
    if (header[p] === IPOPT_NOOP) {
      p++;
      continue;
    }
    const len = header[p + 1];
    if (len < 2 || p + len > end) return;
    if (!(header[p] & IPOPT_COPY)) header.fill(IPOPT_NOOP, p, p + len);
    p += len;
  }
}
