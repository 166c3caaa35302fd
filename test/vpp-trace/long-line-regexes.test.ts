// Header-line regexes that could match one line in many ways backtracked without end on long
// lines (a line may be up to 1 MB): the IPv6 address line (`[0-9a-f:]*:` splits a run of colons
// anywhere, `(.+?)` ends at any `: `) took minutes on an 8,000-character line; the ARP lines
// (`(\S+)\/(\S+)`, `(.+?)`) grew quadratically (240 ms at 16,000 characters, ~40 s at 200,000).
// Each part now has one place to end. The sizes below took minutes before (8,000 colons: over 2
// minutes; 200,000 slashes: ~40 s) and take milliseconds now. Not a speed target (those are
// `npm run bench`'s): the 2-second bound only tells linear from catastrophic on a loaded CI core.

import { describe, expect, it } from 'vitest';
import { parseIp6 } from '../../harness/vpp-trace/format/ip6.js';
import { parseArp } from '../../harness/vpp-trace/format/arp.js';
import { parseTrace } from '../../harness/vpp-trace/parse.js';

/** Linear code takes milliseconds here; the old regexes took tens of seconds to minutes. */
const BOUND_MS = 2000;

/** Milliseconds `f` takes. */
function ms(f: () => void): number {
  const t0 = performance.now();
  f();
  return performance.now() - t0;
}

const ARP1 = 'request, type ethernet/IP4, address size 6/4';
const ARP2 = '02:fe:00:00:00:01/10.1.1.1 -> 00:00:00:00:00:00/10.1.1.2';

describe('long lines against header regexes', () => {
  it('the usual lines still read', () => {
    expect(parseIp6(['ICMP6: 2001:db8::1 -> fe80::2', 'tos 0x00, flow label 0x0, hop limit 64, payload length 40'], 0)?.h).toMatchObject({ src: '2001:db8::1', dst: 'fe80::2' });
    expect(parseArp([ARP1, ARP2], 0)?.h).toMatchObject({ opcode: 1, senderMac: '02:fe:00:00:00:01', senderIp: '10.1.1.1', targetMac: '00:00:00:00:00:00', targetIp: '10.1.1.2' });
  });

  it('an IPv6 address line of 8,000 colons is refused at once', () => {
    const line = `ICMP6: ${':'.repeat(8000)} -> ${':'.repeat(8000)}x`;
    expect(ms(() => expect(parseIp6([line, ''], 0)).toBeUndefined())).toBeLessThan(BOUND_MS);
    // In a trace: an unknown node's lines are searched for headers (scavenged fields).
    const text = ['Packet 1', '', '00:00:00:000001: foo-unknown', `  ${line}`, ''].join('\n');
    expect(ms(() => expect(parseTrace(text).threads[0].packets[0].stages[0].fields).toEqual({}))).toBeLessThan(BOUND_MS);
  });

  it('ARP lines of 200,000 slashes or commas are refused at once', () => {
    expect(ms(() => expect(parseArp([ARP1, `${'/'.repeat(200_000)}x`], 0)).toBeUndefined())).toBeLessThan(BOUND_MS);
    expect(ms(() => expect(parseArp([`${', type '.repeat(30_000)}x`, ARP2], 0)).toBeUndefined())).toBeLessThan(BOUND_MS);
  });
});
