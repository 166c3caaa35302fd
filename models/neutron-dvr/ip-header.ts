// The Ethernet type and IPv4 header of a packet a namespace generates itself (an ICMP or TCP answer):
// 20 bytes plus the options it carries (ip-options.ts echoOptions), version 4; the MACs are left to
// neigh_output. Callers say which IP id the
// kernel uses (0 for the TCP control socket's DF packets; otherwise the hashed generator's value,
// which they mark unknown).

import { setU16, setU32 } from '../../harness/wire/bytes.js';
import { internetChecksum } from '../../harness/wire/checksum.js';
import { ETHERTYPE_IPV4, ETH_LEN, IP_DF } from './frame.js';

export interface GeneratedIpv4 { tos: number; df: boolean; ttl: number; proto: number; src: number; dst: number; options?: Uint8Array }

/**
 * A frame for an IP packet with `payloadLen` bytes after the header, the header (and options) written
 * and its checksum computed; the payload, at ETH_LEN + 20 + options, is left zero for the caller.
 */
export function generatedIpv4Frame(h: GeneratedIpv4, payloadLen: number): Uint8Array {
  const ip = ETH_LEN;
  const opts = h.options ?? new Uint8Array(0);
  const hl = 20 + opts.length;
  const f = new Uint8Array(ETH_LEN + hl + payloadLen);
  setU16(f, 12, ETHERTYPE_IPV4);
  f[ip] = 0x40 | (hl >> 2);
  f[ip + 1] = h.tos;
  setU16(f, ip + 2, hl + payloadLen);
  if (h.df) setU16(f, ip + 6, IP_DF);
  f[ip + 8] = h.ttl;
  f[ip + 9] = h.proto;
  setU32(f, ip + 12, h.src);
  setU32(f, ip + 16, h.dst);
  f.set(opts, ip + 20);
  setU16(f, ip + 10, internetChecksum(f, ip, hl));
  return f;
}
