// A `packets:` number the file lacks is reported at case.yaml's `packets:` line and key, the file it
// names in the reason. It was reported as the capture with case.yaml's line (`input.pcap (line 9, key
// packets)`): a line no capture has, and a key of no file the message named.

import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runSuite } from '../../harness/suite/run-suite.js';
import { fixtureCopy, models } from './helpers.js';

describe('a packets: number past the end of its file', () => {
  it('an input: reported at the case.yaml line of inputs[0].packets', async () => {
    const root = fixtureCopy();
    const file = join(root, 'capture-cases/toy-capture/case.yaml');
    const text = readFileSync(file, 'utf8');
    writeFileSync(file, text.replace(/^(  - file: syn-mss\.input\.pcap\n)/m, '$1    packets: [1, 5]\n'));
    expect(readFileSync(file, 'utf8')).not.toBe(text);
    const line = readFileSync(file, 'utf8').split('\n').findIndex((l) => l.includes('packets: [1, 5]')) + 1;
    const r = await runSuite({ paths: [join(root, 'capture-cases/toy-capture')], models });
    expect(r.cases[0].errors).toMatchObject([{ code: 'run.no-such-packet', file, line, key: 'inputs[0].packets' }]);
    expect(r.cases[0].errors[0].message).toBe(`${file} (line ${line}, key inputs[0].packets): packet 5 requested but syn-mss.input.pcap holds 1`);
    expect(r.exitCode).toBe(2);
  });
});
