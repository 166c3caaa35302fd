// `check --edge NODE:IF@MAC` with a MAC no frame of that device's capture was sent from: none of its
// frames became inputs, so they and all they would have caused were reported as divergences (135 on
// the golden set, exit 1). Now one line naming the edge, the MAC, the capture and the source MACs it
// shows (most frequent first), exit 2.

import { describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { dpconform } from './spawn-cli.js';

const SCENARIO = 'fixtures/neutron-dvr/scenario.yaml';
const GOLDEN = 'golden/neutron-dvr/captures';
const captures = readdirSync(GOLDEN)
  .filter((f) => f.endsWith('.pcap'))
  .flatMap((f) => {
    const base = f.slice(0, -'.pcap'.length);
    const dot = base.indexOf('.');
    return ['--capture', `${base.slice(0, dot)}:${base.slice(dot + 1)}=${join(GOLDEN, f)}`];
  });
const check = (vmMac: string) =>
  dpconform(['check', '--model', 'neutron-dvr', '--scenario', SCENARIO, ...captures, '--edge', 'vm-a7884fb1:eth0@fa:16:3e:66:15:3c', '--edge', `vm-3b6f0d2e:eth0@${vmMac}`, '--edge', 'ext-host:eth0@02:00:ac:1e:00:0b']);

describe('check --edge with a MAC its capture never sent from', () => {
  it('the right MACs match (exit 0)', () => {
    const r = check('fa:16:3e:3b:6f:0d');
    expect(r.errLines).toEqual([]);
    expect(r.status).toBe(0);
  });

  it('a wrong MAC: one line naming the edge, the MAC and the source MACs seen, exit 2', () => {
    const r = check('fa:16:3e:00:00:01');
    expect(r.errLines).toEqual([
      `dpconform: --edge 'vm-3b6f0d2e:eth0@fa:16:3e:00:00:01': no frame of ${join(GOLDEN, 'vm-3b6f0d2e.eth0.pcap')} was sent from fa:16:3e:00:00:01 (source MACs there, most frequent first: fa:16:3e:3b:6f:0d 16 frames, fa:16:3e:a1:c3:68 13 frames, fa:16:3e:b0:bc:f0 2 frames, fa:16:3e:66:15:3c 1 frame)`,
    ]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
  });
});
