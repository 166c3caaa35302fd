// run --update and a snapshot golden the trace reader could not read whole: refused (file, line, exit
// 2 through the case error), the file left as it was; a golden that differs in layout only (CRLF) is
// still rewritten. Before, a damaged line was kept as raw text and --update replaced the file, exit 0.

import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { runSuite } from '../../harness/suite/run-suite.js';
import { hostToPodCase } from './vpp-case.js';

const REPO = resolve(import.meta.dirname, '../..');

/** host-to-pod/request with its seed trace as a snapshot golden of its own (a private copy). */
function snapshotCase(edit: (lines: string[]) => string[]): { dir: string; golden: string } {
  const dir = hostToPodCase({ golden: 'golden.trace', evidence: 'snapshot' });
  const golden = join(dir, 'golden.trace');
  writeFileSync(golden, edit(readFileSync(join(REPO, 'golden/contiv/host-to-pod.request.trace'), 'utf8').split('\n')).join('\n'));
  return { dir, golden };
}

/** The 0-based index of the first line holding `text`. */
const indexOf = (lines: string[], text: string) => lines.findIndex((l) => l.includes(text));

describe('run --update and a damaged snapshot golden', () => {
  it('a line the reader kept as raw text: refused at that line, the golden left as is', async () => {
    let at = 0;
    const { dir, golden } = snapshotCase((lines) => {
      at = indexOf(lines, 'hdr: flags');
      lines[at] = '  <<<<<<< HEAD';
      return lines;
    });
    const before = readFileSync(golden, 'utf8');
    const r = await runSuite({ paths: [dir], update: true });
    expect(r.cases[0].status).toBe('error');
    expect(r.cases[0].errors).toMatchObject([{ code: 'run.update-damaged-golden', file: golden, line: at + 1 }]);
    expect(r.cases[0].errors[0].message).toMatch(/--update does not overwrite a golden it could not read whole: .*<<<<<<< HEAD.*fix the file, or delete it/);
    expect(r.cases[0].comparisons.flatMap((c) => c.updates ?? [])).toEqual([]);
    expect(readFileSync(golden, 'utf8')).toBe(before);
  });

  it('an empty golden (nothing to read at all): the error says what --update does; without --update it does not', async () => {
    const { dir, golden } = snapshotCase(() => []);
    const updated = await runSuite({ paths: [dir], update: true });
    expect(updated.cases[0].errors.map((e) => e.message)).toEqual([
      `${golden} (line 1): no VPP trace found (no \`HH:MM:SS:uuuuuu: node\` line); --update does not overwrite a golden it cannot read: fix the file, or delete it and --update writes it anew`,
    ]);
    expect(readFileSync(golden, 'utf8')).toBe('');
    const plain = await runSuite({ paths: [dir] });
    expect(plain.cases[0].errors.map((e) => e.message)).toEqual([`${golden} (line 1): no VPP trace found (no \`HH:MM:SS:uuuuuu: node\` line)`]);
  });

  it('a golden differing in layout only (CRLF line endings) is rewritten as before', async () => {
    const { dir, golden } = snapshotCase((lines) => {
      // One real difference, so --update has something to write.
      lines[indexOf(lines, 'hdr: flags 0x00')] = lines[indexOf(lines, 'hdr: flags 0x00')].replace('flags 0x00', 'flags 0x01');
      return lines.map((l) => `${l}\r`);
    });
    const r = await runSuite({ paths: [dir], update: true });
    expect(r.cases[0].errors).toEqual([]);
    expect(r.cases[0].comparisons[0].state).toBe('written');
    expect(readFileSync(golden, 'utf8')).not.toContain('\r');
  });
});
