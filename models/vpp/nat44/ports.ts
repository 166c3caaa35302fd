// Dynamic NAT44 port choice (vpp-facts §8.6): snat_random_port and the per-thread port range.

import type { NatRandom } from './random.js';

/** random_u32_max() in vppinfra. */
const RANDOM_U32_MAX = 0xffffffff;

/** Ports each worker owns; 65535 - 1024 for the 1024 reserved ports. */
export const PORT_PER_THREAD = 64511;

/** snat_random_port(lo, hi) for one draw r: lo + r / (RANDOM_U32_MAX / (hi - lo + 1) + 1), integer maths. */
export function randomPortFromDraw(lo: number, hi: number, r: number): number {
  return lo + Math.floor(r / (Math.floor(RANDOM_U32_MAX / (hi - lo + 1)) + 1));
}

/** One candidate dynamic port for `thread` (0 = vpp_main on a single-thread VPP). Consumes one draw. */
export function candidatePort(random: NatRandom, thread = 0): number {
  return PORT_PER_THREAD * thread + randomPortFromDraw(1, PORT_PER_THREAD, random.next()) + 1024;
}
