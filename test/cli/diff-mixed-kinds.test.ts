// `dpconform diff` of a capture against a VPP trace (or stage records): nothing can pair up (frames
// against per-node stage paths), so every packet was reported "missing" / "extra" and the command
// exited 1, a conformance failure made up from a mix-up of files. It is bad input: one line naming
// both files, exit 2. A trace against stage records still diffs (both are stage traces).

import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodePcap } from '../../harness/io/pcap.js';
import { LinkType } from '../../harness/wire/packet.js';
import { dpconform } from './spawn-cli.js';

const trace = join(process.cwd(), 'golden/contiv/host-to-pod.request.trace');
const dir = mkdtempSync(join(tmpdir(), 'dpconform-diff-mixed-'));
const capture = join(dir, 'one.pcap');
writeFileSync(capture, encodePcap([{ data: new Uint8Array(60).fill(0xab), meta: { linkType: LinkType.ETHERNET } }]));

describe('dpconform diff of a capture against a trace', () => {
  it.each([
    ['capture, trace', [capture, trace]],
    ['trace, capture', [trace, capture]],
  ])('%s: one line naming both files, exit 2, no report', (_name, files) => {
    const r = dpconform(['diff', ...files]);
    expect(r.errLines).toEqual([`dpconform: ${capture}: a capture cannot be diffed against ${trace} (a VPP trace): diff compares two captures, or two traces / stage records`]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
  });

  it('a capture against stage records: the same', () => {
    const stages = join(dir, 'stages.json');
    writeFileSync(stages, JSON.stringify({ format: 'dpconform-stages', version: 1, traces: [] }));
    const r = dpconform(['diff', stages, capture]);
    expect(r.errLines).toEqual([`dpconform: ${capture}: a capture cannot be diffed against ${stages} (stage records): diff compares two captures, or two traces / stage records`]);
    expect(r.status).toBe(2);
  });

  it('two captures still diff (exit 0 against itself)', () => {
    const r = dpconform(['diff', capture, capture]);
    expect(r.errLines).toEqual([]);
    expect(r.status).toBe(0);
  });
});
