// A write that fails on an open output (a full disk: /dev/full answers every write with ENOSPC) was
// reported as "no space left on device (ENOSPC, write)", naming no file: Node sets `path` only on
// calls that take one. Now the output is named, exit 2.

import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { dpconform } from './spawn-cli.js';

const FULL = '/dev/full';
const trace = join(process.cwd(), 'golden/contiv/host-to-pod.request.trace');
const scenario = join(process.cwd(), 'fixtures/contiv/scenario.yaml');

describe.skipIf(!existsSync(FULL))('a write error names the output', () => {
  it.each([
    ['trace to-pcap', ['trace', 'to-pcap', trace, '-o', FULL]],
    ['replay --format pcap', ['replay', '--scenario', scenario, '--instance', 'k8s-master', '--input', trace, '--format', 'pcap', '-o', FULL]],
    ['replay (text)', ['replay', '--scenario', scenario, '--instance', 'k8s-master', '--input', trace, '-o', FULL]],
  ])('%s -o /dev/full: one line naming it, exit 2', (_name, args) => {
    const r = dpconform(args);
    expect(r.errLines).toEqual([`dpconform: ${FULL}: no space left on device (ENOSPC, write)`]);
    expect(r.status).toBe(2);
  });
});
