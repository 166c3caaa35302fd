// Bad scenarios fail with one InputError naming file, line and key path (exit 2 via the CLI guard).
// A scenario is configuration only: the session pools a running VPP accumulated (`history:` under
// `acl:` / `nat44:`, once used to make the model print the seed's session numbers) are an unknown
// key; the cases bind or mask history-dependent numbers instead (fixtures/contiv/README.md).
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { InputError } from '../../harness/io/input-error.js';
import { main } from '../../harness/cli/main.js';
import { loadScenario } from '../../models/vpp/configure.js';

function scenario(text: string): string {
  const f = join(mkdtempSync(join(tmpdir(), 'vpp-scn-')), 's.yaml');
  writeFileSync(f, text);
  return f;
}

/** The error loading a scenario given as text, or as a file already written. */
function errorOf(textOrFile: string): InputError {
  try {
    loadScenario(textOrFile.includes('\n') ? scenario(textOrFile) : textOrFile);
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
    // Reported at the `extends` line of the file that names it (was the base's bare "cannot read: ENOENT").
    const { dir, top } = layered(base, 'extends: nope.yaml\ninstances: {}\n');
    expect(errorAt(top).message).toBe(`${top} (line 1, key extends): 'extends' names ${join(dir, 'nope.yaml')}, which does not exist`);
  });
});

describe('scenario `history:` is not configuration', () => {
  it('acl.history is an unknown key: file, line, key', () => {
    const f = scenario(base + '    acl:\n      history: { session_pool: { allocated: 170 } }\n');
    const e = errorOf(f);
    expect(e.where.file).toBe(f);
    expect(e.where.line).toBe(6);
    expect(e.where.key).toBe('instances.a.acl.history');
    expect(e.message).toMatch(/unknown key 'history'/);
  });

  it('nat44.history (session pool or LCG draws) is an unknown key: file, line, key', () => {
    for (const h of ['{ session_pool: { allocated: 5 } }', '{ random_draws: 4 }']) {
      const f = scenario(base + '    nat44:\n      forwarding: true\n      history: ' + h + '\n');
      const e = errorOf(f);
      expect(e.where.line).toBe(7);
      expect(e.where.key).toBe('instances.a.nat44.history');
      expect(e.message).toMatch(/unknown key 'history'/);
    }
  });

  it('a flow scenario extending the Contiv base with history names the flow file and line', () => {
    const base = resolve('fixtures/contiv/scenario.yaml');
    const f = scenario(`extends: ${JSON.stringify(base)}\ninstances:\n  k8s-master:\n    nat44: { history: { session_pool: { allocated: 3, free: [1, 0, 2] } } }\n`);
    const e = errorOf(f);
    expect(e.where.file).toBe(f);
    expect(e.where.line).toBe(4);
    expect(e.where.key).toBe('instances.k8s-master.nat44.history');
  });

  it('no Contiv scenario carries a history key', () => {
    const files = ['fixtures/contiv/scenario.yaml', ...readdirSync('fixtures/contiv', { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => `fixtures/contiv/${d.name}/scenario.yaml`)];
    expect(files.length).toBe(8);
    for (const f of files) {
      expect(readFileSync(f, 'utf8'), f).not.toMatch(/^\s*[^#\n]*\bhistory\s*:/m);
      expect(() => loadScenario(f), f).not.toThrow();
    }
  });
});

describe('dpconform replay with a history scenario: one line, exit 2', () => {
  afterEach(() => {
    vi.restoreAllMocks();
    process.exitCode = 0;
  });
  it('names file, line and key', async () => {
    const f = scenario(base + '    acl:\n      history: { session_pool: { allocated: 22 } }\n');
    let err = '';
    vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((err += String(s)), true));
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    process.exitCode = 0;
    await main(['node', 'dpconform', 'replay', '--scenario', f, '--input', 'golden/contiv/pod-to-pod-same-node.request.trace']);
    expect(process.exitCode).toBe(2);
    expect(err.trimEnd().split('\n')).toHaveLength(1);
    expect(err).toContain(f);
    expect(err).toMatch(/line 6/);
    expect(err).toMatch(/instances\.a\.acl\.history/);
    expect(err).toMatch(/unknown key 'history'/);
    expect(err).not.toMatch(/\n\s+at /);
  });
});
