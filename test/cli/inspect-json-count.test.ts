// `inspect --json --count` printed the bare count and ignored --json, so a script that parsed JSON
// lines got a number. The two are refused together: one usage line, exit 2, nothing on stdout.

import { describe, expect, it } from 'vitest';
import { dpconform } from './spawn-cli.js';

const capture = 'fixtures/captures/eth-ipv4-be.pcapng';

describe('inspect --json with --count', () => {
  it.each([[['--json', '--count']], [['--count', '--json']]])('%j: a usage error, exit 2', (flags) => {
    const r = dpconform(['inspect', ...flags, capture]);
    expect(r.errLines).toEqual([`error: option '--count' cannot be used with option '--json'`]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
  });

  it('each alone works as before', () => {
    expect(dpconform(['inspect', '--count', capture]).stdout).toBe('3\n');
    expect(dpconform(['inspect', '--json', capture]).stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l).frame)).toEqual([1, 2, 3]);
  });
});
