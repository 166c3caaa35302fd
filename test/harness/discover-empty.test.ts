// Discovery refuses a folder given to it that holds no case.yaml at any depth, in the same walk that
// finds the cases (run used to walk a second time to find one). A case found under an earlier path
// still counts for a later one: `run fixtures fixtures/contiv` is not a folder without cases.

import { describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { discoverCases } from '../../harness/suite/discover.js';
import { InputError } from '../../harness/io/input-error.js';

describe('discoverCases on a folder without cases', () => {
  it('refuses it, naming the folder, after the cases of the paths before it', () => {
    const empty = mkdtempSync(join(tmpdir(), 'dpconform-discover-'));
    let err: unknown;
    try {
      discoverCases(['fixtures/contiv/host-to-pod', empty]);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).code).toBe('run.no-cases');
    expect((err as InputError).message).toBe(`${resolve(empty)}: no case.yaml in this folder or below it`);
  });

  it('counts a case already found under an earlier path', () => {
    const root = mkdtempSync(join(tmpdir(), 'dpconform-discover-'));
    mkdirSync(join(root, 'a', 'b'), { recursive: true });
    writeFileSync(join(root, 'a', 'b', 'case.yaml'), 'model: toy\n');
    expect(discoverCases([root, join(root, 'a')]).map((c) => c.file)).toEqual([join(root, 'a', 'b', 'case.yaml')]);
  });
});
