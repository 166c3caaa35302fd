// `dpconform diff` never turns a file that holds no packet trace into "0 packets" (a clean diff of a
// non-trace against itself, or every real packet "missing" against it): it is bad input, exit 2, one
// line naming the file and line (or key), as `dpconform trace parse` says it. Through the built CLI.
import { describe, it, expect } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildJs, REPO, runJs } from './build.js';

const REAL = join(REPO, 'golden/contiv/host-to-pod.request.trace');

function files(): { prose: string; empty: string; stages: string } {
  const dir = mkdtempSync(join(tmpdir(), 'diff-empty-'));
  const prose = join(dir, 'a.txt');
  writeFileSync(prose, 'notes from the lab\nnothing traced today\n\n');
  const empty = join(dir, 'empty.trace');
  writeFileSync(empty, '');
  const stages = join(dir, 'none.json');
  writeFileSync(stages, JSON.stringify({ format: 'dpconform-stages', traces: [] }));
  return { prose, empty, stages };
}

describe('dpconform diff: a trace/stages file without a packet trace is bad input (built CLI)', () => {
  it('the real trace against itself still diffs clean (exit 0)', async () => {
    const r = await runJs(buildJs(), ['diff', REAL, REAL]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  it('a non-trace against itself: exit 2, "no VPP trace found" with file and last line; no report', async () => {
    const { prose } = files();
    const r = await runJs(buildJs(), ['diff', prose, prose]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim()).toBe(`dpconform: ${prose} (line 3): no VPP trace found (no \`HH:MM:SS:uuuuuu: node\` line)`);
  });

  it('a real trace against a non-trace / an empty file: exit 2 naming the bad file, not "missing" packets', async () => {
    const { prose, empty } = files();
    for (const [bad, line] of [[prose, 3], [empty, 1]] as const) {
      const r = await runJs(buildJs(), ['diff', REAL, bad]);
      expect(r.code, bad).toBe(2);
      expect(r.stdout, bad).toBe('');
      expect(r.stderr.trim().split('\n'), bad).toEqual([`dpconform: ${bad} (line ${line}): no VPP trace found (no \`HH:MM:SS:uuuuuu: node\` line)`]);
    }
  });

  it('a stages file with no traces: exit 2 naming the key', async () => {
    const { stages } = files();
    const r = await runJs(buildJs(), ['diff', stages, stages]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(`dpconform: ${stages} (key traces): no packet trace found (\`traces\` is empty)`);
  });
});
