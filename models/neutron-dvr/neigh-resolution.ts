// Address resolution in progress (NUD_INCOMPLETE): the packets waiting for it and the probes sent,
// with the ARP table's defaults (net/ipv4/arp.c arp_tbl: mcast_probes 3, ucast_probes 3, app_probes 0,
// retrans_time 1 s). The lab pins none of them, so the scenario has no key for them.
//
// net/core/neighbour.c: __neigh_event_send sets probes = ucast_probes and probes once at once;
// neigh_timer_handler probes again every retrans_time while probes < neigh_max_probes
// (= ucast + app + mcast_probes), then marks the entry FAILED: 3 broadcast requests, 1 s apart, and
// the failure 1 s after the last.

import type { KnownBytes } from '../../harness/wire/known.js';
import type { CtLookup } from './conntrack.js';
import type { Timer } from './timers.js';

export const NEIGH_UCAST_PROBES = 3;
const NEIGH_APP_PROBES = 0;
const NEIGH_MCAST_PROBES = 3;
/** neigh_max_probes for an INCOMPLETE entry. */
export const NEIGH_MAX_PROBES = NEIGH_UCAST_PROBES + NEIGH_APP_PROBES + NEIGH_MCAST_PROBES;
/** retrans_time: 1 * HZ. */
export const NEIGH_RETRANS_NS = 1_000_000_000n;

/** A packet on the arp_queue, with the connection it belongs to (an error about it joins it). */
export interface QueuedPacket {
  frame: Uint8Array;
  known?: KnownBytes;
  ct?: CtLookup;
}

export interface Resolution {
  dev: string;
  ip: number;
  /**
   * The arp_queue, oldest first. unres_qlen_bytes (212992 in the lab) is not modelled: __neigh_event_send
   * drops the oldest while the queue's skb->truesize sum would pass it, and truesize depends on how the
   * sender allocated the skb, which a frame does not show. A one-off lab run (300 small UDP datagrams from
   * VM2's socket to an address nobody has, queued in snat) kept the newest 256: truesize 829-832 there.
   */
  queue: QueuedPacket[];
  /** The entry's probe count: starts at ucast_probes, +1 per request sent. */
  probes: number;
  /** The retransmit/failure timer; undefined while the model has no clock (inputs without timestamps). */
  timer?: Timer;
}
