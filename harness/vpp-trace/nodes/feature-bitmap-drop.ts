// feature-bitmap-drop, the L2 features' last-chance drop: one line, the buffer's l2 feature bitmap
// as it reached the node. FDio/vpp 17.x/18.01 src/vnet/l2/feat_bitmap.c, format_feat_bitmap_drop_trace:
//   format (s, "feat_bitmap_drop: feature bitmap 0x%08x", t->feature_bitmap)
// (liangfudeng/vpp @667cdb51; the same text in later FDio/vpp).

import { hexw, parseHex } from '../format/vppinfra.js';
import { type NodeKind, expectEnd, match, trimAll } from './kind.js';

export interface FeatureBitmapDropRecord {
  /** vnet_buffer (b0)->l2.feature_bitmap (u32). */
  featureBitmap: number;
}

const RE = /^feat_bitmap_drop: feature bitmap 0x([0-9a-f]{8})$/;

export const featureBitmapDrop: NodeKind<FeatureBitmapDropRecord> = {
  kind: 'feature-bitmap-drop',
  format: (r) => [`  feat_bitmap_drop: feature bitmap 0x${hexw(r.featureBitmap, 8)}`],
  parse(lines) {
    const t = trimAll(lines);
    const m = match(RE, t, 0, 'feat_bitmap_drop');
    expectEnd(t, 1);
    return { featureBitmap: parseHex(m[1]) };
  },
  toFields(r, out) {
    out.feature_bitmap = r.featureBitmap;
  },
};
