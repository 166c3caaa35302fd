// `dpconform diff A B` of stage records (or traces) where a stage shows packet bytes in one file and
// none in the other compared 0 fields and reported the pair "identical" (exit 0): compareBytes
// returned as soon as one side had no packet. That is right for a model (its records state typed
// fields only) but not between two files of one kind: the pair now differs, in both directions.

import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { diffFiles } from '../../harness/suite/diff-files.js';

const good = join(process.cwd(), 'fixtures/contiv/host-to-pod/request/input.json');
const dir = mkdtempSync(join(tmpdir(), 'dpconform-stage-bytes-'));
const noBytes = join(dir, 'no-bytes.json');
const doc = JSON.parse(readFileSync(good, 'utf8'));
delete doc.traces[0].stages[0].packet;
writeFileSync(noBytes, JSON.stringify(doc));

describe('diff: a stage with packet bytes on one side only', () => {
  it.each([
    ['A has them, B does not', good, noBytes, { expected: 74, got: undefined }],
    ['B has them, A does not', noBytes, good, { expected: undefined, got: 74 }],
  ])('%s: the pair is changed, not identical', async (_what, a, b, values) => {
    const d = await diffFiles(a, b);
    expect(d.changed).toBe(1);
    expect(d.pairs[0].diff.diffs).toEqual([expect.objectContaining({ path: 'packet.length', ...values, note: 'packet bytes on one side only' })]);
  });

  it('the same file on both sides is still identical', async () => {
    const d = await diffFiles(good, good);
    expect(d.changed).toBe(0);
  });
});
