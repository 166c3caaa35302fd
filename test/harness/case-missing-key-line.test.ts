// A required key missing from case.yaml was reported at line 1 whatever mapping lacked it: a golden
// without `evidence:` on line 6 said "line 1". Now the line where the mapping that lacks it starts
// (the document's first key for top-level keys).

import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCase } from '../../harness/suite/load-case.js';

function load(yaml: string[]) {
  const dir = mkdtempSync(join(tmpdir(), 'dpconform-case-missing-'));
  writeFileSync(join(dir, 'in.json'), '{}');
  writeFileSync(join(dir, 'case.yaml'), yaml.join('\n') + '\n');
  return loadCase(join(dir, 'case.yaml'), 'x').errors.map((e) => ({ line: e.where.line, key: e.where.key, reason: e.reason }));
}

describe('case.yaml: a missing required key names the line of the mapping that lacks it', () => {
  it('golden.evidence: the golden mapping', () => {
    expect(load(['# a case', '', 'model: toy', 'inputs: [{ file: in.json }]', 'golden:', '  file: g.json', '  source: x'])).toEqual([
      { line: 6, key: 'golden.evidence', reason: "missing key 'golden.evidence'" },
    ]);
  });

  it('inputs[1].file: the second input item', () => {
    expect(load(['model: toy', 'inputs:', '  - file: in.json', '  - at: { node: x }', 'golden: { file: g.json, evidence: snapshot }'])).toEqual([
      { line: 4, key: 'inputs[1].file', reason: "missing key 'inputs[1].file'" },
    ]);
  });

  it('model / golden at the top: the start of the document (after its comments)', () => {
    expect(load(['# comment', '# comment', 'inputs: [{ file: in.json }]'])).toEqual([
      { line: 3, key: 'model', reason: "missing key 'model'" },
      { line: 3, key: 'golden', reason: "missing key 'golden'" },
    ]);
  });
});
