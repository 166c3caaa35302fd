// TCP and UDP addressed to a router namespace itself. The L3 agent opens no sockets in qrouter, fip or
// snat namespaces of this scenario (the lab starts none there either), so every such segment or
// datagram finds no socket, and Linux answers the way it answers a closed port:
//  - UDP (__udp4_lib_rcv): icmp_send(ICMP_DEST_UNREACH, ICMP_PORT_UNREACH) - built by the dataplane's
//    icmp_send, from the address the datagram was sent to;
//  - TCP (tcp_v4_rcv -> no_tcp_socket -> tcp_v4_send_reset): a RST from the address and port the
//    segment was sent to; to a segment with ACK, seq = its ack_seq and no ACK flag; otherwise seq 0,
//    ACK, ack_seq = seq + SYN + FIN + payload length; doff 5, window 0. Sent by ip_send_unicast_reply
//    on the per-netns TCP control socket: DF set, IP id 0 (ip_select_ident: DF and a socket with no
//    peer address), TTL ip_default_ttl (64 in the lab), TOS the segment's without the ECN bits.
//    A RST is never answered.
// Both check the L4 checksum first and drop a segment/datagram whose checksum is wrong (UDP checksum
// 0 means none; l4-checksum.ts).
//
// Seen in the lab (lab/dvr LAB_ONLY=extra, kernel 6.18): UDP to qr-'s, fg-'s and qg-'s addresses
// got port unreachable from those addresses; TCP SYNs to qr-'s and qg-'s addresses got RST+ACK
// (seq 0, ack = SYN's seq + 1, id 0, DF, TTL 64). Only TOS 0 was sent.

import { setU16, setU32, u16, u32 } from '../../harness/wire/bytes.js';
import { internetChecksum, pseudoHeaderSum4 } from '../../harness/wire/checksum.js';
import { KnownBytes } from '../../harness/wire/known.js';
import { generatedIpv4Frame } from './ip-header.js';
import { ETH_LEN, PROTO_TCP, ipDst, ipHl, ipSrc, ipTotalLen } from './frame.js';

const TCP_FIN = 0x01;
const TCP_SYN = 0x02;
const TCP_RST = 0x04;
const TCP_ACK = 0x10;
const IP_DEFAULT_TTL = 64;
const INET_ECN_MASK = 0x03;

/**
 * tcp_v4_send_reset's answer to `seg` (undefined for a RST: never answered), carrying `options`
 * (ip_send_unicast_reply echoes the segment's options: ip-options.ts echoOptions).
 */
export function buildTcpReset(seg: Uint8Array, options?: Uint8Array): { frame: Uint8Array; known: KnownBytes; src: number; dst: number } | undefined {
  const ip = ETH_LEN;
  const th = ip + ipHl(seg, ip);
  const flags = seg[th + 13];
  if (flags & TCP_RST) return undefined;
  const payload = ip + ipTotalLen(seg, ip) - th - (seg[th + 12] >> 4) * 4;
  const src = ipDst(seg, ip);
  const dst = ipSrc(seg, ip);
  // DF, IP id 0
  const f = generatedIpv4Frame({ tos: seg[ip + 1] & ~INET_ECN_MASK, df: true, ttl: IP_DEFAULT_TTL, proto: PROTO_TCP, src, dst, options }, 20);
  const t = ip + ipHl(f, ip);
  setU16(f, t, u16(seg, th + 2));
  setU16(f, t + 2, u16(seg, th));
  if (flags & TCP_ACK) {
    setU32(f, t + 4, u32(seg, th + 8));
    f[t + 13] = TCP_RST;
  } else {
    const consumed = (flags & TCP_SYN ? 1 : 0) + (flags & TCP_FIN ? 1 : 0) + payload;
    setU32(f, t + 8, (u32(seg, th + 4) + consumed) >>> 0);
    f[t + 13] = TCP_RST | TCP_ACK;
  }
  f[t + 12] = 5 << 4;
  setU16(f, t + 16, internetChecksum(f, t, 20, pseudoHeaderSum4(f, ip + 12, ip + 16, PROTO_TCP, 20)));
  const known = KnownBytes.all(f.length);
  known.forget(0, ETH_LEN); // filled by neigh_output
  return { frame: f, known, src, dst };
}
