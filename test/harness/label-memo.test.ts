// Labels looked up by flow (diff/label-memo.ts) are the labels traceLabel writes, for every packet of
// a file: absent, null and typed values that share a flow text, tcp.flags as number or text.

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { LabelMemo } from '../../harness/diff/label-memo.js';
import { traceLabel } from '../../harness/diff/label.js';
import { IdentityColumns, IdentityPool } from '../../harness/diff/identity-columns.js';
import type { FieldValue, PacketTrace } from '../../harness/stage.js';

const v = (...xs: Array<FieldValue | undefined>) => fc.constantFrom<FieldValue | undefined>(undefined, null, 'null', ...xs);
const fieldsArb = fc.record({
  'ip4.src': v('10.0.0.1', ''),
  'ip4.dst': v('10.0.0.2'),
  'ip6.src': v('fe80::1'),
  'ip6.dst': v('fe80::2'),
  'tcp.src_port': v(80, '80'),
  'tcp.dst_port': v(1024),
  'udp.src_port': v(53),
  'udp.dst_port': v(53),
  'icmp.type': v(8, '8'),
  'icmp6.type': v(128),
  'tcp.flags': v(0x12, 0x10, '0x12', 'syn ack', 0x10012, 1.5, true),
});

describe('labels by flow', () => {
  it('equal traceLabel for every packet, the memo shared by all', () => {
    const pool = new IdentityPool();
    const ids = new IdentityColumns(pool);
    const memo = new LabelMemo();
    fc.assert(
      fc.property(fieldsArb, fc.nat({ max: 9 }), (raw, number) => {
        const fields = Object.fromEntries(Object.entries(raw).filter(([, x]) => x !== undefined)) as Record<string, FieldValue>;
        const t: PacketTrace = { number, stages: [{ node: 'packet', lines: [], fields }] };
        expect(memo.label(t, fields, ids.add(fields))).toBe(traceLabel(t));
      }),
      { numRuns: 5000 },
    );
  });
});
