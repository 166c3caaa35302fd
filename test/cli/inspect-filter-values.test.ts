// `inspect --filter` values that can match no packet are refused like a misspelt field: a negative or
// fractional number, an address no layer of the term can print (`ip4.src=1.2.3` printed nothing,
// exit 0). An address matches however it is written: the value is compared in the form the dissector
// prints (leading zeros, a MAC with dashes and capitals, an IPv6 address not in RFC 5952 form).

import { describe, expect, it } from 'vitest';
import { dpconform } from './spawn-cli.js';

const CAPTURE = 'golden/neutron-dvr/captures/vm-a7884fb1.eth0.pcap';

describe('inspect --filter values', () => {
  it.each([
    ['ip4.src=1.2.3', "'1.2.3' is not an address ip4.src can hold"],
    ['ip.dst=10.0.0.256', "'10.0.0.256' is not an address ip.dst can hold"],
    ['eth.src=fa:16:3e', "'fa:16:3e' is not an address eth.src can hold"],
    ['ip4.ttl=-1', "ip4.ttl is a whole number from 0, '-1' is not"],
    ['tcp.dst_port=80.5', "tcp.dst_port is a whole number from 0, '80.5' is not"],
  ])('%s is refused', (term, reason) => {
    const r = dpconform(['inspect', '--count', '--filter', term, CAPTURE]);
    expect(r.errLines).toEqual([`dpconform: --filter: '${term}': ${reason}`]);
    expect(r.status).toBe(2);
  });

  it('an address matches however it is written', () => {
    const count = (term: string) => dpconform(['inspect', '--count', '--filter', term, CAPTURE]).stdout.trim();
    const plain = count('ip4.src=10.0.111.9');
    expect(Number(plain)).toBeGreaterThan(0);
    expect(count('ip.src=10.0.111.9')).toBe(plain);
    const mac = dpconform(['inspect', '--json', CAPTURE]).stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { layers: { name: string; src?: string }[] })[0].layers[0].src!;
    const macCount = count(`eth.src=${mac}`);
    expect(Number(macCount)).toBeGreaterThan(0);
    expect(count(`eth.src=${mac.toUpperCase().replaceAll(':', '-')}`)).toBe(macCount);
  });
});
