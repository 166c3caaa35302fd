// A capture input that holds no frame (a pcap header and nothing after it) replayed nothing: the case
// then failed on golden packets the model never saw (exit 1). It is bad input, as an empty trace or
// stage input already is: one error naming the capture, exit 2.

import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runSuite } from '../../harness/suite/run-suite.js';
import { fixtureCopy, models } from './helpers.js';

describe('a capture input with no packet', () => {
  it('is an error naming the capture', async () => {
    const root = fixtureCopy();
    const input = join(root, 'capture-cases/toy-capture/syn-mss.input.pcap');
    // The 24-byte pcap file header alone.
    writeFileSync(input, readFileSync(input).subarray(0, 24));
    const r = await runSuite({ paths: [join(root, 'capture-cases/toy-capture')], models });
    expect(r.cases[0].status).toBe('error');
    expect(r.cases[0].errors).toMatchObject([{ code: 'run.empty-input', file: input, message: `${input}: the capture holds no packet: an input replays at least one` }]);
    expect(r.exitCode).toBe(2);
  });
});
