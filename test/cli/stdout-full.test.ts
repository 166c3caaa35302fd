// stdout redirected to a file on a full disk (`dpconform inspect big.pcap > out.txt`): every write
// fails with ENOSPC. The error was rethrown from the stream's error handler: a Node stack trace,
// exit 1. Now one line naming <stdout>, exit 2, as for any output the system refuses.

import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = process.cwd();
const CLI = join(ROOT, 'dist/harness/cli/main.js');
const FULL = '/dev/full';

describe.skipIf(!existsSync(FULL))('stdout on a full disk', () => {
  it.each([
    ['inspect', ['inspect', join(ROOT, 'golden/neutron-dvr/captures/vm-a7884fb1.eth0.pcap')]],
    ['diff', ['diff', join(ROOT, 'golden/contiv/host-to-pod.request.trace'), join(ROOT, 'golden/contiv/host-to-pod.request.trace')]],
    ['trace fmt', ['trace', 'fmt', join(ROOT, 'golden/contiv/host-to-pod.request.trace')]],
  ])('%s > /dev/full: one line, exit 2, no stack trace', (_name, args) => {
    const fd = openSync(FULL, 'w');
    try {
      const r = spawnSync(process.execPath, [CLI, ...args], { stdio: ['ignore', fd, 'pipe'], encoding: 'utf8', env: { ...process.env, CI: 'true' }, timeout: 30_000 });
      expect(r.stderr.split('\n').filter(Boolean)).toEqual(['dpconform: <stdout>: no space left on device (ENOSPC, write)']);
      expect(r.status).toBe(2);
    } finally {
      closeSync(fd);
    }
  });
});
