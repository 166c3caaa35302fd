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

describe('scenario layering (extends)', () => {
  function layered(base: string, top: string): { dir: string; top: string } {
    const dir = mkdtempSync(join(tmpdir(), 'vpp-layers-'));
    writeFileSync(join(dir, 'base.yaml'), base);
    writeFileSync(join(dir, 'top.yaml'), top);
    return { dir, top: join(dir, 'top.yaml') };
  }
  function errorAt(file: string): InputError {
    try {
      loadScenario(file);
    } catch (e) {
      if (e instanceof InputError) return e;
      throw e;
    }
    throw new Error('no error');
  }

  it('a list section of the extending file replaces the base one; a mapping section merges one level', () => {
    const { top } = layered(
      base + '    routes:\n      - { prefix: 10.0.0.0/8, via: 10.0.0.1, interface: tap0 }\n    next_slots: { a: { b: 1 }, c: { d: 2 } }\n',
      'extends: base.yaml\ninstances:\n  a:\n    routes: []\n    next_slots: { c: { d: 3 } }\n',
    );
    const vm = loadScenario(top).instances.get('a')!;
    expect(vm.nextSlot('a', 'b')).toBe(1);
    expect(vm.nextSlot('c', 'd')).toBe(3);
  });
  it('an error in a section the extending file gave names that file and line', () => {
    const { top } = layered(base, 'extends: base.yaml\ninstances:\n  a:\n    routes:\n      - { prefix: 10.0.0.0/8, via: 10.0.0.1, interface: tap9 }\n');
    const e = errorAt(top);
    expect(e.where.file).toBe(top);
    expect(e.where.line).toBe(5);
    expect(e.where.key).toBe('instances.a.routes[0].interface');
  });
  it('an error in a section inherited from the base names the base file and line', () => {
    const { dir, top } = layered(base + '    routes:\n      - { prefix: 10.0.0.0/8, via: 10.0.0.1, interface: tap9 }\n', 'extends: base.yaml\ninstances:\n  a:\n    next_slots: {}\n');
    const e = errorAt(top);
    expect(e.where.file).toBe(join(dir, 'base.yaml'));
    expect(e.where.line).toBe(6);
  });
  it('a circular extends chain is an error, not a hang', () => {
    const { dir } = layered('extends: top.yaml\ninstances: {}\n', 'extends: base.yaml\ninstances: {}\n');
    expect(errorAt(join(dir, 'top.yaml')).message).toMatch(/circular/);
  });
  it('a missing base is an error naming it', () => {
    const { top } = layered(base, 'extends: nope.yaml\ninstances: {}\n');
    expect(errorAt(top).message).toMatch(/nope\.yaml.*cannot read|cannot read/);
  });
});
