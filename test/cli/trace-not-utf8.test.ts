// VPP trace text was decoded leniently: a byte that is not UTF-8 (a Latin-1 'é' pasted into a trace)
// became U+FFFD without a word in trace parse/show/fmt/to-pcap, diff, replay and run. Every trace
// reader now takes its bytes through harness/vpp-trace/read-text.ts, which refuses them as YAML files
// are refused: file, line and byte offset of the first bad byte, one line, exit 2.

import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { utf8Chunks } from '../../harness/io/utf8-text.js';
import { dpconform } from './spawn-cli.js';

const golden = join(process.cwd(), 'golden/contiv/pod-to-pod-same-node.request.trace');
const text = readFileSync(golden);
const dir = mkdtempSync(join(tmpdir(), 'dpconform-trace-not-utf8-'));
const cut = text.indexOf('\n', 200); // end of line 6, byte 223
const bad = join(dir, 'bad.trace');
writeFileSync(bad, Buffer.concat([text.subarray(0, cut), Buffer.from(' caf\xe9', 'latin1'), text.subarray(cut)]));
const refusal = (file: string) => `dpconform: ${file} (line 6, offset ${cut + 4}): not UTF-8 text: byte 0xe9 starts no valid UTF-8 sequence`;

describe('trace readers refuse bytes that are not UTF-8', () => {
  it.each([
    ['trace parse', ['trace', 'parse', bad]],
    ['trace show', ['trace', 'show', bad]],
    ['trace fmt', ['trace', 'fmt', bad]],
    ['trace to-pcap', ['trace', 'to-pcap', bad, '-o', join(dir, 'out.pcapng')]],
    ['diff', ['diff', golden, bad]],
    ['replay', ['replay', '--scenario', 'fixtures/contiv/scenario.yaml', '--instance', 'k8s-master', '--input', bad]],
  ])('%s: file, line, offset; exit 2', (_name, args) => {
    const r = dpconform(args);
    expect(r.errLines).toEqual([refusal(bad)]);
    expect(r.status).toBe(2);
  });

  it('trace parse - (stdin) names <stdin>', () => {
    const r = spawnSync(process.execPath, ['dist/harness/cli/main.js', 'trace', 'parse', '-'], { input: readFileSync(bad), encoding: 'utf8', env: { ...process.env, CI: 'true' } });
    expect(r.stderr.split('\n').filter(Boolean)).toEqual([refusal('<stdin>')]);
    expect(r.status).toBe(2);
  });

  it('a file ending inside a sequence', () => {
    const file = join(dir, 'cut.trace');
    writeFileSync(file, Buffer.concat([text, Buffer.from([0xc3])]));
    const lines = text.toString('latin1').split('\n').length;
    expect(dpconform(['trace', 'parse', file]).errLines).toEqual([`dpconform: ${file} (line ${lines}, offset ${text.length}): not UTF-8 text: byte 0xc3 starts no valid UTF-8 sequence`]);
  });
});

describe('utf8Chunks', () => {
  async function collect(chunks: Uint8Array[]): Promise<string> {
    async function* from() {
      yield* chunks;
    }
    const dec = new TextDecoder();
    let s = '';
    for await (const c of utf8Chunks(from(), 'f')) s += typeof c === 'string' ? c : dec.decode(c, { stream: true });
    return s + dec.decode();
  }

  it('passes a sequence split between chunks through whole', async () => {
    const e = new TextEncoder().encode('a\ncafé …\n');
    expect(await collect([e.subarray(0, 6), e.subarray(6, 9), e.subarray(9)])).toBe('a\ncafé …\n');
  });

  it('counts offset and line across chunks', async () => {
    const chunks = [Buffer.from('ab\ncd\n'), Buffer.from('x\xc3', 'latin1'), Buffer.from('(\n', 'latin1')];
    await expect(collect(chunks)).rejects.toThrow('f (line 3, offset 7): not UTF-8 text: byte 0xc3 starts no valid UTF-8 sequence');
  });
});
