// `run --jobs N` starts at most one worker per CPU Node may use (and per case): `--jobs 100000`
// started one worker thread per case, each loading the models, for no more CPU. Bad values were
// already one line, exit 2 - checked here for every kind (word, zero, negative, fraction, empty).

import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { workerCount } from '../../harness/suite/worker-count.js';
import { dpconform } from '../cli/spawn-cli.js';

describe('run --jobs N worker threads', () => {
  it('are capped at the usable CPUs and at the number of cases', () => {
    expect(workerCount(100_000, 500, 8)).toBe(8);
    expect(workerCount(100_000, 3, 8)).toBe(3);
    expect(workerCount(4, 500, 8)).toBe(4);
    expect(workerCount(1, 500, 8)).toBe(1);
    expect(workerCount(2, 0, 8)).toBe(1);
    expect(workerCount(100_000, 500)).toBe(Math.min(500, availableParallelism()));
  });

  it.each(['x', '0', '-1', '2.5', ''])("--jobs '%s' is one line, exit 2", (v) => {
    const r = dpconform(['run', `--jobs=${v}`, 'fixtures/contiv/host-to-pod']);
    // An empty value is refused for every option alike (main.ts), before --jobs reads it.
    expect(r.errLines).toEqual([v === '' ? 'dpconform: --jobs has an empty value' : `dpconform: --jobs expects a whole number >= 1, got '${v}'`]);
    expect(r.status).toBe(2);
  });

  it('--help says how many workers --jobs starts at most', () => {
    expect(dpconform(['run', '--help']).stdout.replace(/\s+/g, ' ')).toContain('at most one per CPU');
  });
});
