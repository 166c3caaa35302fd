// Backend choice of a load-balanced static mapping (vpp-facts §8.5). The running probability sum
// is stored in a u8, so a set of probabilities summing past 255 wraps - a quirk traces can show.

import type { NatRandom } from './random.js';

/** prefix[i] = (p0 + ... + pi) mod 256. */
export function lbPrefixes(probabilities: readonly number[]): number[] {
  const out: number[] = [];
  let sum = 0;
  for (const p of probabilities) {
    sum = (sum + p) & 0xff;
    out.push(sum);
  }
  return out;
}

/**
 * The backend for one draw: rand = 1 + draw mod prefix[last], then a binary search for the first
 * prefix >= rand. Returns -1 when the search lands on a prefix below rand (possible only after a
 * wrap) or when prefix[last] is 0: VPP divides by it (SIGFPE, it exits), and buildNat44 refuses
 * such a mapping, so that guard only keeps this function total.
 */
export function pickBackendFromDraw(prefixes: readonly number[], draw: number): number {
  const last = prefixes.length - 1;
  if (last < 0 || prefixes[last] === 0) return -1;
  // Both operands as u32, so the remainder is an integer division (a draw above 2^31 would
  // otherwise be a double and take the floating-point remainder, same value, far slower).
  const rand = 1 + ((draw >>> 0) % (prefixes[last] >>> 0));
  let lo = 0;
  let hi = last;
  while (lo < hi) {
    const mid = lo + ((hi - lo) >> 1);
    if (rand > prefixes[mid]) lo = mid + 1;
    else hi = mid;
  }
  return prefixes[lo] < rand ? -1 : lo;
}

/** One LB pick; consumes one draw of the shared NAT generator. */
export function pickBackend(prefixes: readonly number[], random: NatRandom): number {
  return pickBackendFromDraw(prefixes, random.next());
}
