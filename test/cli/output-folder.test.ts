// `-o newdir/` (a path ending in a slash) or `-o` naming an existing folder failed at the very end
// with Node's raw "illegal operation on a directory (EISDIR, open)". Refused first: one line naming
// the output, exit 2, nothing written.

import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dpconform } from './spawn-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'dpconform-output-folder-'));
const trace = 'golden/contiv/pod-to-pod-same-node.request.trace';
const refusal = (out: string) => `dpconform: ${out}: the output (-o) names a folder, not a file: give a file name`;

describe('-o naming a folder', () => {
  it.each([
    ['trace to-pcap', (out: string) => ['trace', 'to-pcap', trace, '-o', out]],
    ['replay', (out: string) => ['replay', '--scenario', 'fixtures/contiv/scenario.yaml', '--instance', 'k8s-master', '--input', trace, '--format', 'pcap', '-o', out]],
    ['run', (out: string) => ['run', 'fixtures/contiv/host-to-pod', '--reporter', 'json', '-o', out]],
  ])('%s: a new path ending in a slash, and an existing folder', (_name, args) => {
    const fresh = join(dir, `${_name.replace(' ', '-')}-new/`);
    const r = dpconform(args(fresh));
    expect(r.errLines).toEqual([refusal(fresh)]);
    expect(r.status).toBe(2);
    expect(existsSync(fresh)).toBe(false);

    const old = dpconform(args(dir));
    expect(old.errLines).toEqual([refusal(dir)]);
    expect(old.status).toBe(2);
  });
});
