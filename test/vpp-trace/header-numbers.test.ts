// Packet numbers, thread indexes and the display limit are printed by VPP from u32 values (vlib/trace.c
// cli_show_trace_buffer: `Packet %d` of `i + 1`, `Start of thread %d` of `index`, `Limiting display
// to %d packets` of `max`). A longer number was read as a float: `Packet 99999999999999999999999`
// printed back as `Packet 1e+23`, a thread index 99999999999999999999 as 100000000000000000000,
// without a word. Such text is not VPP's: one line naming file and line, exit 2.

import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseTrace } from '../../harness/vpp-trace/parse.js';
import { formatCanonical } from '../../harness/vpp-trace/format.js';
import { runTrace } from './trace-cli-run.js';

const THREAD = (index: string) => `------------------- Start of thread ${index} vpp_main -------------------`;
const STAGE = ['00:00:01:000001: error-drop', '  ip4-input: valid ip4 packets'].join('\n');
const trace = (thread: string, packet: string, limit = '') =>
  [...(limit ? [`Limiting display to ${limit} packets. To display more specify max.`] : []), THREAD(thread), `Packet ${packet}`, '', STAGE, '', ''].join('\n');

describe('numbers VPP prints from u32 values', () => {
  it('the largest u32 reads and prints back as written', () => {
    const text = trace('4294967295', '4294967295', '4294967295');
    expect(formatCanonical(parseTrace(text))).toBe(text);
  });

  it.each([
    ['packet number', trace('0', '99999999999999999999999'), 2],
    ['packet number', trace('0', '4294967296'), 2],
    ['thread index', trace('99999999999999999999', '1'), 1],
    ['display limit', trace('0', '1', '4294967296'), 1],
  ])('a %s beyond a u32 is bad input naming its line', (what, text, line) => {
    expect(() => parseTrace(text, { file: 'x.txt' })).toThrow(`x.txt (line ${line}): ${what} `);
  });

  it('trace fmt: one line, exit 2; a thousand-digit number is not repeated whole', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vpp-trace-numbers-'));
    const file = join(dir, 'big-packet.txt');
    writeFileSync(file, trace('0', '9'.repeat(1000)));
    const r = await runTrace('fmt', file);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toBe(`dpconform: ${file} (line 2): packet number 999999999999999999999999... (1000 digits) is larger than VPP prints (a u32, at most 4294967295)\n`);
  });
});
