// A VPP scenario is read twice (its `extends` chain, then its keys against the schema). Given a FIFO
// (`replay --scenario <(envsubst < s.yaml)`), the second open waited for a writer forever: a hang
// with no word (and, without a writer, the first open hung too). Refused before any open: one line
// naming it, exit 2.

import { describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

describe('a scenario that cannot be read twice', () => {
  it('replay --scenario FIFO is refused naming it, exit 2 (it hung)', () => {
    const fifo = join(mkdtempSync(join(tmpdir(), 'dpconform-scenario-fifo-')), 'scenario.yaml');
    execFileSync('mkfifo', [fifo]);
    const args = ['replay', '--scenario', fifo, '--instance', 'k8s-master', '--input', 'golden/contiv/host-to-pod.request.trace'];
    const r = spawnSync(process.execPath, ['dist/harness/cli/main.js', ...args], { encoding: 'utf8', env: { ...process.env, CI: 'true' }, timeout: 10_000 });
    expect(r.stderr.split('\n').filter(Boolean)).toEqual([
      `dpconform: ${fifo}: is a pipe (FIFO), not a file: a scenario is read twice (its extends chain, then its keys); save it to a file first`,
    ]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
  });
});
