// --grep / --tag that select none of the cases found ran nothing and passed ("0 cases: none ran",
// exit 0): a misspelt tag in a CI job stayed green. Refused: one line naming the filter, the number of
// cases found and, for --tag, the tags they carry (exit 2). A shard left empty by a small suite still
// runs nothing and passes.

import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { runSuite } from '../../harness/suite/run-suite.js';
import { InputError } from '../../harness/io/input-error.js';
import { fixtureCopy, models } from './helpers.js';

const errorOf = (opts: Parameters<typeof runSuite>[0]) => runSuite(opts).then(() => undefined, (e: unknown) => e);

describe('a filter that selects no case', () => {
  it('--tag naming no tag of the cases: refused, listing their tags', async () => {
    const root = fixtureCopy();
    const e = await errorOf({ paths: [join(root, 'cases')], models, tags: ['snapshots'] });
    expect(e).toBeInstanceOf(InputError);
    expect((e as InputError).message).toBe('--tag snapshots selects none of the 2 cases found (their tags: snapshot, tcp, toy)');
  });

  it('--grep matching no name: refused', async () => {
    const root = fixtureCopy();
    const e = await errorOf({ paths: [join(root, 'cases')], models, grep: 'toy/ack' });
    expect((e as InputError).message).toBe('--grep toy\\/ack selects none of the 2 cases found');
  });

  it('a filter that selects one still runs it; an empty shard still passes', async () => {
    const root = fixtureCopy();
    expect((await runSuite({ paths: [join(root, 'cases')], models, tags: ['tcp'] })).cases.map((c) => c.name)).toEqual(['toy/syn']);
    const empty = await runSuite({ paths: [join(root, 'cases/toy-syn')], models, shard: '2/2' });
    expect([empty.cases.length, empty.exitCode]).toEqual([0, 0]);
  });
});
