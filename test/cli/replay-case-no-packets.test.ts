// `dpconform replay --case DIR` whose inputs select no packet (`packets: []`) printed VPP's
// "No packets in trace buffer" and exited 0, a silent empty result; `replay --input` already refused
// a file with nothing to replay. Now the same one line, naming case.yaml, exit 2.

import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dpconform } from './spawn-cli.js';

const repo = process.cwd();

function caseDir(packets: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'dpconform-replay-case-'));
  writeFileSync(
    join(dir, 'case.yaml'),
    [
      'name: replay/no-packets',
      'model: vpp',
      `scenario: ${join(repo, 'fixtures/contiv/scenario.yaml')}`,
      'inputs:',
      `  - file: ${join(repo, 'golden/contiv/host-to-pod.request.trace')}`,
      '    at: { instance: k8s-master }',
      `    packets: ${packets}`,
      'golden:',
      `  file: ${join(repo, 'golden/contiv/host-to-pod.request.trace')}`,
      '  evidence: conformance',
      '',
    ].join('\n'),
  );
  return dir;
}

describe('dpconform replay --case with no packet selected', () => {
  it('packets: [] is one line naming case.yaml, exit 2, nothing on stdout', () => {
    const dir = caseDir('[]');
    const r = dpconform(['replay', '--case', dir]);
    expect(r.errLines).toEqual([`dpconform: ${join(dir, 'case.yaml')} (key inputs): no packets to replay`]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
  });

  it('packets: [1] still replays (exit 0)', () => {
    const r = dpconform(['replay', '--case', caseDir('[1]')]);
    expect(r.errLines).toEqual([]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('Packet 1');
  });
});
