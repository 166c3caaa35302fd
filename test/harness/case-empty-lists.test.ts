// case.yaml lists that hold nothing: `golden: []` ran, compared nothing and PASSED (exit 0); `inputs: []`
// FAILED as if the model had dropped every golden packet. Both are a case.yaml mistake: one line
// naming the file, line and key (exit 2 through the case error).

import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCase } from '../../harness/suite/load-case.js';

function load(yaml: string[]) {
  const dir = mkdtempSync(join(tmpdir(), 'dpconform-case-empty-'));
  writeFileSync(join(dir, 'in.json'), '{}');
  writeFileSync(join(dir, 'case.yaml'), yaml.join('\n') + '\n');
  return loadCase(join(dir, 'case.yaml'), 'x');
}

describe('case.yaml lists that must hold something', () => {
  it('golden: [] is refused at its line', () => {
    const { spec, errors } = load(['model: toy', 'inputs: [{ file: in.json }]', 'golden: []']);
    expect(spec).toBeUndefined();
    expect(errors.map((e) => e.message)).toEqual([expect.stringMatching(/case\.yaml \(line 3, key golden\): an empty list: a case is compared against at least one golden$/)]);
  });

  it('inputs: [] is refused at its line', () => {
    const { spec, errors } = load(['model: toy', 'inputs: []', 'golden: { file: g.json, evidence: snapshot }']);
    expect(spec).toBeUndefined();
    expect(errors.map((e) => e.message)).toEqual([expect.stringMatching(/case\.yaml \(line 2, key inputs\): an empty list: a case replays at least one input$/)]);
  });

  it('one input and one golden still load', () => {
    const { spec, errors } = load(['model: toy', 'inputs: [{ file: in.json }]', 'golden: [{ file: g.json, evidence: snapshot }]']);
    expect(errors).toEqual([]);
    expect(spec?.goldens).toHaveLength(1);
  });
});

describe('a case.yaml that is not a mapping', () => {
  it.each([
    ['an empty file', [''], 'an empty document', 1],
    ['a comment only', ['# nothing yet'], 'an empty document', 1],
    ['a bare scalar', ['', 'hello'], 'a scalar', 2],
    ['a list', ['- model: toy'], 'a list', 1],
  ])('%s is one error naming the file and line', (_what, yaml, found, line) => {
    const { spec, errors } = load(yaml);
    expect(spec).toBeUndefined();
    expect(errors.map((e) => e.message)).toEqual([expect.stringMatching(new RegExp(`case\\.yaml \\(line ${line}\\): expected a mapping of case keys \\(name, model, .*\\), found ${found}$`))]);
  });
});
