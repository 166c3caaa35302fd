// A VPP scenario that states one thing twice is refused with file, line and key, naming the other
// entry: each of these was accepted and one of the two silently won.
//  - a neighbour (interface, address): one ARP entry per address on an interface (arp.c
//    vnet_arp_set_ip4_over_ethernet_internal, hash_get (arp_int->arp_entries, ip));
//  - a route prefix in one table: VPP would add a second path (ECMP), which the model does not build;
//  - a load-balance index: each FIB entry has its own;
//  - table 0 under fibs (FIB index 0 from boot, ip4_forward.c ip4_lookup_init), a table or FIB index twice.
import { describe, expect, it } from 'vitest';
import { InputError } from '../../harness/io/input-error.js';
import { scenarioErrorOf } from './scenario-error-of.js';

const base = [
  'instances:',
  '  a:',
  '    interfaces:',
  '      - { name: tap0, sw_if_index: 1, type: tap, mac: "01:23:45:67:89:42", addresses: [10.0.0.1/24] }',
  '      - { name: tap1, sw_if_index: 2, type: tap, mac: "01:23:45:67:89:43", addresses: [10.0.1.1/24] }',
];

const errorOf = (lines: string[]) => scenarioErrorOf([...base, ...lines, ''].join('\n'));

const neighbors = (...rows: string[]) => ['    neighbors:', ...rows.map((r) => `      - ${r}`)];

describe('a VPP scenario stating one thing twice', () => {
  it('one address as a neighbour of two interfaces is two ARP entries, and loads', () => {
    expect(errorOf(neighbors(
      '{ interface: tap0, ip: 10.0.0.2, mac: "00:00:00:00:00:02", adj_index: 1 }',
      '{ interface: tap1, ip: 10.0.0.2, mac: "00:00:00:00:00:09", adj_index: 2 }',
    ))).toBeUndefined();
  });

  it('a route prefix twice in one table (written with other host bits)', () => {
    const e = errorOf([
      ...neighbors('{ interface: tap0, ip: 10.0.0.2, mac: "00:00:00:00:00:02", adj_index: 1 }', '{ interface: tap1, ip: 10.0.1.2, mac: "00:00:00:00:00:03", adj_index: 2 }'),
      '    routes:',
      '      - { prefix: 10.20.0.0/24, via: 10.0.0.2, interface: tap0 }',
      '      - { prefix: 10.20.0.9/24, via: 10.0.1.2, interface: tap1 }',
    ]);
    expect(e?.where).toMatchObject({ line: 11, key: 'instances.a.routes[1].prefix' });
    expect(e?.reason).toBe('route 10.20.0.9/24 in table 0 stated twice (also routes[0]): several paths to one prefix (ECMP) are not modelled');
  });

  it.each([
    [
      'a neighbour on one interface with two MACs',
      '{ interface: tap0, ip: 10.0.0.2, mac: "00:00:00:00:00:09", adj_index: 2 }',
      'ip',
      'neighbour 10.0.0.2 on tap0 stated twice (also neighbors[0]): an interface holds one ARP entry per address',
    ],
    [
      'a load-balance index given to two entries',
      '{ interface: tap1, ip: 10.0.1.2, mac: "00:00:00:00:00:03", adj_index: 2, lb_index: 27 }',
      'lb_index',
      'load-balance index 27 used twice (also neighbors[0])',
    ],
  ])('%s', (_what, second, field, reason) => {
    const e = errorOf(neighbors('{ interface: tap0, ip: 10.0.0.2, mac: "00:00:00:00:00:02", adj_index: 1, lb_index: 27 }', second));
    expect(e?.where).toMatchObject({ line: 8, key: `instances.a.neighbors[1].${field}` });
    expect(e?.reason).toBe(reason);
  });

  it.each([
    ['table 0', '[{ table_id: 0, index: 3 }]', 'fibs[0].table_id', 'table 0 is FIB index 0 from boot: fibs lists the other tables'],
    ['a table twice', '[{ table_id: 5, index: 1 }, { table_id: 5, index: 2 }]', 'fibs[1].table_id', 'table 5 stated twice'],
    ['a FIB index twice', '[{ table_id: 5, index: 1 }, { table_id: 6, index: 1 }]', 'fibs[1].index', 'FIB index 1 used twice'],
  ])('fibs: %s', (_what, fibs, key, reason) => {
    const e = errorOf([`    fibs: ${fibs}`]);
    expect(e?.where).toMatchObject({ line: 6, key: `instances.a.${key}` });
    expect(e?.reason).toBe(reason);
  });
});
