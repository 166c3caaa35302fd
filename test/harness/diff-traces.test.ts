// `dpconform diff A.trace B.trace` in bounded memory: each trace read once for its packets'
// identities, then both read again side by side, a pair compared when both packets are in (two
// 50 MB traces were held whole: ~0.9 GB). The result must be the in-memory one (diffFiles with
// inMemory, the old path) on real traces: goldens against each other, the seed against itself and
// against damaged and reordered copies (partners far ahead: packets held), traces whose packets are
// one stage (compared as `packet`), with masks; and the trace reader's warnings told alike. A trace
// on a pipe is read once, whole, as before. A 12 MB trace and a changed copy diff under a 64 MB heap
// (the old path did not in 128 MB).
import { closeSync, mkdtempSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { generate } from '../../bench/trace.js';
import { diffFiles } from '../../harness/suite/diff-files.js';
import { setTraceWarningListener } from '../../harness/suite/sources.js';
import { toJsonSafe } from '../../harness/report/serialize.js';
import { packetDiffText } from '../../harness/report/packet-diff-text.js';

const G = (n: string) => join(process.cwd(), 'golden/contiv', n);
const SEED = G('seed/004_c3bde7ba11825164.txt');
const tmp = mkdtempSync(join(tmpdir(), 'diff-traces-'));

/** The packet blocks of a trace text (split before each `Packet N` line) and what comes before the first. */
function blocks(text: string): string[] {
  return text.split(/^(?=Packet \d+$)/m);
}

function write(name: string, text: string): string {
  const f = join(tmp, name);
  writeFileSync(f, text);
  return f;
}

async function both(a: string, b: string, masks: string[] = []) {
  const heard: string[][] = [[], []];
  for (const [k, inMemory] of [[0, true], [1, false]] as const) {
    const before = setTraceWarningListener((file, w) => heard[k].push(`${file}:${w.line}: ${w.code} ${w.message}`));
    try {
      const d = await diffFiles(a, b, { masks, inMemory });
      heard[k].push(JSON.stringify(toJsonSafe(d)), packetDiffText(d, { color: false, a, b }));
    } catch (e) {
      heard[k].push(`error: ${(e as Error).message}`);
    } finally {
      setTraceWarningListener(before);
    }
  }
  return heard;
}

describe('diff of two VPP traces, bounded: the in-memory result', () => {
  const seed = readFileSync(SEED, 'utf8');
  const golden = G('pod-to-pod-same-node.request.trace');

  it.each([
    ['a golden against itself', G('pod-to-pod-same-node.request.trace'), G('pod-to-pod-same-node.request.trace')],
    ['two goldens', G('pod-to-pod-other-node.request.trace'), G('pod-to-pod-other-node.response.trace')],
    ['a golden against the seed', G('host-to-pod.request.trace'), SEED],
    ['the seed against itself', SEED, SEED],
  ])('%s', async (_name, a, b) => {
    const [whole, bounded] = await both(a, b);
    expect(bounded).toEqual(whole);
  });

  it('the seed against a copy with fields changed, a packet dropped and its packets in reverse order (held for their partners)', async () => {
    const [head, ...packets] = blocks(seed);
    const changed = packets.map((p, i) => (i % 4 === 1 ? p.replace('ttl 64,', 'ttl 9,') : p));
    changed.splice(5, 1);
    const b = write('reversed.txt', head + changed.reverse().join(''));
    for (const masks of [[], ['ip4.ttl']]) {
      const [whole, bounded] = await both(SEED, b, masks);
      expect(bounded).toEqual(whole);
      const [back, boundedBack] = await both(b, SEED, masks);
      expect(boundedBack).toEqual(back);
    }
  });

  it('packets of one stage (compared as `packet`), damaged lines (warnings), and a trace of no packet', async () => {
    const text = readFileSync(golden, 'utf8');
    // Each node record its own packet: every packet trace is one stage.
    const records = text.slice(text.search(/^\d\d:\d\d:\d\d:\d{6}: /m)).split(/^(?=\d\d:\d\d:\d\d:\d{6}: )/m);
    const oneStage = write('one-stage.trace', records.map((r, i) => `Packet ${i + 1}\n\n${r.trimEnd()}\n\n`).join(''));
    const damaged = write('damaged.trace', text.replace('ttl 64,', 'ttl 99999999999999999999,').replace('tos 0x00', 'tos 0xzz'));
    const empty = write('empty.trace', '------------------- Start of thread 0 vpp_main -------------------\nNo packets in trace buffer\n');
    for (const [a, b] of [[oneStage, oneStage], [oneStage, golden], [damaged, golden], [golden, damaged], [golden, empty], [empty, golden]]) {
      const [whole, bounded] = await both(a, b);
      expect([a, b, bounded]).toEqual([a, b, whole]);
    }
  });

  it('a trace on a pipe is read once (whole), as before: no second read of the pipe', () => {
    const fifo = join(tmp, 'pipe.trace');
    execFileSync('mkfifo', [fifo]);
    const main = join(process.cwd(), 'dist/harness/cli/main.js');
    // The writer is the shell: it opens the pipe once, as a producer does.
    const r = spawnSync('sh', ['-c', `cat "${golden}" > "${fifo}" & exec "${process.execPath}" "${main}" diff "${fifo}" "${golden}"`], { encoding: 'utf8', env: { ...process.env, CI: 'true' }, timeout: 60_000 });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('identical');
  });
});

describe('diff of two big VPP traces in a small heap', () => {
  const big = join(tmp, 'big-12mb.txt');
  const changed = join(tmp, 'big-12mb-changed.txt');
  beforeAll(async () => {
    await generate(big, 12 * 1024 * 1024);
    const [head, ...packets] = blocks(readFileSync(big, 'latin1'));
    packets[100] = packets[100].replace('ttl 64,', 'ttl 7,');
    packets.splice(2000, 1);
    writeFileSync(changed, head + packets.join(''), 'latin1');
  });

  it('finds the changed and the missing packet under --max-old-space-size=64', () => {
    const fd = openSync(join(tmp, 'big-diff.out'), 'w');
    try {
      const r = spawnSync(process.execPath, ['--max-old-space-size=64', join(process.cwd(), 'dist/harness/cli/main.js'), 'diff', big, changed], { stdio: ['ignore', fd, 'pipe'], env: { ...process.env, CI: 'true' }, timeout: 300_000 });
      // The changed TTL makes the stored IPv4 checksum wrong: the reader says so, one warning line.
      expect(r.stderr.toString().split('\n').filter(Boolean)).toEqual([expect.stringMatching(/big-12mb-changed\.txt:\d+: warning: ip4-input: stored ip4 checksum/)]);
      expect(r.status).toBe(1);
    } finally {
      closeSync(fd);
    }
    expect(readFileSync(join(tmp, 'big-diff.out'), 'utf8')).toMatch(/1 changed, \d+ reordered, 1 missing, 0 extra/);
  }, 300_000);
});
