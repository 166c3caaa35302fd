// `dpconform check --model vpp` as the lead ran it (--capture k8s-master:tap2=... --edge
// k8s-master:tap2@00:00:00:00:00:02): VPP names a transmitted frame by its interface alone, check
// keyed predictions by `node:iface`, so it said "0 predicted" and every captured frame
// "unexpected". Captures rebuilt from seed 004's real traces (test/harness/check-vpp-evidence.ts).

import { describe, expect, it, beforeAll } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dpconform } from './spawn-cli.js';
import { podToServiceSameNodeFrames, writeDeviceCaptures } from '../harness/check-vpp-evidence.js';

const SCENARIO = 'fixtures/contiv/pod-to-service-same-node/scenario.yaml';

describe('check --model vpp (pod to service on one node, seed 004 blocks 9-10)', () => {
  let captures: string[];
  beforeAll(() => {
    const files = writeDeviceCaptures(mkdtempSync(join(tmpdir(), 'check-vpp-cli-')), podToServiceSameNodeFrames());
    captures = [...files].flatMap(([device, file]) => ['--capture', `${device}=${file}`]);
  });

  it('predicts each pod\'s frame at its node:tap and matches it: exit 0', () => {
    const r = dpconform(['check', '--model', 'vpp', '--scenario', SCENARIO, ...captures, '--edge', 'k8s-master:tap2@00:00:00:00:00:02', '--edge', 'k8s-master:tap4@00:00:00:00:00:02']);
    expect(r.errLines).toEqual([]);
    expect(r.stdout).toBe(
      'check: 2 input packets replayed, 2 predicted at 2 captured devices, 2 matched field by field, 4 captured\n' +
        'check: MATCH: every captured packet predicted, every prediction captured\n',
    );
    expect(r.status).toBe(0);
  });

  it('without --edge: the model names its edges itself (the pod taps, by their one neighbour MAC): the same MATCH', () => {
    const r = dpconform(['check', '--model', 'vpp', '--scenario', SCENARIO, ...captures]);
    expect(r.errLines).toEqual([]);
    expect(r.stdout).toBe(
      'check: 2 input packets replayed, 2 predicted at 2 captured devices, 2 matched field by field, 4 captured\n' +
        'check: MATCH: every captured packet predicted, every prediction captured\n',
    );
    expect(r.status).toBe(0);
  });
});
