// `trace show`, `fmt`, `to-pcap` and `parse --json` held every packet of the file before printing
// (723 MB peak for a 100 MB trace, ~7 GB for 1 GB); `parse` held every summary line and every
// tunnelled packet. They now read the file twice (vpp-trace/trace-source.ts, trace-outline.ts) and
// print each packet as the second pass parses it. And `fmt --verbatim` is the input byte for byte:
// a stage whose header line was lost is printed as found, a last line without newline stays so.

import { afterEach, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { readSeed004, REPO_ROOT, SEED_004 } from './seed.js';
import { runTrace } from './trace-cli-run.js';
import { parseTrace } from '../../harness/vpp-trace/parse.js';
import { allPackets } from '../../harness/vpp-trace/trace-file.js';
import { ParseSummary } from '../../harness/vpp-trace/summary.js';
import { readTraceFile } from '../../harness/vpp-trace/read.js';
import { allWarnings, warningCount } from '../../harness/vpp-trace/spooled.js';
import { jsonText, jsonTextPieces, lazyTraceJson, traceJson } from '../../harness/vpp-trace/json.js';
import { NO_PAINT, showTraceText } from '../../harness/vpp-trace/show.js';

/** For each chunk the second pass reads, how many stdout writes came before it. */
const reads = vi.hoisted(() => ({ writesBefore: [] as number[] }));

vi.mock('../../harness/vpp-trace/trace-source.js', async (importOriginal) => {
  const m = await importOriginal<typeof import('../../harness/vpp-trace/trace-source.js')>();
  return {
    ...m,
    // Small reads: the file is many chunks, so "printed before the last chunk was read" means something.
    openTraceTwice: (path: string) => {
      const source = m.openTraceTwice(path, 4096);
      return {
        ...source,
        second: function* () {
          for (const c of source.second()) {
            reads.writesBefore.push(vi.isMockFunction(process.stdout.write) ? vi.mocked(process.stdout.write).mock.calls.length : 0);
            yield c;
          }
        },
      };
    },
  };
});

const dir = mkdtempSync(join(tmpdir(), 'vpp-trace-two-pass-'));
const GOLDEN = join(REPO_ROOT, 'golden', 'contiv');
/** The seed document 30 times over: ~1.4 MB, hundreds of 4 KB reads, output far past one 64 KB write. */
const big = join(dir, 'seed30.txt');
writeFileSync(big, readSeed004().repeat(30));

afterEach(() => {
  process.exitCode = 0;
});

describe('show, fmt and parse --json print each packet as the second pass reads it', () => {
  for (const args of [['show'], ['fmt'], ['fmt', '--verbatim'], ['parse', '--json']]) {
    it(`trace ${args.join(' ')}: the first write comes before the file's last chunk is read`, async () => {
      reads.writesBefore = [];
      const r = await runTrace(...args, big);
      expect(r.code).toBe(0);
      expect(r.writes.length).toBeGreaterThan(2);
      const chunks = reads.writesBefore.length;
      expect(chunks).toBeGreaterThan(100);
      // A reader that held every packet first would have read every chunk before writing anything.
      expect(reads.writesBefore[Math.floor(chunks / 2)]).toBeGreaterThan(0);
    });
  }
});

describe('fmt --verbatim is its input, byte for byte', () => {
  const goldens = readdirSync(GOLDEN).filter((f) => f.endsWith('.trace'));

  it('every real golden trace and the seed document', async () => {
    expect(goldens.length).toBeGreaterThanOrEqual(14);
    for (const file of [...goldens.map((f) => join(GOLDEN, f)), SEED_004]) {
      const r = await runTrace('fmt', '--verbatim', file);
      expect(r.code, file).toBe(0);
      expect(r.out, file).toBe(readFileSync(file, 'utf8'));
    }
  });

  it('a stage whose header line was lost, its first line at column 0, is printed as found', async () => {
    const lines = readFileSync(join(GOLDEN, 'host-to-pod.request.trace'), 'utf8').split('\n');
    // The header gone and the body's first line unindented, as in the seed's cut-off block.
    const text = [lines[1].trimStart(), ...lines.slice(2)].join('\n');
    const file = join(dir, 'lost-header.txt');
    writeFileSync(file, text);
    const r = await runTrace('fmt', '--verbatim', file);
    expect(r.out).toBe(text);
  });

  it('elision and comment lines inside a stage stay among its body lines', async () => {
    const lines = readFileSync(join(GOLDEN, 'host-to-pod.request.trace'), 'utf8').split('\n');
    // Inside ip4-input's body (lines 6-13) and again inside the next stage's.
    const text = [...lines.slice(0, 7), '...', ...lines.slice(7, 10), '// the checksum was 0xe443', ...lines.slice(10, 16), '...', '// twice', ...lines.slice(16)].join('\n');
    const file = join(dir, 'inside.txt');
    writeFileSync(file, text);
    const r = await runTrace('fmt', '--verbatim', file);
    expect(r.code).toBe(0);
    expect(r.out).toBe(text);
  });

  it('a last line without a newline stays without one', async () => {
    const text = readFileSync(join(GOLDEN, 'pod-to-pod-same-node.request.trace'), 'utf8').replace(/\n$/, '');
    const file = join(dir, 'no-final-newline.txt');
    writeFileSync(file, text);
    expect((await runTrace('fmt', '--verbatim', file)).out).toBe(text);
  });
});

describe('trace parse keeps no packet', () => {
  it('the summary (its tunnel index included) holds none of the packets it was given', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const summary = new ParseSummary();
    const refs: WeakRef<object>[] = [];
    (() => {
      const f = parseTrace(readSeed004().repeat(3));
      for (const p of allPackets(f)) {
        refs.push(new WeakRef(p));
        summary.onPacket(p);
      }
    })();
    // A WeakRef holds its target until the current job ends.
    await new Promise((done) => setTimeout(done, 0));
    gc();
    expect(refs.length).toBeGreaterThan(50);
    // The tunnelled packets were kept whole by the index: hundreds of megabytes for a 100 MB trace.
    expect(refs.filter((r) => r.deref() !== undefined).length).toBe(0);
    expect([...summary.text({ threads: [], warnings: [], lines: 0 })].join('')).toMatch(/ stitch\(es\), /);
  });
});

describe('checksum warnings of a streamed read past a few are spooled, not listed', () => {
  // Every stored checksum altered: one warning per stage that shows one (after the reader's own, spooled alike).
  const altered = join(dir, 'altered.txt');
  writeFileSync(altered, readSeed004().repeat(3).replace(/checksum 0x[0-9a-f]{4}/g, 'checksum 0x1234'));
  const streamed = () => readTraceFile(altered, { keepPackets: false, keepSegments: false, warningsHeld: 2 });

  it('lists two, spools the rest, and gives all back in order', async () => {
    const all = (await readTraceFile(altered)).warnings;
    const f = await streamed();
    expect(all.filter((w) => w.code === 'checksum').length).toBeGreaterThan(100);
    expect(f.warnings).toHaveLength(2);
    expect(warningCount(f)).toBe(all.length);
    expect([...allWarnings(f)]).toEqual(all);
  });

  it('show, parse --json and parse print them as before', async () => {
    const full = { ...(await readTraceFile(altered)), threads: [] };
    expect([...showTraceText({ ...(await streamed()), threads: [] }, NO_PAINT, () => [])].join('')).toBe([...showTraceText(full, NO_PAINT, () => [])].join(''));
    expect([...jsonTextPieces(lazyTraceJson({ ...(await streamed()), threads: [] }))].join('')).toBe(jsonText(traceJson(full)));
    expect([...new ParseSummary().text({ ...(await streamed()), threads: [] })].join('')).toBe([...new ParseSummary().text(full)].join(''));
  });
});
