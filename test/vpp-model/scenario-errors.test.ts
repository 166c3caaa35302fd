// Bad scenarios fail with one InputError naming file, line and key path (exit 2 via the CLI guard).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../harness/io/input-error.js';
import { loadScenario } from '../../models/vpp/configure.js';

function scenario(text: string): string {
  const f = join(mkdtempSync(join(tmpdir(), 'vpp-scn-')), 's.yaml');
  writeFileSync(f, text);
  return f;
}

function errorOf(text: string): InputError {
  try {
    loadScenario(scenario(text));
  } catch (e) {
    if (e instanceof InputError) return e;
    throw e;
  }
  throw new Error('no error');
}

const base = `instances:
  a:
    interfaces:
      - { name: tap0, sw_if_index: 2, type: tap, mac: "01:23:45:67:89:42" }
`;

describe('VPP scenario validation', () => {
  it('unknown key: line and key path', () => {
    const e = errorOf(base + '    colour: blue\n');
    expect(e.where.line).toBe(5);
    expect(e.where.key).toBe('instances.a.colour');
    expect(e.message).toMatch(/unknown key 'colour'/);
  });
  it('wrong type: a MAC that is not one', () => {
    const e = errorOf(base.replace('01:23:45:67:89:42', 'zz'));
    expect(e.where.key).toBe('instances.a.interfaces[0].mac');
    expect(e.where.line).toBe(4);
  });
  it('missing reference: a route to an unknown interface', () => {
    const e = errorOf(base + '    routes:\n      - { prefix: 10.0.0.0/8, via: 10.0.0.1, interface: tap9 }\n');
    expect(e.where.key).toBe('instances.a.routes[0].interface');
    expect(e.where.line).toBe(6);
    expect(e.message).toMatch(/unknown interface 'tap9'/);
  });
  it('missing required key', () => {
    const e = errorOf('instances:\n  a:\n    interfaces:\n      - { name: x, type: tap }\n');
    expect(e.message).toMatch(/missing required key 'sw_if_index'/);
    expect(e.where.line).toBe(4);
  });
  it('the Contiv scenario loads', () => {
    expect(loadScenario('fixtures/contiv/scenario.yaml').instances.size).toBe(2);
  });
});
