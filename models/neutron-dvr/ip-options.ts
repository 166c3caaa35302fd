// IPv4 Record Route on a forwarded packet (net/ipv4/ip_options.c): __ip_options_compile, run at
// ip_rcv_finish once the route is known, finds IPOPT_RR with a free slot (pointer <= length and
// pointer + 3 <= length), fills it and advances the pointer by 4 (rr_needaddr); ip_forward_options
// (ip_forward_finish, after the FORWARD hook) then writes ip_rt_get_source(&optptr[optptr[2]-5]) -
// the output route's preferred source - into that same slot and recomputes the header checksum
// (ip_send_check). A full option (pointer > length) is left alone.
//
// Seen in the lab (lab/dvr LAB_ONLY=extra, kernel 6.18): the VM's UDP datagram with a 2-slot RR option
// (its own stack filled slot 1 with 10.0.111.9, pointer 8) left qrouter's rfp- with slot 2 =
// 169.254.106.114 (rfp-'s address, the table-16 route's source) and pointer 12; fip, finding the
// option full, forwarded it unchanged.
//
// Not modelled: the slot the compile step fills for a packet that is then delivered locally or
// dropped (TTL expired: the ICMP quote would show it), malformed options (ICMP parameter problem),
// timestamps and source routes; icmp_send / icmp_reply echoing options.

import { setU16, setU32 } from '../../harness/wire/bytes.js';
import { internetChecksum } from '../../harness/wire/checksum.js';
import { ETH_LEN, ipHl } from './frame.js';

const IPOPT_END = 0;
const IPOPT_NOOP = 1;
const IPOPT_RR = 7;

/** Offset of the frame's IPOPT_RR option, or undefined (no options, none, or malformed). */
function findRecordRoute(b: Uint8Array): number | undefined {
  const ip = ETH_LEN;
  const end = ip + ipHl(b, ip);
  for (let i = ip + 20; i < end; ) {
    const type = b[i];
    if (type === IPOPT_END) return undefined;
    if (type === IPOPT_NOOP) {
      i++;
      continue;
    }
    const len = b[i + 1];
    if (i + 1 >= end || len < 2 || i + len > end) return undefined;
    if (type === IPOPT_RR) return i;
    i += len;
  }
  return undefined;
}

/**
 * ip_forward_options for Record Route: write `source` (the output route's preferred source) into the
 * next free slot, advance the pointer, recompute the header checksum. Returns the slot's offset in the
 * option when written, undefined when there was no RR option with room.
 */
export function recordRouteOnForward(b: Uint8Array, source: number): number | undefined {
  const opt = findRecordRoute(b);
  if (opt === undefined) return undefined;
  const len = b[opt + 1];
  const ptr = b[opt + 2];
  if (len < 3 || ptr < 4 || ptr > len || ptr + 3 > len) return undefined;
  setU32(b, opt + ptr - 1, source);
  b[opt + 2] = ptr + 4;
  const ip = ETH_LEN;
  setU16(b, ip + 10, 0);
  setU16(b, ip + 10, internetChecksum(b, ip, ipHl(b, ip)));
  return ptr - 1;
}
