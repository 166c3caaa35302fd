// `dpconform diff X.trace X.trace` (one file given twice) read it twice: the reader's warnings were
// printed twice, and the closing counts counted both reads ("307 more ... warnings" where the kind
// occurs 155 times). A file given twice is read once: its warnings told once, counted once.

import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dpconform } from './spawn-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'diff-same-file-'));
const trace = readFileSync('golden/contiv/pod-to-pod-same-node.request.trace', 'utf8');
/** Lines 2..6: five indented prose lines the reader warns about, then the trace. */
const DOC = join(dir, 'notes.txt');
writeFileSync(DOC, ['# Notes', ...Array.from({ length: 5 }, (_, i) => `    indented note ${i + 1}`), '', trace].join('\n'));
const ORPHAN = 'indented line outside any stage';
const once = (file: string) => [...[2, 3, 4].map((n) => `${file}:${n}: warning: ${ORPHAN}`), `${file}:5: warning: 2 more '${ORPHAN}' warnings (lines 5-6)`];

describe('diff of one file given twice', () => {
  it('its warnings once, counted once; every packet identical', () => {
    const r = dpconform(['diff', DOC, DOC]);
    expect(r.status).toBe(0);
    expect(r.errLines).toEqual(once(DOC));
    expect(r.stdout).toMatch(/; \d+ identical, 0 changed, 0 reordered, 0 missing, 0 extra\n$/);
  });

  it('the same file by another path (./) is the same file', () => {
    const r = dpconform(['diff', DOC, `${dir}/./notes.txt`]);
    expect(r.status).toBe(0);
    expect(r.errLines).toEqual(once(DOC));
  });
});
