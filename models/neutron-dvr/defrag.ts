// IPv4 fragments in a namespace that runs conntrack: nf_defrag_ipv4 reassembles them at PREROUTING
// (before conntrack, priority NF_IP_PRI_CONNTRACK_DEFRAG) so conntrack and NAT see one whole datagram;
// on output ip_fragment cuts it again along the fragments it was built from (ip_do_fragment's fast
// path over the reassembled skb's frag_list). A namespace without conntrack forwards each fragment
// as it is.
//
// Seen in the lab (lab/dvr LAB_ONLY=extra, kernel 6.18): a 3000-byte UDP datagram sent as fragments
// of 1480+1480+48 payload bytes through qrouter (float SNAT), qrouter (DNAT) and the snat namespace
// (central SNAT) leaves as 1480+1480+48 again, with the NATed addresses in every fragment, the UDP
// checksum updated in the first fragment only, and the later fragments' payload untouched (the model
// had NATed each fragment on its own, reading payload bytes as ports).
//
// Linux (net/ipv4/ip_fragment.c ip_frag_queue / ip_frag_reasm; net/ipv4/ip_output.c ip_fraglist_init /
// ip_fraglist_prepare), the parts modelled:
//  - queue key: source, destination, protocol, IP id; complete when the offset-0 fragment, the last
//    one (MF clear) and every byte between are there; an overlap discards the whole queue
//    (RFC 5722, "ip: discard IPv4 datagrams with overlapping segments");
//  - reassembled header: the offset-0 fragment's, tot_len of the whole, frag_off DF when the largest
//    fragment seen carried DF (max_df_size == max_size), else 0;
//  - refragmenting: each piece gets the (NATed, TTL-decremented) reassembled header; frag_off = its
//    offset / 8, MF on all but the last; tot_len its own; header checksum recomputed (ip_send_check).
// Not modelled: the ECN bits merged into the TOS, ip_options_fragment for headers with options, the
// 30 s queue timeout, fragments that arrive out of order being re-cut (the pieces keep their sizes).

import { setU16 } from '../../harness/wire/bytes.js';
import { internetChecksum } from '../../harness/wire/checksum.js';
import { KnownBytes } from '../../harness/wire/known.js';
import { ETH_LEN, ipDst, ipHl, ipProto, ipSrc, ipTotalLen } from './frame.js';

const IP_DF = 0x4000;
const IP_MF = 0x2000;
const IP_OFFSET = 0x1fff;

const fragOff = (b: Uint8Array): number => (b[ETH_LEN + 6] << 8) | b[ETH_LEN + 7];

/** Whether the frame's IPv4 packet is a fragment (MF set or a non-zero offset). */
export function isFragment(b: Uint8Array): boolean {
  return (fragOff(b) & (IP_MF | IP_OFFSET)) !== 0;
}

interface Piece { offset: number; frame: Uint8Array; known?: KnownBytes }

interface Queue { pieces: Piece[]; end?: number; maxSize: number; maxDfSize: number }

export type DefragResult =
  | { kind: 'queued'; offset: number; have: number }
  | { kind: 'overlap' }
  /** The whole datagram, and the payload length of each fragment in offset order (for refragment). */
  | { kind: 'complete'; frame: Uint8Array; known?: KnownBytes; pieces: number[] };

/** A namespace's reassembly queues (ipv4 frags of the conntrack-defrag user). */
export class DefragQueues {
  private readonly queues = new Map<string, Queue>();

  add(frame: Uint8Array, known: KnownBytes | undefined): DefragResult {
    const ip = ETH_LEN;
    const key = `${ipSrc(frame, ip)}>${ipDst(frame, ip)}/${ipProto(frame, ip)}#${(frame[ip + 4] << 8) | frame[ip + 5]}`;
    const q = this.queues.get(key) ?? { pieces: [], maxSize: 0, maxDfSize: 0 };
    this.queues.set(key, q);
    const fo = fragOff(frame);
    const offset = (fo & IP_OFFSET) * 8;
    const len = ipTotalLen(frame, ip) - ipHl(frame, ip);
    if (q.pieces.some((p) => offset < p.offset + payloadLen(p.frame) && p.offset < offset + len)) {
      this.queues.delete(key);
      return { kind: 'overlap' };
    }
    const size = ipTotalLen(frame, ip);
    if (size > q.maxSize) q.maxSize = size;
    if (fo & IP_DF && q.maxSize > q.maxDfSize) q.maxDfSize = q.maxSize;
    if (!(fo & IP_MF)) q.end = offset + len;
    q.pieces.push({ offset, frame, known });
    q.pieces.sort((a, b) => a.offset - b.offset);
    let have = 0;
    for (const p of q.pieces) if (p.offset === have) have += payloadLen(p.frame);
    if (q.end === undefined || have !== q.end) return { kind: 'queued', offset, have };
    this.queues.delete(key);
    return { kind: 'complete', ...reassemble(q), pieces: q.pieces.map((p) => payloadLen(p.frame)) };
  }
}

function payloadLen(b: Uint8Array): number {
  return ipTotalLen(b, ETH_LEN) - ipHl(b, ETH_LEN);
}

/** ip_frag_reasm: the offset-0 fragment's Ethernet + IP header, then every payload in order. */
function reassemble(q: Queue): { frame: Uint8Array; known?: KnownBytes } {
  const head = q.pieces[0].frame;
  const hdr = ETH_LEN + ipHl(head, ETH_LEN);
  const total = q.end!;
  const f = new Uint8Array(hdr + total);
  f.set(head.subarray(0, hdr));
  const anyUnknown = q.pieces.some((p) => p.known && !p.known.isComplete());
  const known = anyUnknown ? new KnownBytes(f.length) : undefined;
  if (known) copyKnown(q.pieces[0].known, 0, known, 0, hdr);
  for (const p of q.pieces) {
    const ph = ETH_LEN + ipHl(p.frame, ETH_LEN);
    const n = payloadLen(p.frame);
    f.set(p.frame.subarray(ph, ph + n), hdr + p.offset);
    if (known) copyKnown(p.known, ph, known, hdr + p.offset, n);
  }
  const ip = ETH_LEN;
  setU16(f, ip + 2, total + hdr - ETH_LEN);
  setU16(f, ip + 6, q.maxDfSize === q.maxSize ? IP_DF : 0);
  setU16(f, ip + 10, 0);
  setU16(f, ip + 10, internetChecksum(f, ip, hdr - ETH_LEN));
  return { frame: f, known };
}

function copyKnown(from: KnownBytes | undefined, fromOff: number, to: KnownBytes, toOff: number, n: number): void {
  for (let i = 0; i < n; i++) if (!from || from.has(fromOff + i)) to.mark(toOff + i, 1);
}

/**
 * ip_do_fragment's fast path: the datagram cut back into the pieces it was reassembled from, each
 * with the datagram's current header (frag_off, tot_len and checksum its own).
 */
export function refragment(frame: Uint8Array, known: KnownBytes | undefined, pieces: number[]): { frame: Uint8Array; known?: KnownBytes }[] {
  const ip = ETH_LEN;
  const hdr = ETH_LEN + ipHl(frame, ip);
  const out: { frame: Uint8Array; known?: KnownBytes }[] = [];
  let offset = 0;
  pieces.forEach((n, i) => {
    const f = new Uint8Array(hdr + n);
    f.set(frame.subarray(0, hdr));
    f.set(frame.subarray(hdr + offset, hdr + offset + n), hdr);
    setU16(f, ip + 2, hdr - ETH_LEN + n);
    setU16(f, ip + 6, (offset >> 3) | (i < pieces.length - 1 ? IP_MF : 0));
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
    offset += n;
  });
  return out;
}
