// Two cases under one name: both ran and both were reported as that name (a pass and a failure side
// by side, merged by JUnit consumers; --grep picking both). The later one is an error naming the file
// that holds the name first; exit 2.

import { describe, expect, it } from 'vitest';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runSuite } from '../../harness/suite/run-suite.js';
import { fixtureCopy, models } from './helpers.js';

describe('two cases with one name', () => {
  it('an explicit name: given twice: the second case is an error at its name: line', async () => {
    const root = fixtureCopy();
    cpSync(join(root, 'cases/toy-syn'), join(root, 'cases/toy-syn-copy'), { recursive: true });
    const r = await runSuite({ paths: [join(root, 'cases/toy-syn'), join(root, 'cases/toy-syn-copy')], models });
    expect(r.cases.map((c) => [c.name, c.status])).toEqual([['toy/syn', 'passed'], ['toy/syn', 'error']]);
    const line = readFileSync(join(root, 'cases/toy-syn-copy/case.yaml'), 'utf8').split('\n').findIndex((l) => l.startsWith('name:')) + 1;
    expect(r.cases[1].errors).toMatchObject([{ code: 'case.duplicate-name', file: join(root, 'cases/toy-syn-copy/case.yaml'), line, key: 'name' }]);
    expect(r.cases[1].errors[0].message).toMatch(`case name 'toy/syn' is already the name of ${join(root, 'cases/toy-syn/case.yaml')}`);
    expect(r.exitCode).toBe(2);
  });

  it('two default names (one folder name under two paths): said so, with the way out', async () => {
    const root = fixtureCopy();
    for (const where of ['one', 'two']) {
      cpSync(join(root, 'cases/toy-syn'), join(root, where, 'syn'), { recursive: true });
      const file = join(root, where, 'syn/case.yaml');
      writeFileSync(file, readFileSync(file, 'utf8').replace(/^name:.*\n/m, ''));
    }
    const r = await runSuite({ paths: [join(root, 'one'), join(root, 'two')], models });
    expect(r.cases.map((c) => [c.name, c.status])).toEqual([['syn', 'passed'], ['syn', 'error']]);
    expect(r.cases[1].errors[0].message).toMatch(/case name 'syn' is already the name of .*one\/syn\/case\.yaml \(the default name: its folder; give it a name: of its own\)$/);
  });

  it('the same case.yaml named twice on the command line is one case, not a clash', async () => {
    const root = fixtureCopy();
    const r = await runSuite({ paths: [join(root, 'cases/toy-syn'), join(root, 'cases/toy-syn/case.yaml')], models });
    expect(r.cases.map((c) => [c.name, c.status])).toEqual([['toy/syn', 'passed']]);
  });
});
