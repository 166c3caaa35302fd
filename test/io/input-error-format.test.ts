// An InputError without a file (a bad command-line option, a packet handed to a model) printed a
// literal "<input>" where the file goes: "<input> (key --jobs): --jobs expects ...". Such a line now
// reads on its own; with a file nothing changes.

import { describe, expect, it } from 'vitest';
import { InputError } from '../../harness/io/input-error.js';
import { dpconform } from '../cli/spawn-cli.js';

describe('InputError lines without a file', () => {
  it.each([
    ['an option error naming its option', "--jobs expects a whole number >= 1, got 'x'", { key: '--jobs' }, "--jobs expects a whole number >= 1, got 'x'"],
    ['a key the reason does not name', "no namespace 'x' in the scenario", { key: 'instance' }, "key instance: no namespace 'x' in the scenario"],
    ['a packet', 'link type 113 is not Ethernet', { packet: 1 }, 'packet 1: link type 113 is not Ethernet'],
    ['nothing at all', "unknown model 'x'", {}, "unknown model 'x'"],
  ])('%s', (_name, reason, where, line) => {
    expect(new InputError(reason, where).message).toBe(line);
  });

  it('with a file the line is as before', () => {
    expect(new InputError('bad', { file: 'a.yaml', line: 3, key: 'k' }).message).toBe('a.yaml (line 3, key k): bad');
    expect(new InputError('--x bad', { file: 'a.yaml', key: '--x' }).message).toBe('a.yaml (key --x): --x bad');
  });

  it('through the CLI: a bad --jobs value', () => {
    const r = dpconform(['run', '--jobs', 'x', 'fixtures/contiv/host-to-pod']);
    expect(r.errLines).toEqual(["dpconform: --jobs expects a whole number >= 1, got 'x'"]);
    expect(r.status).toBe(2);
  });
});
