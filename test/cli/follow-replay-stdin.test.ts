// `dpconform replay --input -` looked for a file named "-" ("-: no such file or directory"), though
// the capture reader takes `-` as stdin (`inspect -`). Now a capture (by its magic) or VPP trace
// text on stdin replays as the file does; errors name <stdin>.

import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodePcapng } from '../../harness/io/pcapng.js';
import { fromHex } from '../../harness/wire/bytes.js';
import { LinkType } from '../../harness/wire/packet.js';
import { dpconform } from './spawn-cli.js';

const SCENARIO = 'fixtures/contiv/host-to-pod/scenario.yaml';
const TRACE = 'golden/contiv/host-to-pod.request.trace';
const dir = mkdtempSync(join(tmpdir(), 'dpconform-follow-replay-stdin-'));
const args = (input: string, more: string[] = []) => ['replay', '--scenario', SCENARIO, '--instance', 'k8s-master', '--input', input, ...more];

function replayStdin(more: string[], input: Uint8Array | string) {
  const r = spawnSync(process.execPath, ['dist/harness/cli/main.js', ...args('-', more)], { input, encoding: 'utf8', env: { ...process.env, CI: 'true' } });
  return { status: r.status, stdout: r.stdout, errLines: r.stderr.split('\n').filter(Boolean) };
}

describe('replay --input - reads stdin', () => {
  it('VPP trace text on stdin: the same trace as from the file', () => {
    const fromFile = dpconform(args(TRACE));
    expect(fromFile.status).toBe(0);
    const r = replayStdin([], readFileSync(TRACE));
    expect(r.errLines).toEqual([]);
    expect(r.stdout).toBe(fromFile.stdout);
    expect(r.stdout).toContain('virtio-input');
    expect(r.status).toBe(0);
  });

  it('a pcapng on stdin: the same trace as from the file', () => {
    // fixtures/contiv/host-to-pod/request/input.json: the frame entering virtio-input on tap0.
    const hex = JSON.parse(readFileSync('fixtures/contiv/host-to-pod/request/input.json', 'utf8')).traces[0].stages[0].packet.hex as string;
    const capture = join(dir, 'tap0.pcapng');
    writeFileSync(capture, encodePcapng([{ data: fromHex(hex), meta: { linkType: LinkType.ETHERNET } }], { interfaces: [{ linkType: LinkType.ETHERNET, name: 'tap0' }] }));
    const fromFile = dpconform(args(capture));
    expect(fromFile.status).toBe(0);
    const r = replayStdin([], readFileSync(capture));
    expect(r.errLines).toEqual([]);
    expect(r.stdout).toBe(fromFile.stdout);
    expect(r.status).toBe(0);
  });

  it('bad input on stdin names <stdin>, exit 2', () => {
    const notText = replayStdin([], Buffer.from('x\xff\n', 'latin1'));
    expect(notText.errLines).toEqual(['dpconform: <stdin> (line 1, offset 1): not UTF-8 text: byte 0xff starts no valid UTF-8 sequence']);
    expect(notText.status).toBe(2);
    const empty = replayStdin([], '');
    expect(empty.errLines).toEqual(['dpconform: <stdin>: no packet trace in this file (expected VPP `show trace` text or a pcap/pcapng capture)']);
    expect(empty.status).toBe(2);
  });

  it('the help text says so', () => {
    expect(dpconform(['replay', '--help']).stdout).toMatch(/--input <file>\s+pcap\/pcapng capture or VPP `show trace` text \(- reads\s+either from stdin\)/);
  });
});
