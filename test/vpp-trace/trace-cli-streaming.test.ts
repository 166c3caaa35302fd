// `trace parse` built every stitch only to print their number, and `trace show` / `fmt` built their
// whole output before the first write: a 50 MB trace of a repeated tunnelled flow (1.4 million
// stitches, 200 MB of show output) peaked at 1.3 GB in `trace show`. Parse now counts the stitches
// by tunnel end and outer port, show reads each packet's notes from the tunnel index, and all three
// write their text in pieces as it is made. `parse --json` of that trace built a 470 MB string
// (2.4 GB peak); it writes a packet and a stitch at a time. Same bytes as before.

import { afterEach, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseTrace } from '../../harness/vpp-trace/parse.js';
import { countStitches, stitch, TunnelIndex } from '../../harness/vpp-trace/stitch.js';
import { NO_PAINT, showTrace, showTraceText, tunnelNotes } from '../../harness/vpp-trace/show.js';
import { formatCanonical, formatVerbatim } from '../../harness/vpp-trace/format.js';
import type { VppStage } from '../../harness/vpp-trace/nodes/index.js';
import type { TraceFile, VppPacketTrace } from '../../harness/vpp-trace/trace-file.js';
import { readSeed004 } from './seed.js';
import { readTraceFile } from '../../harness/vpp-trace/read.js';
import { ParseSummary } from '../../harness/vpp-trace/summary.js';
import { allPackets } from '../../harness/vpp-trace/trace-file.js';
import { jsonText, jsonTextPieces, lazyTraceJson, traceJson } from '../../harness/vpp-trace/json.js';
import { runTrace } from './trace-cli-run.js';
import { groupedWarnings } from '../../harness/vpp-trace/warning-line.js';

const built = vi.hoisted(() => ({ stitchLists: 0 }));

vi.mock('../../harness/vpp-trace/stitch.js', async (importOriginal) => {
  const m = await importOriginal<typeof import('../../harness/vpp-trace/stitch.js')>();
  class CountedIndex extends m.TunnelIndex {
    override stitches() {
      built.stitchLists++;
      return super.stitches();
    }
  }
  return { ...m, TunnelIndex: CountedIndex, stitch: (...a: Parameters<typeof m.stitch>) => (built.stitchLists++, m.stitch(...a)) };
});

const dir = mkdtempSync(join(tmpdir(), 'vpp-trace-streaming-'));
/** The seed three times over: every tunnelled packet pairs with three peers. */
const seed3 = join(dir, 'seed3.txt');
const seed3Text = readSeed004().repeat(3);
writeFileSync(seed3, seed3Text);

function run(...args: string[]): ReturnType<typeof runTrace> {
  built.stitchLists = 0;
  return runTrace(...args);
}

afterEach(() => {
  process.exitCode = 0;
});

describe('trace parse counts stitches without listing them', () => {
  it('prints the number stitch() finds and builds no stitch list', async () => {
    const expected = stitch(parseTrace(seed3Text)).length;
    expect(expected).toBeGreaterThan(20);
    const r = await run('parse', seed3);
    expect(r.code).toBe(0);
    expect(r.writes.join('')).toContain(`, ${expected} stitch(es), `);
    expect(built.stitchLists).toBe(0);
  });

  it('keeps no packet: each is summed up and checked as it completes, with the same text and warnings', async () => {
    const full = await readTraceFile(seed3);
    const streamed = await readTraceFile(seed3, { keepPackets: false, keepSegments: false });
    expect(streamed.threads.flatMap((t) => t.packets).filter((p) => p.stages.length > 0)).toEqual([]);
    expect(streamed.warnings).toEqual(full.warnings);
    // A stored checksum the bytes prove wrong is found in a streamed read too.
    const altered = join(dir, 'altered.txt');
    writeFileSync(altered, ['Packet 1', '', '00:00:00:000001: ip4-input', '  ICMP: 10.1.1.1 -> 10.1.1.2', '    tos 0x00, ttl 64, length 28, checksum 0x64cd', '    fragment id 0x0000', '  ICMP echo_request checksum 0xf7ff', ''].join('\n'));
    const alteredWarnings = (await readTraceFile(altered, { keepPackets: false })).warnings;
    expect(alteredWarnings.map((w) => w.code)).toContain('checksum');
    expect(alteredWarnings).toEqual((await readTraceFile(altered)).warnings);
    const expected = new ParseSummary();
    for (const p of allPackets(full)) expected.onPacket(p);
    const r = await run('parse', seed3);
    expect(r.out).toBe([...expected.text(full)].join(''));
    // Printed grouped by kind (harness/vpp-trace/warning-line.ts; test/vpp-trace/warnings-grouped.test.ts).
    expect(r.err).toBe([...groupedWarnings(full.warnings)].map((w) => `${seed3}:${w.line}: warning: ${w.message}\n`).join(''));
  });

  it('counts by outer port and never pairs a packet with itself, as stitch() does', () => {
    const stage = (node: string, fields: Record<string, string | number>, kind?: string): VppStage => ({ node, lines: [], fields, ...(kind ? { kind } : {}) });
    const inner = { 'ip4.src': '10.1.1.1', 'ip4.dst': '10.1.2.1', 'ip4.id': 7, 'ip4.ttl': 64, 'ip4.checksum': 1, 'ip4.proto': 6 };
    const outer = (sport: number) => ({ 'udp.src_port': sport, 'udp.dst_port': 4789 });
    const encap = (line: number, sport?: number): VppPacketTrace => ({
      line,
      stages: [stage('ip4-rewrite', inner), stage('vxlan4-encap', { vni: 10 }, 'vxlan-encap'), ...(sport ? [stage('ip4-rewrite', outer(sport))] : [])],
    });
    const decap = (line: number, sport?: number): VppPacketTrace => ({
      line,
      stages: [...(sport ? [stage('ip4-input', outer(sport))] : []), stage('vxlan4-input', { vni: 10, tunnel: 0 }, 'vxlan-input'), stage('ip4-input', inner)],
    });
    // Both ends in one packet (a loop through one VPP): never its own peer.
    const both: VppPacketTrace = { line: 9, stages: [...decap(0).stages, stage('vxlan4-encap', { vni: 10 }, 'vxlan-encap')] };
    const packets = [decap(1, 5), encap(2, 5), encap(3, 6), encap(4), decap(5), decap(6, 6), both, decap(8, 5), encap(10, 5)];
    const f: TraceFile = { threads: [{ packets }], warnings: [], lines: 0 };
    const st = stitch(f);
    expect(st.length).toBeGreaterThan(10);
    expect(st.some((s) => s.from.packet === s.to.packet)).toBe(false);
    expect(countStitches(f)).toBe(st.length);
    // Show's notes read from the index are the notes the stitch list gives, in the same order.
    expect([...showTraceText(f, NO_PAINT, tunnelNotes(TunnelIndex.of(f), NO_PAINT))].join('')).toBe(showTrace(f, NO_PAINT, st));
  });
});

describe('trace show and fmt write as they go', () => {
  const pieces = (writes: string[]) => writes.filter((w) => w.length > 0);

  it('show: the same text in several writes, no stitch list built', async () => {
    const f = parseTrace(seed3Text, { file: seed3 });
    const whole = showTrace(f, NO_PAINT, stitch(f));
    const r = await run('show', seed3);
    expect(r.code).toBe(0);
    // The reader checks checksums and appends what it finds to the warnings: compare the packets' part.
    expect(r.writes.join('').startsWith(whole.slice(0, whole.indexOf('warning: ')))).toBe(true);
    expect(built.stitchLists).toBe(0);
    // Two 64 KB batches at least: its text is ~125 KB since the warnings are grouped by kind (it passed 128 KB before).
    expect(pieces(r.writes).length).toBeGreaterThan(1);
    expect(Math.max(...r.writes.map((w) => w.length))).toBeLessThan(200_000);
  });

  it('fmt and fmt --verbatim: the same text in several writes', async () => {
    const f = parseTrace(seed3Text, { file: seed3 });
    for (const [args, whole] of [[['fmt', seed3], formatCanonical(f)], [['fmt', '--verbatim', seed3], formatVerbatim(f)]] as const) {
      const r = await run(...args);
      expect(r.code).toBe(0);
      expect(r.writes.join('')).toBe(whole);
      expect(pieces(r.writes).length).toBeGreaterThan(2);
      expect(Math.max(...r.writes.map((w) => w.length))).toBeLessThan(200_000);
    }
  });

  it('parse --json: the same JSON in several writes, stitches written as they are found (no list)', async () => {
    const f = await readTraceFile(seed3);
    const whole = jsonText(traceJson(f, stitch(f))) + '\n';
    const r = await run('parse', '--json', seed3);
    expect(r.code).toBe(0);
    expect(r.out).toBe(whole);
    expect(JSON.parse(r.out).stitches.length).toBeGreaterThan(20);
    expect(built.stitchLists).toBe(0);
    expect(pieces(r.writes).length).toBeGreaterThan(2);
    expect(Math.max(...r.writes.map((w) => w.length))).toBeLessThan(200_000);
  });

  it('jsonTextPieces writes what jsonText writes, empty lists and left-out members included', () => {
    const f: TraceFile = { threads: [{ packets: [] }, { index: 1, name: 'vpp_wk_0', packets: [], empty: true }], warnings: [], lines: 0 };
    expect([...jsonTextPieces(lazyTraceJson(f))].join('')).toBe(jsonText(traceJson(f)));
    expect([...jsonTextPieces(lazyTraceJson({ threads: [], warnings: [], lines: 0 }))].join('')).toBe(jsonText(traceJson({ threads: [], warnings: [], lines: 0 })));
  });

  it('an empty trace prints what it printed before: one newline', () => {
    const f: TraceFile = { threads: [], warnings: [], lines: 0 };
    expect(formatCanonical(f)).toBe('\n');
    expect(showTrace(f, NO_PAINT)).toBe('\n');
  });
});
