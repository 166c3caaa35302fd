// `-o -` wrote a file named `-` (replay --format pcap, trace to-pcap, run --reporter json), while `-`
// as an input is stdin (`inspect -`, `replay --input -`). It is stdout for every command with -o
// (harness/io/output-target.ts); pcapng to a terminal is refused with one line, exit 2.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCaptureAll } from '../../harness/io/capture.js';
import { InputError } from '../../harness/io/input-error.js';
import { refuseBinaryToTerminal } from '../../harness/io/output-target.js';

const main = resolve('dist/harness/cli/main.js');
const SEED = resolve('golden/contiv/seed/004_c3bde7ba11825164.txt');
const PCAPNG_MAGIC = '0a0d0d0a';

/** The CLI run in an empty folder (a file named `-` would show there), stdout as bytes. */
function inEmptyFolder(args: string[]): { status: number | null; stdout: Buffer; stderr: string; cwd: string } {
  const cwd = mkdtempSync(join(tmpdir(), 'dpconform-o-stdout-'));
  const r = spawnSync(process.execPath, [main, ...args], { cwd, env: { ...process.env, CI: 'true' }, timeout: 120_000, maxBuffer: 64 << 20 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr.toString('utf8'), cwd };
}

describe('-o - writes to stdout', () => {
  it('trace to-pcap -o -: the pcapng on stdout, no file named -', async () => {
    const r = inEmptyFolder(['trace', 'to-pcap', SEED, '-o', '-']);
    expect(r.status).toBe(0);
    expect(existsSync(join(r.cwd, '-'))).toBe(false);
    expect(r.stdout.subarray(0, 4).toString('hex')).toBe(PCAPNG_MAGIC);
    expect(r.stderr.trimEnd().split('\n').pop()).toBe('<stdout>: 126 frame(s) of 18 packet(s)');
    // What the CLI wrote (its second pass fills no fields): packet 1's ethernet-input frame, 14 of 74 bytes.
    const file = join(r.cwd, 'seed.pcapng');
    writeFileSync(file, r.stdout);
    const eth = (await readCaptureAll(file)).find((p) => p.meta.comment?.startsWith('packet 1 ethernet-input'))!;
    expect([eth.data.length, eth.meta.origLength]).toEqual([14, 74]);
  });

  it('replay --format pcap -o -: the pcapng on stdout, no file named -', () => {
    const r = inEmptyFolder(['replay', '--scenario', resolve('fixtures/contiv/pod-to-pod-same-node/scenario.yaml'), '--instance', 'k8s-master', '--input', resolve('golden/contiv/pod-to-pod-same-node.request.trace'), '--format', 'pcap', '-o', '-']);
    expect(r.status).toBe(0);
    expect(existsSync(join(r.cwd, '-'))).toBe(false);
    expect(r.stdout.subarray(0, 4).toString('hex')).toBe(PCAPNG_MAGIC);
  });

  it('run --reporter json -o -: the JSON report on stdout (the text summary on stderr), no file named -', () => {
    const r = inEmptyFolder(['run', resolve('fixtures/contiv/host-to-pod'), '--reporter', 'json', '-o', '-']);
    expect(existsSync(join(r.cwd, '-'))).toBe(false);
    expect(() => JSON.parse(r.stdout.toString('utf8'))).not.toThrow();
  });

  it('pcapng to a terminal is refused, before any work; to a pipe or a file it is written', () => {
    expect(() => refuseBinaryToTerminal('-', 'pcapng', { isTTY: true })).toThrow(InputError);
    expect(() => refuseBinaryToTerminal('-', 'pcapng', { isTTY: true })).toThrow(/^-o - would write pcapng \(binary\) to the terminal: redirect stdout/);
    expect(() => refuseBinaryToTerminal('-', 'pcapng', { isTTY: false })).not.toThrow();
    expect(() => refuseBinaryToTerminal('out.pcapng', 'pcapng', { isTTY: true })).not.toThrow();
  });
});
