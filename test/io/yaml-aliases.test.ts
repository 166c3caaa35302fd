// YAML aliases in a scenario or case.yaml: one to an undefined anchor was an internal error
// ("Unresolved alias", exit 3) in a scenario and "expected a list" in a case; one that resolved was
// checked as the alias node ("expected a mapping" at the `*name` line). Both are refused now with
// the file, the line and the alias.

import { describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCase } from '../../harness/suite/load-case.js';
import { dpconform } from '../cli/spawn-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'dpconform-yaml-aliases-'));

function caseFile(name: string, lines: string[]): string {
  mkdirSync(join(dir, name));
  writeFileSync(join(dir, name, 'in.json'), '{}');
  writeFileSync(join(dir, name, 'case.yaml'), lines.join('\n') + '\n');
  return join(dir, name, 'case.yaml');
}

const UNDEFINED = 'no anchor &nothere is defined before it';
const DEFINED = 'aliases are not supported: write the value out';

describe('YAML aliases', () => {
  it.each([
    ['an undefined anchor', ['description: x', 'instances: *nothere'], 2, 'nothere', UNDEFINED],
    ['a defined anchor', ['instances:', '  a: &vm', '    interfaces: []', '  b: *vm'], 4, 'vm', DEFINED],
  ])('in a scenario, %s: file, line, alias, exit 2', (name, lines, line, alias, why) => {
    const scenario = join(dir, `${name.replace(/ /g, '-')}.yaml`);
    writeFileSync(scenario, lines.join('\n') + '\n');
    const r = dpconform(['replay', '--scenario', scenario, '--input', 'fixtures/captures/eth-ipv4-be.pcapng']);
    expect(r.errLines).toEqual([`dpconform: ${scenario} (line ${line}): YAML alias *${alias}: ${why}`]);
    expect(r.status).toBe(2);
  });

  it.each([
    ['an undefined', ['model: toy', 'tags: *nothere', 'inputs: [{ file: in.json }]', 'golden: { file: g.json, evidence: snapshot }'], 2, 'nothere', UNDEFINED],
    ['a defined', ['model: toy', 'description: &d x', 'tags: [*d]', 'inputs: [{ file: in.json }]', 'golden: { file: g.json, evidence: snapshot }'], 3, 'd', DEFINED],
  ])('in a case.yaml, %s anchor: the case error names line and alias', (name, lines, line, alias, why) => {
    const file = caseFile(name, lines);
    const { spec, errors } = loadCase(file, 'x');
    expect(spec).toBeUndefined();
    expect(errors.map((e) => e.message)).toEqual([`${file} (line ${line}): YAML alias *${alias}: ${why}`]);
  });
});
