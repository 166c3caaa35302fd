// `-o nosuchdir/out` failed only after the whole run or replay, with Node's ENOENT at the write (and
// `-o a-file/out` with ENOTDIR). Refused first (harness/io/output-folder-missing.ts): one line naming
// the output and its folder, exit 2, nothing written.

import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dpconform } from './spawn-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'dpconform-follow-out-'));
const trace = 'golden/contiv/pod-to-pod-same-node.request.trace';
const aFile = join(dir, 'a-file');
writeFileSync(aFile, 'x');

describe('-o in a folder that does not exist', () => {
  it.each([
    ['trace to-pcap', (out: string) => ['trace', 'to-pcap', trace, '-o', out]],
    ['replay', (out: string) => ['replay', '--scenario', 'fixtures/contiv/scenario.yaml', '--instance', 'k8s-master', '--input', trace, '-o', out]],
    ['run', (out: string) => ['run', 'fixtures/contiv/host-to-pod', '--reporter', 'json', '-o', out]],
  ])('%s: a missing folder, and a file where the folder should be', (_name, args) => {
    const missing = join(dir, 'no-such-folder', 'out');
    const r = dpconform(args(missing));
    expect(r.errLines).toEqual([`dpconform: ${missing}: the output (-o) is in folder ${join(dir, 'no-such-folder')}, which does not exist: create it first`]);
    expect(r.status).toBe(2);
    expect(existsSync(join(dir, 'no-such-folder'))).toBe(false);

    const underFile = join(aFile, 'out');
    const f = dpconform(args(underFile));
    expect(f.errLines).toEqual([`dpconform: ${underFile}: the output (-o) is in ${aFile}, which is not a folder`]);
    expect(f.status).toBe(2);
  });
});
