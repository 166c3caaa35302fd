// IPv6 header lines had no width checks (the IPv4/TCP/UDP ones got theirs in 7068718): `payload
// length 1000000000` made the packet's reconstruction allocate 2 GB, `payload length 10^20` was an
// internal error (Invalid typed array length), and `trace fmt` printed 10^20 back as another number.
// ip6_format.c format_ip6_header prints version (4 bits), traffic class (8), flow label (20), hop
// limit (u8) and payload length (u16): anything wider is not VPP's text, kept raw with a warning.

import { describe, expect, it } from 'vitest';
import { parseTrace } from '../../harness/vpp-trace/parse.js';
import { reconstructPackets } from '../../harness/vpp-trace/reconstruct.js';
import { formatCanonical } from '../../harness/vpp-trace/format.js';

const trace = (tcLine: string, version = '') =>
  ['Packet 1', '', '00:00:00:000001: ip6-input', '  ICMP6: 2001:db8::1 -> 2001:db8::2', ...(version ? [`    ${version}`] : []), `    ${tcLine}`, '', ''].join('\n');
const line = (tos: string, fl: string, hl: string, pl: string) => `tos 0x${tos}, flow label 0x${fl}, hop limit ${hl}, payload length ${pl}`;

describe('IPv6 header widths', () => {
  it('the widest values VPP prints read and print back', () => {
    const text = trace(line('ff', 'fffff', '255', '65535'), 'version 15');
    const f = parseTrace(text);
    expect(f.warnings).toEqual([]);
    expect(f.threads[0].packets[0].stages[0].fields['ip6.payload_length']).toBe(65535);
    expect(formatCanonical(f).split('\n').slice(1).join('\n')).toBe(text);
  });

  it.each([
    ['payload length', line('00', '0', '64', '1000000000'), ''],
    ['payload length', line('00', '0', '64', '99999999999999999999'), ''],
    ['payload length', line('00', '0', '64', '65536'), ''],
    ['hop limit', line('00', '0', '256', '40'), ''],
    ['traffic class', line('100', '0', '64', '40'), ''],
    ['flow label', line('00', '100000', '64', '40'), ''],
    ['version', line('00', '0', '64', '40'), 'version 16'],
  ])('a %s VPP cannot print leaves the stage raw with a warning; nothing is allocated for it', (_, tcLine, version) => {
    const f = parseTrace(trace(tcLine, version), { file: 'v6.txt' });
    const stage = f.threads[0].packets[0].stages[0];
    expect(stage.kind).toBeUndefined();
    expect(f.warnings.map((w) => [w.line, w.code])).toEqual([[4, 'record']]);
    expect(() => reconstructPackets(f)).not.toThrow();
    expect(stage.packet).toBeUndefined();
  });
});
