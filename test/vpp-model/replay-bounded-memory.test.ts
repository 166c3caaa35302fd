// `dpconform replay` of a big VPP trace runs in memory that does not grow with the trace: the whole
// output and every trace were held (a 50 MB trace peaked at ~550 MB, ~1.1 GB as JSON), a case's trace
// input and trace text on stdin were read whole, and each entry frame kept its 64 KiB text chunk
// alive through a name cut out of it. Here a 24 MB trace replays under a 64 MB V8 heap (a 50 MB one
// needs less than 48 MB now; before, a 12 MB one did not fit in 96 MB as text nor 128 MB as JSON):
// from a file as text and JSON, from stdin, and as a case's input, with the same bytes each way.
import { closeSync, mkdtempSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { generate } from '../../bench/trace.js';

// The flow whose SYN crosses to k8s-worker1: its traces there are part of the output (the peers'
// dpdk-input records, stitched continuations, are not replayed as inputs of the master any more).
const SCENARIO = join(process.cwd(), 'fixtures/contiv/pod-to-pod-other-node/scenario.yaml');
const MAIN = join(process.cwd(), 'dist/harness/cli/main.js');
const tmp = mkdtempSync(join(tmpdir(), 'replay-memory-'));
const TRACE = join(tmp, 'trace-24mb.txt');
const HEAP_MB = 64;

/**
 * What a clean replay of the generated trace prints on stderr: that its peers' dpdk-input records
 * are stitched continuations, not replayed as inputs (models/vpp/replay.ts), grouped by kind.
 */
const onlyStitchNotes = (lines: string[]) => lines.filter((l) => !/: warning: (packet \d+ is packet \d+ after VXLAN vni \d+ |\d+ more 'stitched' warnings)/.test(l));

/** The CLI under a small heap; stdin from `stdinFile` (passed as a descriptor, never read here). */
function boundedCli(args: string[], stdinFile?: string): { status: number | null; errLines: string[] } {
  const fd = stdinFile === undefined ? undefined : openSync(stdinFile, 'r');
  try {
    const r = spawnSync(process.execPath, [`--max-old-space-size=${HEAP_MB}`, MAIN, ...args], { stdio: [fd ?? 'ignore', 'ignore', 'pipe'], env: { ...process.env, CI: 'true' }, timeout: 240_000 });
    return { status: r.status, errLines: onlyStitchNotes(r.stderr.toString().split('\n').filter(Boolean)) };
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

beforeAll(async () => {
  await generate(TRACE, 24 * 1024 * 1024);
});

describe(`replay of a 24 MB trace in a ${HEAP_MB} MB heap`, () => {
  it('from a file, as VPP text and as JSON; from stdin; as a case input: the same text', () => {
    const base = ['replay', '--scenario', SCENARIO, '--instance', 'k8s-master'];
    const outs = { file: join(tmp, 'file.txt'), json: join(tmp, 'out.json'), stdin: join(tmp, 'stdin.txt'), case: join(tmp, 'case.txt') };
    expect(boundedCli([...base, '--input', TRACE, '-o', outs.file])).toEqual({ status: 0, errLines: [] });
    expect(boundedCli([...base, '--input', TRACE, '--format', 'json', '-o', outs.json])).toEqual({ status: 0, errLines: [] });
    expect(boundedCli([...base, '--input', '-', '-o', outs.stdin], TRACE)).toEqual({ status: 0, errLines: [] });
    const dir = mkdtempSync(join(tmp, 'case-'));
    writeFileSync(join(dir, 'case.yaml'), `name: big\nmodel: vpp\nscenario: ${SCENARIO}\ninputs:\n  - file: ${TRACE}\n    at: { instance: k8s-master }\ngolden:\n  file: ${TRACE}\n  evidence: conformance\n`);
    expect(boundedCli(['replay', '--case', dir, '-o', outs.case])).toEqual({ status: 0, errLines: [] });
    const text = readFileSync(outs.file);
    expect(text.length).toBeGreaterThan(10 << 20);
    expect(readFileSync(outs.stdin).equals(text)).toBe(true);
    expect(readFileSync(outs.case).equals(text)).toBe(true);
    expect((JSON.parse(readFileSync(outs.json, 'utf8')) as { traces: unknown[] }).traces.length).toBe(text.toString().match(/^Packet \d+$/gm)!.length);
  }, 600_000);

  it('a trace after 1.5 M lines that each warn (a document pasted around it): warnings spooled, not held, and printed grouped', () => {
    // Every reader warning is kept now (the count is true, trace2): a replay that listed them all in
    // one array ran out of this heap (signal 6) where the reader itself spools past WARNINGS_HELD.
    const file = join(tmp, 'warny.trace');
    const golden = readFileSync(join(process.cwd(), 'golden/contiv/pod-to-pod-same-node.request.trace'), 'utf8');
    writeFileSync(file, '  stray indented prose line\n'.repeat(1_500_000) + golden);
    const scenario = join(process.cwd(), 'fixtures/contiv/pod-to-pod-same-node/scenario.yaml');
    const r = boundedCli(['replay', '--scenario', scenario, '--instance', 'k8s-master', '--input', file, '-o', join(tmp, 'warny.out')]);
    expect(r.status).toBe(0);
    expect(r.errLines.at(-1)).toMatch(/: warning: 1499997 more 'indented line outside any stage' warnings \(lines 4-1500000\)$/);
    expect(r.errLines.length).toBe(4);
  }, 240_000);
});

