// Test helpers: a private copy of the harness fixtures per test (tests mutate goldens and cases).

import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { toyModel } from '../../fixtures/harness/toy-model/index.js';

export const FIXTURES = resolve(import.meta.dirname, '../../fixtures/harness');
export const models = { toy: toyModel };

/** A temp copy of fixtures/harness (case folders + toy model scenario); returns its root. */
export function fixtureCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), 'dpconform-harness-'));
  for (const d of ['cases', 'capture-cases', 'failing']) cpSync(join(FIXTURES, d), join(dir, d), { recursive: true });
  cpSync(join(FIXTURES, 'toy-model', 'scenario.yaml'), join(dir, 'toy-model', 'scenario.yaml'));
  return dir;
}

export function editJson(file: string, edit: (doc: any) => void): void {
  const doc = JSON.parse(readFileSync(file, 'utf8'));
  edit(doc);
  writeFileSync(file, JSON.stringify(doc, null, 2) + '\n');
}

export function editText(file: string, edit: (text: string) => string): void {
  writeFileSync(file, edit(readFileSync(file, 'utf8')));
}
