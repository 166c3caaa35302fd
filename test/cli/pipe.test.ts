// `dpconform ... | head`: the reader closes the pipe early. The command must end quietly (exit 0, no
// stack trace) rather than crash on EPIPE.

import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = process.cwd();
const CLI = join(ROOT, 'dist/harness/cli/main.js');

describe('a closed output pipe', () => {
  it('ends the command quietly with exit 0', async () => {
    // A few MB of VPP trace text (the seed's traces, repeated): far more than a pipe buffer holds.
    const dir = mkdtempSync(join(tmpdir(), 'dpconform-pipe-'));
    const big = join(dir, 'big.trace');
    writeFileSync(big, readFileSync(join(ROOT, 'golden/contiv/pod-to-pod-other-node.request.trace'), 'utf8').repeat(400));
    const args = [CLI, 'trace', 'fmt', big];
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    rmSync(dir, { recursive: true, force: true });
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });
});
