// `inspect --filter` with a field no layer has, or a word where the field is a number, matched no
// packet: nothing printed, exit 0, as if the capture held no such packet. Now one line naming the
// term and listing what is known, exit 2. The layers and fields come from the declaration the
// dissector itself writes through (harness/dissect/fields.ts; test/dissect/fields.test.ts).

import { describe, expect, it } from 'vitest';
import { dpconform } from './spawn-cli.js';

const capture = 'fixtures/captures/eth-ipv4-be.pcapng';

describe('inspect --filter terms that can match nothing', () => {
  it.each([
    ['an unknown field', 'ip4.bogus=1', /^dpconform: --filter: unknown field 'bogus' in 'ip4\.bogus=1' \(ip4 fields: version, .*\bttl\b.*\)$/],
    ['an unknown layer', 'foo.ttl=1', /^dpconform: --filter: unknown layer 'foo' in 'foo\.ttl=1' \(layers: eth, .*\bip4\b.*\)$/],
    ['a word for a number', 'ip4.ttl=abc', /^dpconform: --filter: 'ip4\.ttl=abc': ip4\.ttl is a number, 'abc' is not$/],
    ['a word for a flag', 'ip4.df=maybe', /^dpconform: --filter: 'ip4\.df=maybe': ip4\.df is true or false, 'maybe' is neither$/],
  ])('%s: one line, exit 2', (_name, term, line) => {
    for (const mode of [[], ['--count'], ['--json']]) {
      const r = dpconform(['inspect', ...mode, '--filter', term, capture]);
      expect(r.errLines).toHaveLength(1);
      expect(r.errLines[0]).toMatch(line);
      expect(r.status).toBe(2);
      expect(r.stdout).toBe('');
    }
  });

  it('good terms still filter (hex numbers, the ip alias, strings)', () => {
    for (const [term, n] of [['ip4.ttl=0x40', 3], ['ip.src=10.0.0.1', 3], ['tcp.dst_port=80', 1]] as const) {
      const r = dpconform(['inspect', '--count', '--filter', term, capture]);
      expect([r.status, r.stdout], term).toEqual([0, `${n}\n`]);
    }
  });
});
