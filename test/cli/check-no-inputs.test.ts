// `check` with captures of no edge device has nothing to replay: the one line says which devices are
// edges and which were captured (it said neither). A device the scenario lacks (a typo in NODE:IF) is
// refused before this, naming the scenario's devices (check-unknown-device.test.ts).

import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const main = join(process.cwd(), 'dist/harness/cli/main.js');

describe('check with no edge device captured', () => {
  it('names the edges and the captured devices, exit 2', () => {
    const capture = 'golden/neutron-dvr/captures/qrouter-517ba029-f811-4af8-9cfd-6cef0babd1d1.qr-22378d26-ea.pcap';
    const r = spawnSync(process.execPath, [main, 'check', '--model', 'neutron-dvr', '--scenario', 'fixtures/neutron-dvr/scenario.yaml', '--capture', `qrouter-517ba029-f811-4af8-9cfd-6cef0babd1d1:qr-22378d26-ea=${capture}`], {
      encoding: 'utf8',
      env: { ...process.env, CI: 'true' },
      timeout: 30_000,
    });
    const lines = r.stderr.split('\n').filter(Boolean);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/no captured packet was sent by an edge device \(edges: .*vm-a7884fb1:eth0 fa:16:3e:66:15:3c.*; captured: qrouter-517ba029-f811-4af8-9cfd-6cef0babd1d1:qr-22378d26-ea\): nothing to replay$/);
    expect(r.status).toBe(2);
  });
});
