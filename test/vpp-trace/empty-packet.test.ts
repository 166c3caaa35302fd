// A `Packet N` line with nothing under it (a trace file cut right after the line): it counted as a
// packet with no stage, silently (`dpconform diff` reported it "missing"). The parser now warns,
// naming the line, so `trace parse` shows where the file was cut.

import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { parseTrace } from '../../harness/vpp-trace/parse.js';

const real = readFileSync('golden/contiv/host-to-pod.request.trace', 'utf8');
const numbered = `------------------- Start of thread 0 vpp_main -------------------\nPacket 1\n\n${real.slice(real.search(/^\d\d:\d\d:\d\d:\d{6}: /m))}\n`;

describe('a Packet line with no node record', () => {
  it('the real trace numbered: no such warning', () => {
    expect(parseTrace(numbered).warnings.filter((w) => w.code === 'empty-packet')).toEqual([]);
  });

  it('cut right after "Packet 2": one warning naming its line', () => {
    const text = `${numbered}Packet 2\n\n`;
    const line = text.split('\n').indexOf('Packet 2') + 1;
    const f = parseTrace(text);
    expect(f.warnings.filter((w) => w.code === 'empty-packet')).toEqual([{ line, code: 'empty-packet', message: 'Packet 2 has no node record (is the trace cut here?)' }]);
  });
});
