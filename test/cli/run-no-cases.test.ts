// `dpconform run DIR` on a folder holding no case.yaml printed "0 cases" and exited 0, so a CI job
// pointed at a mistyped or empty folder passed. It is bad input: one line naming the folder, exit 2.

import { describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dpconform } from './spawn-cli.js';

const empty = mkdtempSync(join(tmpdir(), 'dpconform-no-cases-'));
const noCases = mkdtempSync(join(tmpdir(), 'dpconform-no-cases-'));
mkdirSync(join(noCases, 'sub'));
writeFileSync(join(noCases, 'sub', 'notes.yaml'), 'model: toy\n');

describe('run on a folder without cases', () => {
  it.each([
    ['an empty folder', empty],
    ['a folder whose files are not case.yaml', noCases],
  ])('%s: one line naming it, exit 2', (_name, folder) => {
    const r = dpconform(['run', folder]);
    expect(r.errLines).toEqual([`dpconform: ${folder}: no case.yaml in this folder or below it`]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
  });

  it('a folder with cases next to an empty one is still refused (no partial run)', () => {
    const r = dpconform(['run', 'fixtures/contiv/host-to-pod', empty]);
    expect(r.errLines).toEqual([`dpconform: ${empty}: no case.yaml in this folder or below it`]);
    expect(r.status).toBe(2);
  });

  it('a folder with cases runs as before', () => {
    const r = dpconform(['run', 'fixtures/contiv/host-to-pod']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/2 cases: 2 passed/);
  });
});
