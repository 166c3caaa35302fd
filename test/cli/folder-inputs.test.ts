// A folder given where the CLI reads a file: one stderr line naming it, exit 2. Node reports reading
// a directory as a bare EISDIR without the path, which reached the user as "internal error", exit 3.

import { describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const main = join(process.cwd(), 'dist/harness/cli/main.js');
const scenario = join(process.cwd(), 'fixtures/contiv/scenario.yaml');
const dir = mkdtempSync(join(tmpdir(), 'dpconform-folder-inputs-'));
// Folders named like the files they stand for (the format is taken from the name).
const traceDir = join(dir, 'x.trace');
const jsonDir = join(dir, 'x.json');
mkdirSync(traceDir);
mkdirSync(jsonDir);

function dpconform(args: string[]) {
  return spawnSync(process.execPath, [main, ...args], { encoding: 'utf8', env: { ...process.env, CI: 'true' }, timeout: 30_000 });
}

describe('a folder where a file is read', () => {
  it.each([
    ['trace parse', ['trace', 'parse', traceDir], traceDir, 'a VPP trace file'],
    ['trace show', ['trace', 'show', traceDir], traceDir, 'a VPP trace file'],
    ['trace to-pcap', ['trace', 'to-pcap', traceDir, '-o', join(dir, 'out.pcapng')], traceDir, 'a VPP trace file'],
    ['replay --input', ['replay', '--scenario', scenario, '--instance', 'k8s-master', '--input', dir], dir, 'a capture or VPP trace file'],
    ['diff of traces', ['diff', traceDir, traceDir], traceDir, 'a VPP trace file'],
    ['diff of stage records', ['diff', jsonDir, jsonDir], jsonDir, 'a JSON stage-records file'],
  ])('%s: one line naming the folder, exit 2', (_name, args, folder, expected) => {
    const r = dpconform(args);
    expect(r.stderr.split('\n').filter(Boolean)).toEqual([`dpconform: ${folder}: is a directory, not ${expected}`]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
  });
});
