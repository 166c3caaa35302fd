// A DVR scenario with two routes to one destination in one table, or two neighbours for one address on
// one device, is refused with line and key, naming the first: the lab builds both with `replace`
// (lab/dvr/plan.ts) and keeps the last, while the model kept another, so the case diverged (or passed)
// on configuration nobody meant.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { InputError } from '../../harness/io/input-error.js';
import { parseDvrScenario } from '../../models/neutron-dvr/scenario.js';

const TEXT = readFileSync('fixtures/neutron-dvr/scenario.yaml', 'utf8');
const ROUTER = 'qrouter-517ba029-f811-4af8-9cfd-6cef0babd1d1';

function errorOf(from: string, to: string): InputError | undefined {
  expect(TEXT).toContain(from);
  const text = TEXT.replace(from, to);
  try {
    parseDvrScenario(text, 'bad.yaml');
    return undefined;
  } catch (e) {
    if (e instanceof InputError) return e;
    throw e;
  }
}

const lineOf = (needle: string) => TEXT.slice(0, TEXT.indexOf(needle)).split('\n').length;

describe('a DVR scenario stating one route or neighbour twice', () => {
  it('two default routes in table 16 (one written 0.0.0.0/0)', () => {
    const second = '      - { table: 167800577, dst: default, via: 10.0.111.2, dev: qr-22378d26-ea }';
    const e = errorOf(second, '      - { table: 16, dst: 0.0.0.0/0, via: 10.0.111.2, dev: qr-22378d26-ea }');
    expect(e?.where).toMatchObject({ file: 'bad.yaml', line: lineOf(second), key: 'namespaces[1].routes[1].dst' });
    expect(e?.reason).toBe(`a second route to default in table 16 of ${ROUTER} (also namespaces[1].routes[0]): ip route replace keeps one`);
  });

  it('a segment listed twice (accepted: the lab built a second, empty bridge for it)', () => {
    const e = errorOf('segments: [tenant, external]', 'segments: [tenant, external, tenant]');
    expect(e?.where).toMatchObject({ file: 'bad.yaml', line: lineOf('segments: [tenant, external]'), key: 'segments[2]' });
    expect(e?.reason).toBe(`segment 'tenant' is declared twice (also segments[0])`);
  });

  it('two neighbours 10.0.111.2 on the qr- device', () => {
    const third = "      - { ip: 10.0.111.5, mac: 'fa:16:3e:3b:6f:0d', dev: qr-22378d26-ea }";
    const e = errorOf(third, "      - { ip: 10.0.111.2, mac: 'fa:16:3e:3b:6f:0d', dev: qr-22378d26-ea }");
    expect(e?.where).toMatchObject({ line: lineOf(third), key: 'namespaces[1].neighbours[2].ip' });
    expect(e?.reason).toBe(`a second neighbour 10.0.111.2 on qr-22378d26-ea in ${ROUTER} (also namespaces[1].neighbours[1]): ip neigh replace keeps one`);
  });

  it('one destination in two tables, and the seed itself, load', () => {
    expect(errorOf('name: seed-001-node-12', 'name: seed-001-node-12')).toBeUndefined();
  });
});
