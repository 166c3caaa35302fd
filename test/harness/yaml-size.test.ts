// A YAML scenario or case.yaml past 4 MiB is refused before it is read: a 54 MB scenario took 4 GB of
// memory and 3.5 minutes in the YAML parser before any check ran.

import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCase } from '../../harness/suite/load-case.js';
import { loadYaml } from '../../harness/scenario/load.js';
import { InputError } from '../../harness/io/input-error.js';
import { YAML_MAX_BYTES } from '../../harness/scenario/yaml-size.js';

/** A YAML file of `bytes` bytes: one valid key, then a comment filling the rest. */
function yamlOf(bytes: number, name: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'dpconform-yaml-size-')), name);
  const head = 'model: toy\n# ';
  writeFileSync(file, head + 'x'.repeat(bytes - head.length - 1) + '\n');
  return file;
}

const REASON = '4194305 bytes is past the 4194304 (4 MiB) a YAML scenario or case file may hold (it is parsed whole, at about 75 times its size in memory)';

describe('a YAML file past the size limit', () => {
  it('a scenario: one InputError naming the file and its size', () => {
    const file = yamlOf(YAML_MAX_BYTES + 1, 'scenario.yaml');
    let e: unknown;
    try {
      loadYaml(file);
    } catch (x) {
      e = x;
    }
    expect(e).toBeInstanceOf(InputError);
    expect((e as InputError).message).toBe(`${file}: ${REASON}`);
  });

  it('a case.yaml: its one error', () => {
    const file = yamlOf(YAML_MAX_BYTES + 1, 'case.yaml');
    expect(loadCase(file, 'x').errors.map((e) => e.message)).toEqual([`${file}: ${REASON}`]);
  });

  it('a file of exactly the limit is read', () => {
    const file = yamlOf(YAML_MAX_BYTES, 'scenario.yaml');
    expect(loadYaml<{ model: string }>(file).value.model).toBe('toy');
  });
});
