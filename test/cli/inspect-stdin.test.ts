// `dpconform inspect -` opened a file named "-" ("no such file"): a capture piped in (`tcpdump -w - |
// dpconform inspect -`) could not be read. `-` is stdin now, read by the same streaming reader
// (harness/io/read-handle.ts), errors naming `<stdin>`.

import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dpconform } from './spawn-cli.js';

function inspectStdin(args: string[], input: Uint8Array) {
  const r = spawnSync(process.execPath, ['dist/harness/cli/main.js', 'inspect', ...args, '-'], { input, encoding: 'utf8', env: { ...process.env, CI: 'true' } });
  return { status: r.status, stdout: r.stdout, errLines: r.stderr.split('\n').filter(Boolean) };
}

describe('inspect - reads the capture from stdin', () => {
  it.each(['fixtures/captures/eth-ipv4-be.pcapng', 'fixtures/captures/eth-ipv4-us-le.pcap'])('%s: prints what the file prints', (capture) => {
    const fromFile = dpconform(['inspect', capture]);
    const r = inspectStdin([], readFileSync(capture));
    expect(r.errLines).toEqual([]);
    expect(r.stdout).toBe(fromFile.stdout);
    expect(r.stdout.split('\n').length).toBeGreaterThan(2);
    expect(r.status).toBe(0);
  });

  it('a damaged capture on stdin names <stdin>, exit 2', () => {
    const r = inspectStdin(['--count'], Buffer.from('garbage\n'));
    expect(r.errLines).toEqual(['dpconform: <stdin> (packet 1, offset 0): not a pcap or pcapng file (magic 0x67617262)']);
    expect(r.status).toBe(2);
  });
});
