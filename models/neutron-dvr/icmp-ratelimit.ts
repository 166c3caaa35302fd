// ICMP error rate limiting, per namespace, on the capture clock.
//
// net/ipv4/icmp.c __icmp_send: icmpv4_global_allow, then (after the route lookup) icmpv4_xrlim_allow
// -> inet_getpeer_v4(net->ipv4.peers, fl4->daddr) -> net/ipv4/inetpeer.c inet_peer_xrlim_allow: a token
// bucket per destination (the offending packet's source) in jiffies: + the time since the last error,
// capped at XRLIM_BURST_FACTOR (6) * icmp_ratelimit; an error costs icmp_ratelimit (1 * HZ, icmp_sk_init).
// A new peer starts with rate_last = jiffies - 60*HZ ("chosen enough high so that the first calculation of
// tokens is at its maximum"): 6 errors at once, then one per second. Only the types in icmp_ratemask
// (0x1818: dest unreachable, source quench, time exceeded, parameter problem) are limited
// (icmpv4_mask_allow; never fragmentation needed); echo and timestamp replies are not. Nor is an error
// routed out of lo ("No rate limit on loopback": to one of the namespace's own addresses; the caller
// checks the route).
//
// Not modelled: the global limit (icmp_global_allow / icmp_global_consume: a per-namespace credit of
// icmp_msgs_burst, refilled at icmp_msgs_per_sec, each error taking a random 0-2 credits). The model
// assumes it never refuses; it can only refuse a burst of many errors at once from one namespace (to
// several destinations, or to a local address, which the per-peer bucket does not limit), and how many
// pass is random (a one-off lab run: 32 host unreachables of 256 queued datagrams, all in one instant). The kernel counts in jiffies, the model in ns: an
// error within one jiffy of a token's refill may go either way. The lab pins none of these sysctls, so
// the scenario has no key for them.

const ICMP_RATEMASK = 0x1818;
const NR_ICMP_TYPES = 18;
const ICMP_DEST_UNREACH = 3;
const ICMP_FRAG_NEEDED = 4;
/** icmp_ratelimit: 1 * HZ, as ns. */
export const ICMP_RATELIMIT_NS = 1_000_000_000n;
const XRLIM_BURST_FACTOR = 6n;
/** inet_getpeer: rate_last = jiffies - 60*HZ for a new peer. */
const NEW_PEER_AGE_NS = 60n * 1_000_000_000n;

/** icmpv4_mask_allow, negated: is an error of this type/code subject to the per-destination limit? */
export function icmpRateLimited(type: number, code: number): boolean {
  if (type > NR_ICMP_TYPES) return false;
  if (type === ICMP_DEST_UNREACH && code === ICMP_FRAG_NEEDED) return false;
  return ((1 << type) & ICMP_RATEMASK) !== 0;
}

/** A namespace's inet_peer rate buckets (net->ipv4.peers), by destination address. */
export class IcmpPeerLimits {
  private readonly peers = new Map<number, { tokens: bigint; last: bigint }>();

  /**
   * inet_peer_xrlim_allow for an error to `daddr` at `now` (capture time, ns). Without a clock (an input
   * without a timestamp) every error is allowed and nothing is counted, as before the model had one.
   */
  allow(daddr: number, now: bigint | undefined): boolean {
    if (now === undefined) return true;
    let p = this.peers.get(daddr);
    if (!p) {
      p = { tokens: 0n, last: now - NEW_PEER_AGE_NS };
      this.peers.set(daddr, p);
    }
    let tokens = p.tokens + (now > p.last ? now - p.last : 0n);
    p.last = now > p.last ? now : p.last;
    if (tokens > XRLIM_BURST_FACTOR * ICMP_RATELIMIT_NS) tokens = XRLIM_BURST_FACTOR * ICMP_RATELIMIT_NS;
    const ok = tokens >= ICMP_RATELIMIT_NS;
    p.tokens = ok ? tokens - ICMP_RATELIMIT_NS : tokens;
    return ok;
  }
}
