// harness/dissect/fields.ts declares each layer's fields and their kinds; the dissector writes a
// layer's fields through that declaration's type (dissect.ts `layer`), so an undeclared field or a
// value of another kind does not compile, and `inspect --filter` validates terms against the same
// table. What the types cannot see (the one cast in `layer`, payload extras merged at run time) is
// held here to every capture in the repository: each field dissect sets is declared, with its kind.

import { describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { LAYER_FIELDS, type FieldKind } from '../../harness/dissect/fields.js';
import { readCaptureAll } from '../../harness/io/capture.js';
import { InputError } from '../../harness/io/input-error.js';
import { dissect } from '../../harness/dissect/dissect.js';
import type { FieldValue, Layer } from '../../harness/dissect/layer.js';
import { checkFilterTerm, parseFilter } from '../../harness/dissect/filter.js';

function captures(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.pcap(ng)?$/.test(e.name))
    .map((e) => join(e.parentPath, e.name));
}

function kindOf(v: FieldValue): FieldKind {
  return Array.isArray(v) ? 'list' : (typeof v as FieldKind);
}

describe('the declared layer fields', () => {
  it('declare every field dissect sets on the packets of every capture in the repository, with its kind', async () => {
    const unlisted = new Set<string>();
    let fields = 0;
    const visit = (layers: readonly Layer[]) => {
      for (const l of layers) {
        for (const [name, v] of Object.entries(l.fields)) {
          fields++;
          if ((LAYER_FIELDS[l.name] as Record<string, FieldKind>)[name] !== kindOf(v)) unlisted.add(`${l.name}.${name}: ${kindOf(v)}`);
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

describe('inspect --filter reads the same declaration', () => {
  const sample: Record<FieldKind, string> = { number: '1', string: 'x', boolean: 'true', list: 'x' };

  // Addresses are strings the filter also reads as addresses (a value no layer can hold is refused).
  const address: Record<string, string> = { eth: '02:00:00:00:00:01', ip4: '10.0.0.1', ip6: '2001:db8::1' };

  it('accepts every declared field with a value of its kind', () => {
    for (const [layer, fields] of Object.entries(LAYER_FIELDS))
      for (const [field, kind] of Object.entries(fields)) {
        const value = (field === 'src' || field === 'dst') && layer in address ? address[layer] : sample[kind];
        expect(() => checkFilterTerm(parseFilter(`${layer}.${field}=${value}`)), `${layer}.${field}=${value}`).not.toThrow();
      }
  });

  it('lists exactly the declared layers, or the declared fields of the layer, when refusing a term', () => {
    expect(() => checkFilterTerm(parseFilter('foo.ttl=1'))).toThrow(`(layers: ${Object.keys(LAYER_FIELDS).join(', ')}; ip means ip4 or ip6)`);
    expect(() => checkFilterTerm(parseFilter('vxlan.bogus=1'))).toThrow(`(vxlan fields: ${Object.keys(LAYER_FIELDS.vxlan).join(', ')})`);
  });
});
