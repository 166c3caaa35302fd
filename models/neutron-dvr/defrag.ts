// IPv4 fragments in a namespace that runs conntrack: nf_defrag_ipv4 reassembles them at PREROUTING
// (before conntrack, priority NF_IP_PRI_CONNTRACK_DEFRAG) so conntrack and NAT see one whole datagram;
// on output ip_fragment cuts it again (fragment.ts: along the fragments it was built from when they
// fit the device, ip_do_fragment's fast path over the reassembled skb's frag_list). A namespace
// without conntrack forwards each fragment as it is.
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
//  - frag_max_size: the largest fragment received (header included), which ip_forward and ip_fragment
//    hold against the output device's MTU (fragment.ts).
// Not modelled: the ECN bits merged into the TOS, the 30 s queue timeout.

import { setU16 } from '../../harness/wire/bytes.js';
import { internetChecksum } from '../../harness/wire/checksum.js';
import { KnownBytes } from '../../harness/wire/known.js';
import { ETH_LEN, ipDst, ipHl, ipProto, ipSrc, ipTotalLen, IP_DF, IP_MF, IP_OFFSET } from './frame.js';


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
  /** The whole datagram, and the payload length of each fragment in offset order (for ip_do_fragment, fragment.ts). */
  | { kind: 'complete'; frame: Uint8Array; known?: KnownBytes; pieces: number[]; maxSize: number };

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
    // frag_max_size = max(max_df_size, max_size), and max_df_size never exceeds max_size.
    return { kind: 'complete', ...reassemble(q), pieces: q.pieces.map((p) => payloadLen(p.frame)), maxSize: q.maxSize };
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

export function copyKnown(from: KnownBytes | undefined, fromOff: number, to: KnownBytes, toOff: number, n: number): void {
  for (let i = 0; i < n; i++) if (!from || from.has(fromOff + i)) to.mark(toOff + i, 1);
}
