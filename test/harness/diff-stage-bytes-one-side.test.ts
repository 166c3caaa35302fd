// `dpconform diff A B` of stage records (or traces) where a stage shows packet bytes in one file and
// none in the other compared 0 fields and reported the pair "identical" (exit 0): compareBytes
// returned as soon as one side had no packet. And only A's fields were compared: a field only B
// stated made `diff A B` say identical and `diff B A` changed. Right for a model against a golden
// (the golden says what is compared), not between two files of one kind: both now differ, both ways.

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

  it.each([
    ['A', (f: string) => [f, good]],
    ['B', (f: string) => [good, f]],
  ])('a field only %s states differs, whichever side it is on', async (side, order) => {
    const withField = join(dir, `field-${side}.json`);
    const d2 = JSON.parse(readFileSync(good, 'utf8'));
    d2.traces[0].stages[0].fields = { 'ip4.ttl': 5 };
    writeFileSync(withField, JSON.stringify(d2));
    const [a, b] = order(withField);
    const d = await diffFiles(a, b);
    expect(d.changed).toBe(1);
    expect(d.pairs[0].diff.diffs.map((x) => x.path)).toEqual(['ip4.ttl']);
  });

  it('the same file on both sides is still identical', async () => {
    const d = await diffFiles(good, good);
    expect(d.changed).toBe(0);
  });
});
