// `cat big.pcap | dpconform inspect -` failed most runs with 'resource temporarily unavailable (EAGAIN,
// read)', exit 2: Node makes a stdin pipe non-blocking (importing 'node:process' makes process.stdin),
// so reading fd 0 before the writer has written fails. A pipe whose bytes come late must be waited for.

import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { bytesOf, cat, pcapHeader, pcapRecord } from '../io/blocks.js';

/** inspect --count - fed `parts` one after another, `gapMs` apart; its stdout, stderr and exit code. */
async function inspectSlowPipe(parts: Uint8Array[], gapMs: number): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['dist/harness/cli/main.js', 'inspect', '--count', '-'], { env: { ...process.env, CI: 'true' } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((done) => child.on('close', done));
  for (const p of parts) {
    await sleep(gapMs);
    child.stdin.write(p);
  }
  child.stdin.end();
  return { status: await exited, stdout, stderr };
}

describe('inspect -: a pipe whose bytes come late', () => {
  it('waits for them instead of failing EAGAIN', async () => {
    const records = Array.from({ length: 50 }, (_, i) => pcapRecord(bytesOf(60 + i, i)));
    const r = await inspectSlowPipe([pcapHeader(), cat(...records.slice(0, 25)), cat(...records.slice(25))], 300);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('50\n');
    expect(r.status).toBe(0);
  });
});
