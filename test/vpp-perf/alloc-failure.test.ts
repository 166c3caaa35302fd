// A table size the machine cannot allocate (`Array buffer allocation failed`, a RangeError from a
// typed array) is bad input at the knob that asked for it: an InputError naming the file, line and
// key - not a RangeError surfacing as an internal error.

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { InputError } from '../../harness/io/input-error.js';
import { vppModel } from '../../models/vpp/index.js';
import { AclState } from '../../models/vpp/acl/engine.js';

vi.mock('../../models/vpp/nat44/build.js', async (original) => {
  const real = await original<typeof import('../../models/vpp/nat44/build.js')>();
  return {
    ...real,
    buildNat44: (...args: Parameters<typeof real.buildNat44>) => {
      if (args[0].translationHashBuckets === 4_000_000) throw new RangeError('Array buffer allocation failed');
      return real.buildNat44(...args);
    },
  };
});

const SCENARIO = fileURLToPath(new URL('../../fixtures/contiv/pod-to-service-same-node/scenario.yaml', import.meta.url));

function scenarioWith(section: string, body: string): string {
  const f = join(mkdtempSync(join(tmpdir(), 'alloc-')), 's.yaml');
  writeFileSync(f, `extends: ${JSON.stringify(SCENARIO)}\ninstances:\n  k8s-master:\n    ${section}:\n      ${body}\n`);
  return f;
}

async function errorOf(file: string): Promise<unknown> {
  return vppModel.instantiate(file).then(
    () => 'no error',
    (e: unknown) => e,
  );
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('a table size that cannot be allocated', () => {
  it('nat44 translation_hash_buckets: an error at that key', async () => {
    const file = scenarioWith('nat44', 'translation_hash_buckets: 4000000');
    const e = await errorOf(file);
    expect(e).toBeInstanceOf(InputError);
    expect((e as InputError).where).toMatchObject({ file, key: 'instances.k8s-master.nat44.translation_hash_buckets' });
    expect((e as InputError).message).toMatch(/cannot allocate.*Array buffer allocation failed/);
  });

  it('acl connection_hash_buckets: an error at that key', async () => {
    vi.spyOn(AclState, 'fromConfig').mockImplementation(() => {
      throw new RangeError('Array buffer allocation failed');
    });
    const file = scenarioWith('acl', 'connection_hash_buckets: 4000000');
    const e = await errorOf(file);
    expect(e).toBeInstanceOf(InputError);
    expect((e as InputError).where).toMatchObject({ file, key: 'instances.k8s-master.acl.connection_hash_buckets' });
  });

  it('other errors, other RangeErrors, and failures the knob did not ask for pass through unchanged', async () => {
    const throwing = (e: Error) =>
      vi.spyOn(AclState, 'fromConfig').mockImplementation(() => {
        throw e;
      });
    throwing(new TypeError('a bug'));
    expect(await errorOf(scenarioWith('acl', 'connection_hash_buckets: 16'))).toBeInstanceOf(TypeError);
    vi.restoreAllMocks();
    throwing(new RangeError('Maximum call stack size exceeded'));
    expect(await errorOf(scenarioWith('acl', 'connection_hash_buckets: 16'))).not.toBeInstanceOf(InputError);
    vi.restoreAllMocks();
    throwing(new RangeError('Array buffer allocation failed'));
    expect(await errorOf(scenarioWith('acl', 'max_sessions: 16'))).not.toBeInstanceOf(InputError);
  });
});
