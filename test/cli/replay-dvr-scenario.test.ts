// `replay --scenario` with a Neutron DVR scenario: it was read as a VPP scenario and refused at its
// first key ("unknown key 'name' (known: description, extends, instances, links)"), which told a
// newcomer nothing. It says what the file is and what runs it, in one line, exit 2.

import { describe, expect, it } from 'vitest';
import { dpconform } from './spawn-cli.js';

describe('replay of a DVR scenario', () => {
  it('says it is a DVR scenario and names check/run', () => {
    const r = dpconform(['replay', '--scenario', 'fixtures/neutron-dvr/scenario.yaml', '--input', 'golden/neutron-dvr/captures/vm-a7884fb1.eth0.pcap']);
    expect(r.errLines).toEqual([
      'dpconform: fixtures/neutron-dvr/scenario.yaml (key namespaces): a Neutron DVR scenario (namespaces:): replay runs VPP models; check DVR captures with `dpconform check --model neutron-dvr` or run their cases',
    ]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
  });

  it('a VPP scenario with a misspelt key still gets the VPP error', () => {
    const r = dpconform(['replay', '--scenario', 'test/vpp-model/scenarios/routed-chain.yaml', '--input', 'golden/neutron-dvr/captures/vm-a7884fb1.eth0.pcap', '--interface', 'nope']);
    expect(r.errLines).toHaveLength(1);
    expect(r.errLines[0]).not.toContain('Neutron DVR');
    expect(r.status).toBe(2);
  });
});
