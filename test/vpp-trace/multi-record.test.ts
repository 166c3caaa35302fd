// A node that adds several trace records for one packet: VPP prints consecutive records of one node
// under ONE header (vpp-facts §2.2.3), each body from column 2. The parser splits them back.

import { describe, expect, it } from 'vitest';
import { parseTrace } from '../../harness/vpp-trace/parse.js';
import { formatVerbatim } from '../../harness/vpp-trace/format.js';
import { allPackets } from '../../harness/vpp-trace/trace-file.js';
import { recordsToStage } from '../../harness/vpp-trace/nodes/index.js';

const acl1 = [
  '  acl-plugin: sw_if_index 7, next index 1, action: 2, match: acl 1 rule 0 trace_bits 00000000',
  '  pkt info 0000000000000000 0c01010a00000000 0000000000000000 0901010a00000000 000700061f909b8c 0702ffff00000007',
  '   input sw_if_index 7 (lsb16 7) l3 ip4 10.1.1.12 -> 10.1.1.9 l4 proto 6 l4_valid 1 port 39820 -> 8080 tcp flags (valid) 02 rsvd 0',
];
const acl2 = [acl1[0].replace('action: 2', 'action: 1').replace('rule 0', 'rule 3'), acl1[1], acl1[2]];
const lookup = (fib: number) => [
  `  fib ${fib} dpo-idx 12 flow hash: 0x00000000`,
  '  TCP: 10.1.1.12 -> 10.1.1.9',
  '    tos 0x00, ttl 64, length 60, checksum 0xf087',
  '    fragment id 0x341e, flags DONT_FRAGMENT',
  '  TCP: 39820 -> 8080',
  '    seq. 0x8c66e434 ack 0x00000000',
  '    flags 0x02 SYN, tcp header: 40 bytes',
  '    window 29200, checksum 0xc3de',
];

function trace(node: string, body: string[]): string {
  return ['Packet 1', '', '01:48:51:256986: virtio-input', '  virtio: hw_if_index 7 next-index 4 vring 0 len 74',
    '    hdr: flags 0x00 gso_type 0x00 hdr_len 0 gso_size 0 csum_start 0 csum_offset 0 num_buffers 1',
    `01:48:51:256995: ${node}`, ...body, ''].join('\n') + '\n';
}

describe('several records under one node header', () => {
  it('two ACL records: both typed, fields of the second under records.1., text back byte for byte', () => {
    const text = trace('acl-plugin-in-ip4-fa', [...acl1, ...acl2]);
    const f = parseTrace(text);
    expect(f.warnings.filter((w) => w.code === 'record')).toEqual([]);
    const s = [...allPackets(f)][0].stages[1];
    expect(s.records).toHaveLength(2);
    expect(s.record).toBe(s.records![0]);
    expect(s.fields).toMatchObject({ action: 2, rule: 0, 'records.1.action': 1, 'records.1.rule': 3 });
    expect(formatVerbatim(f)).toBe(text);
  });

  it('two lookups with header decodes split after the headers, not after the first line', () => {
    const text = trace('ip4-lookup', [...lookup(0), ...lookup(3)]);
    const s = [...allPackets(parseTrace(text))][0].stages[1];
    expect(s.records?.map((r) => (r as { fib: number; headers: unknown[] }).headers.length)).toEqual([2, 2]);
    expect(s.fields).toMatchObject({ fib: 0, 'records.1.fib': 3, 'ip4.ttl': 64, 'records.1.ip4.ttl': 64 });
    expect(formatVerbatim(parseTrace(text))).toBe(text);
  });

  it('a model emits the same stage with recordsToStage', () => {
    const parsed = [...allPackets(parseTrace(trace('acl-plugin-in-ip4-fa', [...acl1, ...acl2])))][0].stages[1];
    const made = recordsToStage('acl-plugin-in-ip4-fa', parsed.records!);
    expect(made.lines).toEqual([...acl1, ...acl2]);
    expect(made.fields).toEqual(parsed.fields);
  });

  it('a body that is not whole records still falls back to raw lines with a warning', () => {
    const f = parseTrace(trace('acl-plugin-in-ip4-fa', [...acl1, acl2[0]]));
    expect(f.warnings.filter((w) => w.code === 'record')).toHaveLength(1);
    expect([...allPackets(f)][0].stages[1].record).toBeUndefined();
  });
});
