// `dpconform diff` on large captures: a progress bar on a TTY stderr (reading, then comparing), never
// under CI=true or when stderr is not a TTY; and the matching it reports on stays O(n log n).

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inOrder } from '../../harness/diff/packet-match.js';
import { progressBar } from '../../harness/report/progress.js';
import { cli } from '../harness/cli.js';
import { FIXTURES } from '../harness/helpers.js';
import { pcap } from '../harness/pcap-bytes.js';

/** The O(n^2) dynamic programme inOrder replaced: earliest longest increasing run. */
function inOrderQuadratic(b: number[]): boolean[] {
  const n = b.length;
  const run = new Array<number>(n).fill(1);
  for (let i = n - 1; i >= 0; i--) for (let j = i + 1; j < n; j++) if (b[j] > b[i]) run[i] = Math.max(run[i], run[j] + 1);
  const keep = new Array<boolean>(n).fill(false);
  let need = Math.max(0, ...run);
  let last = -Infinity;
  for (let i = 0; i < n && need > 0; i++) if (run[i] === need && b[i] > last) (keep[i] = true), (last = b[i]), need--;
  return keep;
}

const N = 3000;

/** Two captures of N SYNs (IP id = packet number); B's packet 7 has TTL 62 instead of 63. */
function captures(): { a: string; b: string } {
  const frame = Buffer.from(JSON.parse(readFileSync(join(FIXTURES, 'capture-cases/frames.json'), 'utf8')).tap8, 'hex');
  const make = (ttl7: number) => Array.from({ length: N }, (_, i) => {
    const f = Buffer.from(frame);
    f.writeUInt16BE(i + 1, 18);
    if (i === 6) f[22] = ttl7;
    return f;
  });
  const dir = mkdtempSync(join(tmpdir(), 'dpconform-diff-progress-'));
  writeFileSync(join(dir, 'a.pcap'), pcap(make(63)));
  writeFileSync(join(dir, 'b.pcap'), pcap(make(62)));
  return { a: join(dir, 'a.pcap'), b: join(dir, 'b.pcap') };
}

async function diffWithStderr(isTTY: boolean, args: string[], env: Record<string, string | undefined>) {
  const saved = Object.getOwnPropertyDescriptor(process.stderr, 'isTTY');
  Object.defineProperty(process.stderr, 'isTTY', { value: isTTY, configurable: true, writable: true });
  try {
    return await cli(['diff', ...args], env);
  } finally {
    if (saved) Object.defineProperty(process.stderr, 'isTTY', saved);
    else delete (process.stderr as { isTTY?: boolean }).isTTY;
  }
}

describe('dpconform diff progress', () => {
  it('inOrder keeps the earliest longest run, like the quadratic programme it replaced', () => {
    fc.assert(fc.property(fc.uniqueArray(fc.integer({ min: 0, max: 60 }), { maxLength: 40 }), (b) => {
      expect(inOrder(b)).toEqual(inOrderQuadratic(b));
    }), { numRuns: 500 });
    expect(inOrder([1, 0, 2])).toEqual([true, false, true]); // packet 2 jumped ahead: it is the reordered one
  });

  it('on a TTY stderr: packets read, then pairs compared, erased at the end; stdout is the plain report', async () => {
    const { a, b } = captures();
    const r = await diffWithStderr(true, [a, b], { DPCONFORM_PROGRESS_DELAY_MS: '0' });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^\rreading a\.pcap: \d+\x1b\[K/);
    expect(r.stderr).toContain(`\rreading b.pcap: ${N}\x1b[K`);
    expect(r.stderr).toContain(`\r[                        ] 0/${N} comparing matched packets\x1b[K`);
    expect(r.stderr).toContain(`\r[########################] ${N}/${N} comparing matched packets\x1b[K`);
    expect(r.stderr.endsWith('\r\x1b[K')).toBe(true);
    expect(r.stdout).not.toContain('\r');
    // `diff` names each value by its side, A or B: neither file is the expected one.
    expect(r.stdout).toMatch(/^changed  A#7 -> B#7 SYN 10\.1\.1\.12:40112 -> 10\.1\.1\.9:8080\n {4}ip4\.ttl A 63, B 62\n/);
    expect(r.stdout).toContain(`${N - 1} identical, 1 changed, 0 reordered, 0 missing, 0 extra`);
  }, 30_000);

  it('never under CI=true, never when stderr is not a TTY, and not for a diff shorter than a second', async () => {
    const { a, b } = captures();
    const ci = await diffWithStderr(true, [a, b], { DPCONFORM_PROGRESS_DELAY_MS: '0', CI: 'true' });
    expect(ci.stderr).toBe('');
    expect(ci.code).toBe(1);
    const piped = await diffWithStderr(false, [a, b], { DPCONFORM_PROGRESS_DELAY_MS: '0' });
    expect(piped.stderr).toBe('');
    expect(piped.stdout).toBe(ci.stdout);
    const small = join(mkdtempSync(join(tmpdir(), 'dpconform-diff-small-')), 's.pcap');
    writeFileSync(small, readFileSync(a).subarray(0, 24 + 3 * (16 + 58)));
    const quick = await diffWithStderr(true, [small, small], {});
    expect(quick.code).toBe(0);
    expect(quick.stderr).toBe('');
  }, 30_000);

  it('the bar itself: an unknown total shows a count; CI=1 and { off } draw nothing', () => {
    const out: string[] = [];
    const s = { isTTY: true, columns: 80, write: (c: string) => (out.push(c), true) };
    const bar = progressBar(s, { delayMs: 0, env: {} });
    bar.update(2048, undefined, 'reading x.pcap');
    expect(out).toEqual(['\rreading x.pcap: 2048\x1b[K']);
    for (const opts of [{ delayMs: 0, env: { CI: '1' } }, { delayMs: 0, env: {}, off: true }]) {
      const quiet: string[] = [];
      const q = progressBar({ ...s, write: (c: string) => (quiet.push(c), true) }, opts);
      q.update(1, 2, 'x');
      q.end();
      expect(quiet).toEqual([]);
    }
  });
});
