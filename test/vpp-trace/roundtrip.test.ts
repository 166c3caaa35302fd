// Issue 3 "done when": every code block of seed 004, enumerated from the seed file itself, parses
// and formats back byte for byte. The block that lost its first node header parses with a warning.

import { describe, expect, it } from 'vitest';
import { parseTrace } from '../../harness/vpp-trace/parse.js';
import { formatVerbatim } from '../../harness/vpp-trace/format.js';
import { allPackets } from '../../harness/vpp-trace/trace-file.js';
import { seedBlocks, DAMAGED_BLOCK } from './seed.js';

const blocks = seedBlocks();

describe('seed 004 round trip', () => {
  it('has the 14 blocks and 18 packet traces the issue names', () => {
    expect(blocks).toHaveLength(14);
    const packets = blocks.reduce((n, b) => n + [...allPackets(parseTrace(b.text))].length, 0);
    expect(packets).toBe(18);
  });

  for (const b of blocks) {
    if (b.index === DAMAGED_BLOCK) continue;
    it(`block ${b.index} (seed line ${b.line}) parses and formats back byte for byte`, () => {
      const f = parseTrace(b.text);
      expect(formatVerbatim(f)).toBe(b.text);
      // Every stage is typed: none fell back to raw text.
      for (const p of allPackets(f)) for (const s of p.stages) expect(s.record, `${s.node} at line ${s.line}`).toBeDefined();
      expect(f.warnings.filter((w) => w.code === 'record' || w.code === 'missing-node-header')).toEqual([]);
    });
  }

  it(`block ${DAMAGED_BLOCK} (lost node header) parses with a warning and an inferred virtio-input`, () => {
    const b = blocks[DAMAGED_BLOCK];
    const f = parseTrace(b.text);
    const w = f.warnings.find((x) => x.code === 'missing-node-header');
    expect(w).toMatchObject({ line: 1 });
    const [p] = [...allPackets(f)];
    expect(p.stages[0].node).toBe('virtio-input');
    expect(p.stages[0].time).toBeUndefined();
    expect(p.stages[0].fields).toMatchObject({ hw_if_index: 9, next_index: 4, len: 74 });
    expect(p.stages.map((s) => s.node).slice(0, 3)).toEqual(['virtio-input', 'ethernet-input', 'ip4-input']);
    for (const s of p.stages) expect(s.record).toBeDefined();
  });

  it('a formatter fault breaks the round trip (the test can fail)', () => {
    const b = blocks[0];
    const f = parseTrace(b.text);
    const s = [...allPackets(f)][0].stages.find((x) => x.node === 'ip4-input')!;
    (s.record as { headers: Array<{ kind: string; ttl?: number }> }).headers[0].ttl = 63;
    expect(formatVerbatim(f)).not.toBe(b.text);
  });
});
