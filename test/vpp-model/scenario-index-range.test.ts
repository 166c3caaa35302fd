// Indices in a VPP scenario are u32 pool indices whose ~0 means "none" (vpp-facts §0: u32 values;
// ip4-lookup uses the TX slot "if it is not ~0"): 2^32 - 2 is the largest one a scenario can state.
// 2^32, ~0 and 1e20 (what YAML makes of 99999999999999999999) were accepted and printed as given.
import { describe, expect, it } from 'vitest';
import { InputError } from '../../harness/io/input-error.js';
import { scenarioErrorOf } from './scenario-error-of.js';

const load = (iface: string, extra = ''): unknown =>
  scenarioErrorOf(`instances:\n  a:\n    interfaces:\n      - { name: tap0, type: tap, mac: "01:23:45:67:89:42", ${iface} }\n${extra}`) ?? 'loaded';

describe('VPP scenario indices are u32 values other than ~0', () => {
  it.each([
    ['2^32', 'sw_if_index: 4294967296'],
    ['~0', 'sw_if_index: 4294967295'],
    ['99999999999999999999', 'sw_if_index: 99999999999999999999'],
    ['a hw_if_index of ~0', 'sw_if_index: 2, hw_if_index: 4294967295'],
  ])('%s is refused with line and key', (_what, fields) => {
    const e = load(fields) as InputError;
    expect(e).toBeInstanceOf(InputError);
    expect(e.where).toMatchObject({ line: 4, key: `instances.a.interfaces[0].${fields.includes('hw_') ? 'hw_if_index' : 'sw_if_index'}` });
    expect(e.reason).toBe('expected an integer in [0, 4294967294]');
  });

  it('an adjacency index of ~0 is refused too', () => {
    const e = load('sw_if_index: 2', '    neighbors:\n      - { interface: tap0, ip: 10.0.0.1, mac: "00:00:00:00:00:02", adj_index: 4294967295 }\n') as InputError;
    expect(e.where).toMatchObject({ line: 6, key: 'instances.a.neighbors[0].adj_index' });
  });

  it('2^32 - 2 loads', () => {
    expect(load('sw_if_index: 4294967294')).not.toBeInstanceOf(InputError);
  });

  it('an unbounded integer past 2^53 - 1 is refused, saying why', () => {
    const e = load('sw_if_index: 2, vrf: 99999999999999999999') as InputError;
    expect(e.where).toMatchObject({ line: 4, key: 'instances.a.interfaces[0].vrf' });
    expect(e.reason).toBe('expected an integer in [0, inf]; 99999999999999999999 is past the largest integer held exactly (2^53 - 1)');
  });
});
