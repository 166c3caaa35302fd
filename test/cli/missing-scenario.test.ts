// A missing --scenario file printed "s.yaml: cannot read: ENOENT", unlike every other file the OS
// refuses (a missing --input: "x: no such file or directory (ENOENT, open)", cli/guard.ts
// systemErrorLine). Now the same one-line form, exit 2.

import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dpconform } from './spawn-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'dpconform-missing-scenario-'));
const trace = join(process.cwd(), 'golden/contiv/pod-to-pod-same-node.request.trace');

describe('a missing --scenario file', () => {
  it('is named in the same words as a missing --input', () => {
    const scenario = join(dir, 'nope.yaml');
    const r = dpconform(['replay', '--scenario', scenario, '--input', trace]);
    expect(r.errLines).toEqual([`dpconform: ${scenario}: no such file or directory (ENOENT, open)`]);
    expect(r.status).toBe(2);
    const input = join(dir, 'nope.trace');
    const other = dpconform(['replay', '--scenario', join(process.cwd(), 'fixtures/contiv/scenario.yaml'), '--instance', 'k8s-master', '--input', input]);
    expect(other.errLines).toEqual([`dpconform: ${input}: no such file or directory (ENOENT, open)`]);
  });
});
