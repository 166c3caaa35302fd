// IPv4 Record Route in a router namespace (net/ipv4/ip_options.c), the three places it acts:
//  - __ip_options_compile, run by ip_rcv_options in ip_rcv_finish once the input route is known:
//    an IPOPT_RR with a free slot (pointer <= length, pointer + 3 <= length) gets spec_dst written
//    there (fib_compute_spec_dst: the packet's destination when it is local, else the preferred
//    source of the route back to the sender) and the pointer advanced by 4 (rr_needaddr). The header
//    checksum is NOT recomputed here.
//  - ip_forward_options (ip_forward_finish, after the FORWARD hook): rr_needaddr -> the same slot
//    (&optptr[optptr[2]-5]) gets ip_rt_get_source - the output route's preferred source - and the
//    header checksum is recomputed (ip_send_check).
//  - __ip_options_echo (icmp_reply, icmp_send): the answer carries the received option as compiled;
//    when the compile step found room and the pointer is still <= length, the answer claims the next
//    slot (pointer + 4; pointer + 3 > length refuses: no answer at all) and ip_options_build writes the
//    answer's own source there (ip_rt_get_source on an output route). Padded with IPOPT_END to 32 bits.
//
// Seen in the lab (lab/dvr LAB_ONLY=extra, kernel 6.18), with the VM's 2-slot option (its stack filled
// slot 1 with 10.0.111.9, pointer 8): forwarded by qrouter out of rfp- -> slot 2 = 169.254.106.114,
// pointer 12; a 3-slot one also got fip's 172.30.89.129; an echo request to qr-'s address -> the reply
// carries [10.0.111.9, 10.0.111.1], pointer 12; TTL 1 in qrouter -> the time exceeded carries the same
// option, and its quote shows the compiled option with the stale header checksum.
//
// Not modelled (the callers say so and send nothing): options other than RR, NOP and END
// (timestamps, source routes, CIPSO...), malformed options (ICMP parameter problem).

import { setU16, setU32 } from '../../harness/wire/bytes.js';
import { internetChecksum } from '../../harness/wire/checksum.js';
import { ETH_LEN, ipHl } from './frame.js';

const IPOPT_END = 0;
const IPOPT_NOOP = 1;
const IPOPT_RR = 7;

/** The options of the frame's IPv4 header: the RR option's offset, or 'unmodelled' for any other option. */
function scanOptions(b: Uint8Array): { rr?: number } | 'unmodelled' {
  const ip = ETH_LEN;
  const end = ip + ipHl(b, ip);
  let rr: number | undefined;
  for (let i = ip + 20; i < end; ) {
    const type = b[i];
    if (type === IPOPT_END) break;
    if (type === IPOPT_NOOP) {
      i++;
      continue;
    }
    const len = b[i + 1];
    if (type !== IPOPT_RR || i + 1 >= end || len < 3 || i + len > end || rr !== undefined) return 'unmodelled';
    rr = i;
    i += len;
  }
  return { rr };
}

/** What the compile step found: the RR option, the slot it filled (rr_needaddr), options it does not model. */
export interface CompiledOptions { rr?: number; slot?: number; unmodelled?: boolean }

/**
 * __ip_options_compile at receive: fill the RR option's free slot with `specDst` and advance the
 * pointer (header checksum untouched). Options the model does not handle are left as they are.
 */
export function compileOptions(b: Uint8Array, specDst: number): CompiledOptions {
  const s = scanOptions(b);
  if (s === 'unmodelled') return { unmodelled: true };
  if (s.rr === undefined) return {};
  const len = b[s.rr + 1];
  const ptr = b[s.rr + 2];
  if (ptr < 4 || (ptr <= len && ptr + 3 > len)) return { unmodelled: true }; // parameter problem
  if (ptr > len) return { rr: s.rr }; // full
  setU32(b, s.rr + ptr - 1, specDst);
  b[s.rr + 2] = ptr + 4;
  return { rr: s.rr, slot: s.rr + ptr - 1 };
}

/** ip_forward_options: the compiled slot gets the output route's source; the header checksum is recomputed. */
export function forwardOptions(b: Uint8Array, compiled: CompiledOptions, source: number): boolean {
  if (compiled.slot === undefined) return false;
  setU32(b, compiled.slot, source);
  const ip = ETH_LEN;
  setU16(b, ip + 10, 0);
  setU16(b, ip + 10, internetChecksum(b, ip, ipHl(b, ip)));
  return true;
}

/**
 * __ip_options_echo + ip_options_build: the options of an answer to the (compiled) packet `b`, sent
 * from `answerSource`. Empty when `b` had no RR option; undefined when the echo refuses (no answer)
 * or the options are not modelled (the caller sends nothing and says so).
 */
export function echoOptions(b: Uint8Array, compiled: CompiledOptions, answerSource: number): Uint8Array | undefined {
  if (compiled.unmodelled) return undefined;
  if (compiled.rr === undefined) return new Uint8Array(0);
  const len = b[compiled.rr + 1];
  const ptr = b[compiled.rr + 2];
  const out = new Uint8Array((len + 3) & ~3); // IPOPT_END padding
  out.set(b.subarray(compiled.rr, compiled.rr + len));
  if (compiled.slot !== undefined && ptr <= len) {
    if (ptr + 3 > len) return undefined;
    out[2] = ptr + 4;
    setU32(out, ptr - 1, answerSource);
  }
  return out;
}
