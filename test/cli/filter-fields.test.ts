// `inspect --filter` with a field no layer has, or a word where the field is a number, matched no
// packet: nothing printed, exit 0, as if the capture held no such packet. Now one line naming the
// term and listing what is known, exit 2. The field table the check uses is a copy of what dissect
// sets, so it is held to every capture in the repository.

import { describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { dpconform } from './spawn-cli.js';
import { FILTER_FIELDS, type FieldKind } from '../../harness/cli/filter-fields.js';
import { readCaptureAll } from '../../harness/io/capture.js';
import { InputError } from '../../harness/io/input-error.js';
import { dissect } from '../../harness/dissect/dissect.js';
import type { FieldValue, Layer } from '../../harness/dissect/layer.js';

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

function captures(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.pcap(ng)?$/.test(e.name))
    .map((e) => join(e.parentPath, e.name));
}

function kindOf(v: FieldValue): FieldKind {
  return Array.isArray(v) ? 'list' : (typeof v as FieldKind);
}

describe('the --filter field table', () => {
  it('lists every field dissect sets on the packets of every capture in the repository, with its kind', async () => {
    const unlisted = new Set<string>();
    let fields = 0;
    const visit = (layers: readonly Layer[]) => {
      for (const l of layers) {
        for (const [name, v] of Object.entries(l.fields)) {
          fields++;
          if (FILTER_FIELDS[l.name][name] !== kindOf(v)) unlisted.add(`${l.name}.${name}: ${kindOf(v)}`);
        }
        if (l.quoted) visit(l.quoted);
      }
    };
    for (const file of [...captures('fixtures'), ...captures('golden')]) {
      let packets;
      try {
        packets = await readCaptureAll(file);
      } catch (e) {
        if (e instanceof InputError) continue; // the deliberately damaged fixtures
        throw e;
      }
      for (const p of packets) visit(dissect(p));
    }
    expect(fields).toBeGreaterThan(10_000);
    expect([...unlisted]).toEqual([]);
  });
});
