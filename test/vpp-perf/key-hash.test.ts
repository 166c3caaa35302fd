// keyHash places the keys of real traffic as evenly as random placement would: connection keys
// (the NAT44 ED and ACL session keys) differ in several words at once - a client address and
// port, a backend - and a hash that lets such differences cancel would pile them into a few home
// slots, lengthening every probe of the session hashes.

import { describe, expect, it } from 'vitest';
import { keyHash } from '../../models/vpp/record-index.js';

const SLOTS = 1 << 15;
const KEYS = 10_000;

/** Distinct home slots of the keys and the longest linear-probe run they make in SLOTS slots. */
function placement(keys: Array<[number, number, number, number]>): { homes: number; longestRun: number } {
  const used = new Uint8Array(SLOTS);
  const homes = new Set<number>();
  let longestRun = 0;
  for (const [a, b, c, d] of keys) {
    const h = keyHash(a, b, c, d);
    expect(h).not.toBe(0);
    homes.add(h & (SLOTS - 1));
    let i = h & (SLOTS - 1);
    let run = 1;
    while (used[i]) {
      i = (i + 1) & (SLOTS - 1);
      run++;
    }
    used[i] = 1;
    longestRun = Math.max(longestRun, run);
  }
  return { homes: homes.size, longestRun };
}

/** Distinct home slots KEYS random keys would take: SLOTS * (1 - e^(-KEYS/SLOTS)) ~ 8,625. */
const RANDOM_HOMES = SLOTS * (1 - Math.exp(-KEYS / SLOTS));

// A small deterministic generator, so that a failure names the same keys every run.
function lcg(seed: number): () => number {
  let x = seed;
  return () => (x = (Math.imul(x, 1103515245) + 12345) | 0) >>> 0;
}

describe('keyHash placement', () => {
  it.each([
    [
      'ED out2in keys: clients of a /16 with ephemeral ports to one VIP',
      (n: number, r: () => number): [number, number, number, number] => [0x0a68dd55, 0x0a010000 | (r() & 0xffff), (6 << 24) | 0, ((80 << 16) | (32768 + (n % 28232))) | 0],
    ],
    [
      'ED in2out keys: a client address and port stepping together',
      (n: number): [number, number, number, number] => [0x0a010105, 0x0a010000 + (n >> 4), (6 << 24) | 0, ((8080 << 16) | (1024 + n)) | 0],
    ],
    ['sequential words in every position', (n: number): [number, number, number, number] => [n, n, n, n]],
  ])('%s: as many home slots as random placement, short probe runs', (_name, key) => {
    const r = lcg(7);
    const keys = Array.from({ length: KEYS }, (_, n) => key(n, r));
    const { homes, longestRun } = placement(keys);
    expect(homes).toBeGreaterThan(RANDOM_HOMES * 0.97);
    // Random placement at this load (0.3) gives runs of ~10 at most.
    expect(longestRun).toBeLessThan(24);
  });
});
