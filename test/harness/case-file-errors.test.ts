// case.yaml faults a person must be able to fix from the one line they get: a YAML syntax error
// names its line, and a path that names a folder says so (not "no such file", not an internal EISDIR);
// one that names a FIFO says that (it was reported as "a folder").

import { describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCase } from '../../harness/suite/load-case.js';

function caseDir(yaml: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'dpconform-case-errors-'));
  writeFileSync(join(dir, 'in.json'), '{}');
  mkdirSync(join(dir, 'folder'));
  execFileSync('mkfifo', [join(dir, 'fifo')]);
  writeFileSync(join(dir, 'case.yaml'), yaml.join('\n') + '\n');
  return dir;
}

describe('case.yaml errors name the line and what is wrong', () => {
  it('a YAML syntax error carries the line it is on', () => {
    const dir = caseDir(['model: toy', 'golden: { file: g.json, evidence: snapshot }', 'inputs: [{ file: in.json']);
    const { spec, errors } = loadCase(join(dir, 'case.yaml'), 'x');
    expect(spec).toBeUndefined();
    expect(errors.length).toBeGreaterThan(0);
    for (const e of errors) expect(e.where.line, e.message).toBeTypeOf('number');
    expect(errors[0].message).toMatch(/case\.yaml \(line \d+\): YAML: /);
  });

  // Each of the three places a case names a file, pointed at a folder and at a FIFO.
  const places = (target: string): [string, string[], number, string][] => [
    ['scenario', ['model: toy', `scenario: ${target}`, 'inputs: [{ file: in.json }]', 'golden: { file: g.json, evidence: snapshot }'], 2, 'scenario'],
    ['an input', ['model: toy', `inputs: [{ file: ${target}, format: capture }]`, 'golden: { file: g.json, evidence: snapshot }'], 2, 'inputs[0].file'],
    ['a golden', ['model: toy', 'inputs: [{ file: in.json }]', `golden: { file: ${target}, format: stages, evidence: snapshot }`], 3, 'golden.file'],
  ];
  it.each([
    ...places('folder').map(([what, ...rest]) => [what, 'a folder', ...rest] as const),
    ...places('fifo').map(([what, ...rest]) => [what, 'a pipe (FIFO)', ...rest] as const),
  ])('%s that names %s is reported as such, with line and key', (_what, kind, yaml, line, key) => {
    const dir = caseDir(yaml);
    const { errors } = loadCase(join(dir, 'case.yaml'), 'x');
    const target = kind === 'a folder' ? 'folder' : 'fifo';
    expect(errors.map((e) => e.message)).toEqual([expect.stringMatching(new RegExp(`is ${kind.replace(/[()]/g, '\\$&')}, not a file: ${target}$`))]);
    expect(errors[0].where).toMatchObject({ line, key });
  });

  // `file: golden.trac` (a typo of .trace) said "cannot tell the format from the file name; add
  // format: ...", as if the file were there: a missing file is reported missing, with its key.
  it('a golden named with a typo is reported missing, not as a format question', () => {
    const dir = caseDir(['model: toy', 'inputs: [{ file: in.json }]', 'golden: { file: golden.trac, evidence: conformance }']);
    const { errors } = loadCase(join(dir, 'case.yaml'), 'x');
    expect(errors.map((e) => e.message)).toEqual([expect.stringMatching(/: no such file: golden\.trac$/)]);
    expect(errors[0].where).toMatchObject({ line: 3, key: 'golden.file' });
  });

  it('a case.yaml the OS cannot open is reported in its words, the path once', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dpconform-case-errors-'));
    const file = join(dir, 'case.yaml');
    symlinkSync(join(dir, 'gone.yaml'), file);
    const { errors } = loadCase(file, 'x');
    expect(errors.map((e) => e.message)).toEqual([`${file}: no such file or directory (ENOENT, open)`]);
  });
});
