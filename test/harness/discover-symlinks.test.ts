// A case folder or case.yaml reached through a symbolic link was skipped without a word (a Dirent of
// a link is neither a file nor a folder): a suite of linked cases ran only its other cases, exit 0.
// Links are followed now; a link loop is walked once, not forever.

import { describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { discoverCases } from '../../harness/suite/discover.js';

function caseIn(dir: string): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'case.yaml'), 'model: toy\n');
}

describe('discoverCases follows symbolic links', () => {
  it('finds a linked case folder, a linked case.yaml and the plain case; a loop ends', () => {
    const root = mkdtempSync(join(tmpdir(), 'dpconform-discover-links-'));
    caseIn(join(root, 'elsewhere', 'folder-case'));
    caseIn(join(root, 'elsewhere', 'file-case'));
    const suite = join(root, 'suite');
    caseIn(join(suite, 'plain'));
    symlinkSync(join(root, 'elsewhere', 'folder-case'), join(suite, 'linked-folder'));
    mkdirSync(join(suite, 'linked-file'));
    symlinkSync(join(root, 'elsewhere', 'file-case', 'case.yaml'), join(suite, 'linked-file', 'case.yaml'));
    symlinkSync(suite, join(suite, 'plain', 'loop'));
    expect(discoverCases([suite]).map((c) => c.defaultName)).toEqual(['linked-file', 'linked-folder', 'plain']);
  });

  it('a linked case.yaml whose target is gone is still found (loading it then names the broken link)', () => {
    const root = mkdtempSync(join(tmpdir(), 'dpconform-discover-links-'));
    mkdirSync(join(root, 'broken'));
    symlinkSync(join(root, 'nowhere', 'case.yaml'), join(root, 'broken', 'case.yaml'));
    expect(discoverCases([root]).map((c) => c.file)).toEqual([join(root, 'broken', 'case.yaml')]);
  });
});
