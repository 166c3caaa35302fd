// Every stage of every seed-004 trace: its body parses into the node kind's typed record, and the
// record's formatter prints the body again byte for byte.

import { describe, expect, it } from 'vitest';
import { lookupNode } from '../../harness/vpp-trace/nodes/index.js';
import { seedBlocks, DAMAGED_BLOCK } from './seed.js';

interface RawStage {
  node: string;
  body: string[];
  line: number;
}

function rawStages(text: string, firstLine: number): RawStage[] {
  const out: RawStage[] = [];
  let cur: RawStage | undefined;
  text.split('\n').forEach((l, i) => {
    const m = /^\d\d:\d\d:\d\d:\d{6}: (\S+)$/.exec(l);
    if (m) out.push((cur = { node: m[1], body: [], line: firstLine + i }));
    else if (cur && l.startsWith(' ')) cur.body.push(l);
    else cur = undefined;
  });
  return out;
}

const stages = seedBlocks()
  .filter((b) => b.index !== DAMAGED_BLOCK)
  .flatMap((b) => rawStages(b.text, b.line));

describe('seed 004 stage records', () => {
  it('finds the seed stages', () => {
    expect(stages.length).toBe(252);
  });
  for (const s of stages) {
    it(`line ${s.line}: ${s.node} round-trips through its record`, () => {
      const e = lookupNode(s.node);
      expect(e, `no kind for ${s.node}`).toBeDefined();
      const rec = e!.kind.parse(s.body);
      expect(e!.kind.format(rec, e!.column)).toEqual(s.body);
    });
  }
});
