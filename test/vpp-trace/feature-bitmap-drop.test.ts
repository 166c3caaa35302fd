// feature-bitmap-drop's record (17.x/18.01 src/vnet/l2/feat_bitmap.c, format_feat_bitmap_drop_trace:
// `format (s, "feat_bitmap_drop: feature bitmap 0x%08x", t->feature_bitmap)`; liangfudeng/vpp 667cdb51).

import { describe, expect, it } from 'vitest';
import { lookupNode } from '../../harness/vpp-trace/nodes/index.js';
import { parseTrace } from '../../harness/vpp-trace/parse.js';

const TRACE = [
  'Packet 1',
  '',
  '00:00:01:000000: l2-input',
  '  l2-input: sw_if_index 3 dst 1a:2b:3c:4d:5e:01 src 1a:2b:3c:4d:5e:02',
  '00:00:01:000001: feature-bitmap-drop',
  '  feat_bitmap_drop: feature bitmap 0x00000001',
  '00:00:01:000002: error-drop',
  '  feature-bitmap-drop: L2 feature forwarding disabled',
  '',
].join('\n');

describe('feature-bitmap-drop record', () => {
  it('is a known node kind: the line parses to its bitmap and formats back byte for byte', () => {
    const e = lookupNode('feature-bitmap-drop');
    expect(e?.kind.kind).toBe('feature-bitmap-drop');
    const rec = e!.kind.parse(['  feat_bitmap_drop: feature bitmap 0x00800001']);
    expect(rec).toEqual({ featureBitmap: 0x00800001 });
    expect(e!.kind.format(rec)).toEqual(['  feat_bitmap_drop: feature bitmap 0x00800001']);
  });

  it('a parsed trace carries the bitmap as a field, with no record warning', () => {
    const file = parseTrace(TRACE);
    const stage = file.threads[0].packets[0].stages.find((s) => s.node === 'feature-bitmap-drop');
    expect(stage?.fields.feature_bitmap).toBe(1);
    expect(file.warnings).toEqual([]);
  });

  it('refuses text its formatter would not print (the bitmap is always eight hex digits)', () => {
    const e = lookupNode('feature-bitmap-drop')!;
    expect(() => e.kind.parse(['  feat_bitmap_drop: feature bitmap 0x1'])).toThrow(/not a feat_bitmap_drop line/);
    expect(() => e.kind.parse(['  feat_bitmap_drop: feature bitmap 0x00000001', 'extra'])).toThrow(/unexpected line: 'extra'/);
  });
});
