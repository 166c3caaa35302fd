// A case name (or tag) with a newline or an ESC was accepted: `name: "x\nPASS y"` printed a report line
// of its own that read like another case's result, and ESC sequences recoloured the terminal. Refused
// with line and key.

import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCase } from '../../harness/suite/load-case.js';

function load(lines: string[]) {
  const dir = mkdtempSync(join(tmpdir(), 'dpconform-case-name-'));
  writeFileSync(join(dir, 'in.json'), '{}');
  writeFileSync(join(dir, 'case.yaml'), [...lines, 'model: toy', 'inputs: [{ file: in.json }]', 'golden: { file: g.json, evidence: snapshot }', ''].join('\n'));
  return loadCase(join(dir, 'case.yaml'), 'x');
}

describe('case names and tags are one line of text', () => {
  // YAML line -> the key the error names.
  const refused: Record<string, string> = {
    'name: "ok\\nPASS forged"': 'name',
    'name: "red \\e[31m"': 'name',
    'tags: [fine, "a\\tb"]': 'tags[1]',
  };
  it.each(Object.entries(refused))('%s is refused, naming %s', (line, key) => {
    const { spec, errors } = load([line]);
    expect(spec).toBeUndefined();
    expect(errors.map((e) => e.message)).toEqual([expect.stringMatching(/\(line 1, key .*\): expected one line of text without control characters/)]);
    expect(errors[0].where).toMatchObject({ line: 1, key });
  });

  it('a name with spaces, slashes and non-ASCII letters loads', () => {
    const { spec, errors } = load(['name: "contiv/pod → service, réponse"', 'tags: [a-b, "c d"]']);
    expect(errors).toEqual([]);
    expect(spec?.name).toBe('contiv/pod → service, réponse');
  });
});
