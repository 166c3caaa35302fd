// `dpconform check`: one capture file per device, one --edge per device. The same file given for two
// devices (a copy-pasted --capture) was read as both, and the frames of one reported as divergences
// of the other (exit 1); a second --edge for a device with another MAC was silently ignored.

import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { dpconform } from './spawn-cli.js';

const SCENARIO = 'fixtures/neutron-dvr/scenario.yaml';
const VM = join('golden/neutron-dvr/captures', 'vm-a7884fb1.eth0.pcap');
const check = (args: string[]) => dpconform(['check', '--model', 'neutron-dvr', '--scenario', SCENARIO, ...args]);

describe('dpconform check: each device and capture file once', () => {
  it('one file for two devices (spelt differently): one line naming both devices, exit 2', () => {
    const r = check(['--capture', `vm-a7884fb1:eth0=${VM}`, '--capture', `ext-host:eth0=./${VM}`]);
    expect(r.errLines).toEqual([`dpconform: ./${VM}: given for two devices, vm-a7884fb1:eth0 and ext-host:eth0: a capture is taken on one device`]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
  });

  it('one device as an edge twice, with two MACs: refused, naming the first', () => {
    const r = check(['--capture', `vm-a7884fb1:eth0=${VM}`, '--edge', 'vm-a7884fb1:eth0@fa:16:3e:66:15:3c', '--edge', 'vm-a7884fb1:eth0@fa:16:3e:66:15:3d']);
    expect(r.errLines).toEqual([`dpconform: --edge 'vm-a7884fb1:eth0@fa:16:3e:66:15:3d': device vm-a7884fb1:eth0 is already an edge (@fa:16:3e:66:15:3c)`]);
    expect(r.status).toBe(2);
  });

  it('one device captured twice: still refused before anything is replayed', () => {
    const r = check(['--capture', `vm-a7884fb1:eth0=${VM}`, '--capture', 'vm-a7884fb1:eth0=golden/neutron-dvr/captures/ext-host.eth0.pcap']);
    expect(r.errLines).toEqual(['dpconform: golden/neutron-dvr/captures/ext-host.eth0.pcap: device vm-a7884fb1:eth0 captured twice']);
    expect(r.status).toBe(2);
  });
});
