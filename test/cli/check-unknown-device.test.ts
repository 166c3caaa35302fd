// `dpconform check` with a device the scenario does not have (a typo in a namespace or device name):
// its capture could never be predicted, so every frame in it was reported "captured packet that the
// model does not predict" (226 made-up divergences over the golden set, exit 1), or, as the only
// capture, "nothing to replay". Now one line naming the option and what the scenario has, exit 2.

import { describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { dpconform } from './spawn-cli.js';

const SCENARIO = 'fixtures/neutron-dvr/scenario.yaml';
const GOLDEN = 'golden/neutron-dvr/captures';
const NODES = 'vm-a7884fb1, qrouter-517ba029-f811-4af8-9cfd-6cef0babd1d1, fip-cb1f1abb-443c-49df-b863-ba4cebf10d18, snat-517ba029-f811-4af8-9cfd-6cef0babd1d1, ext-host, vm-3b6f0d2e';

/** --capture NODE:IF=FILE for every golden capture (`<node>.<iface>.pcap`), `rename` applied to NODE:IF. */
function captureArgs(rename: (device: string) => string = (d) => d): string[] {
  return readdirSync(GOLDEN)
    .filter((f) => f.endsWith('.pcap'))
    .flatMap((f) => {
      const base = f.slice(0, -'.pcap'.length);
      const dot = base.indexOf('.');
      return ['--capture', `${rename(`${base.slice(0, dot)}:${base.slice(dot + 1)}`)}=${join(GOLDEN, f)}`];
    });
}

const check = (args: string[]) => dpconform(['check', '--model', 'neutron-dvr', '--scenario', SCENARIO, ...args]);

describe('dpconform check: a device the scenario does not have', () => {
  it('the golden set as it is still matches (exit 0)', () => {
    const r = check(captureArgs());
    expect(r.errLines).toEqual([]);
    expect(r.status).toBe(0);
  });

  it('a misspelt node among the real captures: one line naming it, exit 2, no divergences made up', () => {
    const r = check(captureArgs((d) => (d === 'ext-host:eth0' ? 'ext-hots:eth0' : d)));
    expect(r.errLines).toEqual([`dpconform: --capture 'ext-hots:eth0=${join(GOLDEN, 'ext-host.eth0.pcap')}': no node 'ext-hots' in ${SCENARIO} (nodes: ${NODES})`]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
  });

  it('a device the node does not have: its devices named', () => {
    const r = check(['--capture', `vm-a7884fb1:eth1=${join(GOLDEN, 'vm-a7884fb1.eth0.pcap')}`]);
    expect(r.errLines).toEqual([`dpconform: --capture 'vm-a7884fb1:eth1=${join(GOLDEN, 'vm-a7884fb1.eth0.pcap')}': node vm-a7884fb1 has no device 'eth1' in ${SCENARIO} (its devices: eth0)`]);
    expect(r.status).toBe(2);
  });

  it('an --edge naming an unknown node', () => {
    const r = check(['--capture', `vm-a7884fb1:eth0=${join(GOLDEN, 'vm-a7884fb1.eth0.pcap')}`, '--edge', 'vm:eth0@fa:16:3e:66:15:3c']);
    expect(r.errLines).toEqual([`dpconform: --edge 'vm:eth0@fa:16:3e:66:15:3c': no node 'vm' in ${SCENARIO} (nodes: ${NODES})`]);
    expect(r.status).toBe(2);
  });
});
