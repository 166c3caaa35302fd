// IPv4 options in a router namespace (net/ipv4/ip_options.c). Record Route, in the three places it acts:
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
// Malformed options (__ip_options_compile's `goto error`): ip_options_compile answers ICMP parameter
// problem (type 12 code 0) with the pointer to the bad byte, counted from the IP header's first byte
// (info = htonl((pp_ptr - iph) << 24)), and ip_rcv_options drops the packet. Seen in the lab
// (LAB_ONLY=extra, kernel 6.18): an RR option of length 2 -> pointer 21 (its length byte), an option
// longer than the rest of the header -> pointer 20 (its type byte), an RR pointer of 3 -> 22; the
// error came from the router (10.0.111.1 in qrouter, forwarded or local; 172.30.89.129 in fip), quoting
// the packet as received, with no options of its own. A byte after End of Options that is not End is
// set to End (is_changed: the header checksum is recomputed when forwarded, ip_forward_options): seen
// too, "00 01 00 00" left qrouter as "00 00 00 00".
//
// Not modelled (the callers say so and send nothing): source routes, timestamps, router alert and
// CIPSO, whose compile steps have checks and effects of their own. Every other type (unknown ones,
// security/stream id) only has its length checked at receive (the `default:` case) and is not echoed.

import { setU16, setU32 } from '../../harness/wire/bytes.js';
import { internetChecksum } from '../../harness/wire/checksum.js';
import { ETH_LEN, ipHl, IPOPT_END, IPOPT_NOOP } from './frame.js';

const IPOPT_RR = 7;
/** Types whose compile step the model does not reproduce: LSRR, SSRR, TIMESTAMP, RA, CIPSO. */
const UNMODELLED_TYPES = new Set([0x83, 0x89, 0x44, 0x94, 0x86]);

/**
 * What the compile step found: the RR option, the slot it filled (rr_needaddr), bytes it rewrote
 * (is_changed), the parameter problem pointer of a malformed option, options it does not model.
 */
export interface CompiledOptions { rr?: number; slot?: number; changed?: boolean; problem?: number; unmodelled?: boolean }

/**
 * __ip_options_compile at receive, on the frame's IPv4 options in order: an RR with a free slot gets
 * `specDst` there and its pointer advanced (header checksum untouched); after End every byte becomes
 * End. A malformed option stops it with `problem` (what was written before stays, as in the skb).
 * With an option the model does not handle the frame is left as it was.
 */
export function compileOptions(b: Uint8Array, specDst: number): CompiledOptions {
  const ip = ETH_LEN;
  const work = b.slice();
  const c: CompiledOptions = {};
  const stop = (at: number): CompiledOptions => {
    b.set(work);
    return { ...c, problem: at - ip };
  };
  let i = ip + 20;
  for (let l = ipHl(b, ip) - 20; l > 0; ) {
    const type = work[i];
    if (type === IPOPT_END) {
      for (i++, l--; l > 0; i++, l--) {
        if (work[i] !== IPOPT_END) {
          work[i] = IPOPT_END;
          c.changed = true;
        }
      }
      break;
    }
    if (type === IPOPT_NOOP) {
      i++;
      l--;
      continue;
    }
    if (l < 2) return stop(i);
    const len = work[i + 1];
    if (len < 2 || len > l) return stop(i);
    if (UNMODELLED_TYPES.has(type)) return { unmodelled: true };
    if (type === IPOPT_RR) {
      if (c.rr !== undefined) return stop(i);
      if (len < 3) return stop(i + 1);
      const ptr = work[i + 2];
      if (ptr < 4) return stop(i + 2);
      if (ptr <= len) {
        if (ptr + 3 > len) return stop(i + 2);
        setU32(work, i + ptr - 1, specDst);
        work[i + 2] = ptr + 4;
        c.slot = i + ptr - 1;
      }
      c.rr = i;
    }
    l -= len;
    i += len;
  }
  b.set(work);
  return c;
}

/**
 * ip_forward_options: the compiled slot gets the output route's source; after any change (that, or the
 * compile step's End padding) the header checksum is recomputed.
 */
export function forwardOptions(b: Uint8Array, compiled: CompiledOptions, source: number): boolean {
  if (compiled.slot === undefined && !compiled.changed) return false;
  if (compiled.slot !== undefined) setU32(b, compiled.slot, source);
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
