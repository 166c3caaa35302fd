// ICMP header lines had no width checks: `checksum 0x1fffffffffffff` was read as a checksum (and
// compared as one), `unknown 0x1ff` as a type. icmp4.c format_ip4_icmp_header prints the header's
// u8 type and u16 checksum: anything wider is not VPP's text, kept raw with a warning.

import { describe, expect, it } from 'vitest';
import { parseTrace } from '../../harness/vpp-trace/parse.js';
import { formatCanonical } from '../../harness/vpp-trace/format.js';

const trace = (icmpLine: string) =>
  ['Packet 1', '', '00:00:00:000001: ip4-input', '  ICMP: 10.1.1.1 -> 10.1.1.2', '    tos 0x00, ttl 64, length 28, checksum 0x64dd', '    fragment id 0x0000', `  ${icmpLine}`, '', ''].join('\n');

describe('ICMP header widths', () => {
  it.each([['ICMP echo_request checksum 0xffff'], ['ICMP unknown 0xff checksum 0x0']])('%s reads and prints back', (icmp) => {
    const f = parseTrace(trace(icmp));
    expect(f.warnings).toEqual([]);
    expect(formatCanonical(f).split('\n').slice(1).join('\n')).toBe(trace(icmp));
  });

  it.each([['ICMP echo_request checksum 0x1fffffffffffff'], ['ICMP echo_request checksum 0x10000'], ['ICMP unknown 0x100 checksum 0x0']])('%s leaves the stage raw with a warning', (icmp) => {
    const f = parseTrace(trace(icmp));
    expect(f.threads[0].packets[0].stages[0].kind).toBeUndefined();
    expect(f.warnings.map((w) => w.code)).toEqual(['record']);
  });
});
