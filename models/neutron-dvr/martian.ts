// The "most weird martians" ip_route_input_slow (net/ipv4/route.c) drops before any table is consulted:
//   ipv4_is_multicast(saddr) || ipv4_is_lbcast(saddr)        -> martian_source
//   ipv4_is_lbcast(daddr) || (saddr == 0 && daddr == 0)       -> brd_input (not a martian)
//   ipv4_is_zeronet(saddr) ("accept zero addresses only to limited broadcast") -> martian_source
//   ipv4_is_zeronet(daddr)                                    -> martian_destination
//   ipv4_is_loopback(daddr) / else ipv4_is_loopback(saddr), route_localnet 0 -> martian_destination / _source
// A multicast destination never gets here (ip_route_input_rcu takes it to ip_route_input_mc first).
// Seen in the lab (LAB_ONLY=extra): frames from ext-host to fg-'s MAC with source 127.0.0.1, 0.0.0.0 or
// 224.0.0.5, or destination 127.0.0.1, were dropped in fip: nothing left any of its devices.

import { LIMITED_BROADCAST } from './fib.js';

const inNet = (addr: number, first: number): boolean => addr >>> 24 === first;
const isMulticast = (addr: number): boolean => addr >>> 28 === 0xe;

/** Why ip_route_input_slow drops a packet from `src` to `dst` before routing it, or undefined. */
export function inputMartian(src: number, dst: number): string | undefined {
  if (isMulticast(dst)) return undefined;
  if (isMulticast(src) || src === LIMITED_BROADCAST) return 'martian source (multicast or limited broadcast)';
  if (dst === LIMITED_BROADCAST || (src === 0 && dst === 0)) return undefined;
  if (inNet(src, 0)) return 'martian source (0.0.0.0/8 to a unicast destination)';
  if (inNet(dst, 0)) return 'martian destination (0.0.0.0/8)';
  if (inNet(dst, 127)) return 'martian destination (loopback, route_localnet 0)';
  if (inNet(src, 127)) return 'martian source (loopback, route_localnet 0)';
  return undefined;
}
