// --shard I/N with numbers past 2^53 was read in floating point: 99999999999999999998/99999999999999999999
// became 1e20/1e20 (accepted as the last shard, a different slice from the one asked for), and
// 1/99999999999999999999 printed as "shard 1/100000000000000000000". Refused like any bad I/N.

import { describe, expect, it } from 'vitest';
import { parseShard } from '../../harness/suite/select.js';

describe('--shard with numbers past the safe integers', () => {
  it.each(['99999999999999999998/99999999999999999999', '1/99999999999999999999', '9007199254740993/9007199254740993'])('%s is refused', (text) => {
    expect(() => parseShard(text)).toThrow(`--shard expects I/N with 1 <= I <= N, got '${text}'`);
  });

  it('the largest safe N still parses', () => {
    expect(parseShard('2/9007199254740991')).toEqual({ index: 2, total: 9007199254740991 });
  });
});
