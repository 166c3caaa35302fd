// icmp_echo -> icmp_reply (net/ipv4/icmp.c): a router namespace answers an echo request addressed to
// one of its own addresses. Seen in the lab (lab/dvr LAB_ONLY=extra, kernel 6.18): pings to fg-'s,
// qr-'s, rfp-'s and fpr-'s addresses are answered by fip / qrouter, with TTL 64, no DF and the IP id
// of the kernel's generator.
//
// What icmp_reply takes from the request (read with the search tool, Linux net/ipv4/icmp.c):
//   inet->tos = ip_hdr(skb)->tos;            the request's TOS
//   daddr = ipc.addr = ip_hdr(skb)->saddr;   back to the sender
//   saddr = fib_compute_spec_dst(skb);       the local address the request was sent to
//   fl4.saddr = saddr; ip_route_output_key   so policy rules see that source
// icmp_echo copies the ICMP header with type ECHOREPLY (code, identifier, sequence kept) and the data;
// icmp_push_reply computes the checksum over the whole message. The icmp socket sends with
// IP_PMTUDISC_DONT (no DF) and the namespace's ip_default_ttl (the lab pins 64).

import { setU16 } from '../../harness/wire/bytes.js';
import { internetChecksum } from '../../harness/wire/checksum.js';
import { KnownBytes } from '../../harness/wire/known.js';
import { generatedIpv4Frame } from './ip-header.js';
import { ETH_LEN, PROTO_ICMP, ipDst, ipHl, ipProto, ipSrc, ipTotalLen } from './frame.js';

export const ICMP_ECHO = 8;
const ICMP_ECHOREPLY = 0;
const IP_DEFAULT_TTL = 64;

/** Whether the frame's IPv4 packet is an ICMP echo request. */
export function isEchoRequest(b: Uint8Array): boolean {
  const l4 = ETH_LEN + ipHl(b, ETH_LEN);
  return ipProto(b, ETH_LEN) === PROTO_ICMP && l4 + 8 <= ETH_LEN + ipTotalLen(b, ETH_LEN) && b[l4] === ICMP_ECHO;
}

/**
 * The echo reply a namespace sends for the request in `req` (not a reassembled one: the reply would be
 * cut by ip_append_data, not modelled - callers check), carrying `options` (ip-options.ts echoOptions,
 * built for the reply's source).
 * The Ethernet header is left to neigh_output; the IP id (and the header checksum over it) is the
 * kernel generator's, not predicted.
 */
export function buildEchoReply(req: Uint8Array, options?: Uint8Array): { frame: Uint8Array; known: KnownBytes; src: number; dst: number } {
  const ip = ETH_LEN;
  const reqL4 = ip + ipHl(req, ip);
  const msgLen = ip + ipTotalLen(req, ip) - reqL4;
  const src = ipDst(req, ip);
  const dst = ipSrc(req, ip);
  const f = generatedIpv4Frame({ tos: req[ip + 1], df: false, ttl: IP_DEFAULT_TTL, proto: PROTO_ICMP, src, dst, options }, msgLen);
  const l4 = ip + ipHl(f, ip);
  f.set(req.subarray(reqL4, reqL4 + msgLen), l4);
  f[l4] = ICMP_ECHOREPLY;
  setU16(f, l4 + 2, 0);
  setU16(f, l4 + 2, internetChecksum(f, l4, msgLen));
  const known = KnownBytes.all(f.length);
  known.forget(0, ETH_LEN); // filled by neigh_output
  known.forget(ip + 4, 2); // IP id: __ip_select_ident
  known.forget(ip + 10, 2); // header checksum covers the id
  return { frame: f, known, src, dst };
}
