// Node record lines' unsized %d / %u holes took any number up to 15 digits: virtio `len 4294967296`
// was read as a length, `hw_if_index 2147483648` as an index. vppinfra's format reads %d and %u as a
// 32-bit int unless sized (vpp-facts §2.1): %d prints -2^31..2^31-1 (a u32 ~0 prints -1), %u at most
// 2^32-1. Anything else is not VPP's text: the stage stays raw with a warning.

import { describe, expect, it } from 'vitest';
import { LineTemplate } from '../../harness/vpp-trace/format/scan.js';
import { parseTrace } from '../../harness/vpp-trace/parse.js';

const virtio = (hw: string, len: string) =>
  [
    'Packet 1',
    '',
    '00:00:00:000001: virtio-input',
    `  virtio: hw_if_index ${hw} next-index 4 vring 0 len ${len}`,
    '    hdr: flags 0x00 gso_type 0x00 hdr_len 0 gso_size 0 csum_start 0 csum_offset 0 num_buffers 1',
    '',
    '',
  ].join('\n');

describe('unsized %d and %u are 32-bit', () => {
  it('the template bounds', () => {
    const t = new LineTemplate('a %d b %u');
    expect(t.match('a 2147483647 b 4294967295')).toBe(true);
    expect(t.match('a -2147483648 b 0')).toBe(true);
    expect(t.match('a 2147483648 b 0')).toBe(false);
    expect(t.match('a -2147483649 b 0')).toBe(false);
    expect(t.match('a 0 b 4294967296')).toBe(false);
    // A sized hole keeps its own width.
    expect(new LineTemplate('x %u16').match('x 65536')).toBe(false);
  });

  it('virtio len 4294967295 reads; 4294967296 leaves the stage raw with a warning', () => {
    expect(parseTrace(virtio('7', '4294967295')).warnings).toEqual([]);
    for (const [hw, len] of [['7', '4294967296'], ['2147483648', '74']]) {
      const f = parseTrace(virtio(hw, len));
      expect(f.threads[0].packets[0].stages[0].kind).toBeUndefined();
      expect(f.warnings.map((w) => [w.line, w.code])).toEqual([[4, 'record']]);
    }
  });
});
