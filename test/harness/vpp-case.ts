// Test helper: a case folder (temp) replaying fixtures/contiv host-to-pod/request's input through the
// VPP model with its scenario; `at` and the golden are the test's.
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const REPO = resolve(import.meta.dirname, '../..');

export function hostToPodCase(opts: { at?: string; golden: string; evidence: 'conformance' | 'snapshot' }): string {
  const dir = mkdtempSync(join(tmpdir(), 'dpconform-vpp-case-'));
  copyFileSync(join(REPO, 'fixtures/contiv/host-to-pod/request/input.json'), join(dir, 'input.json'));
  writeFileSync(join(dir, 'case.yaml'), [
    'name: host-to-pod-variant',
    'model: vpp',
    `scenario: ${join(REPO, 'fixtures/contiv/host-to-pod/scenario.yaml')}`,
    'inputs:',
    '  - file: input.json',
    `    at: ${opts.at ?? '{ instance: k8s-master }'}`,
    `golden: { file: ${opts.golden}, evidence: ${opts.evidence} }`,
    '',
  ].join('\n'));
  return dir;
}
