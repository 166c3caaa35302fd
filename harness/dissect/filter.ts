// `inspect --filter`: simple field equality over dissected layers, e.g. `ip4.ttl=64`,
// `tcp.dst_port=80`, `ip6.frag.m=true`. Several terms are ANDed. A term matches when any
// top-level layer of that name (an inner header of a tunnel too, not an ICMP quote) has the field
// with that value. `ip` means ip4 or ip6. Numbers compare numerically (`0x50` = 80). A term that
// can match no packet (a layer or field fields.ts does not declare, a word for a number) is refused:
// it printed nothing and exited 0, as if the capture held no such packet.

import { InputError } from '../io/input-error.js';
import type { FieldValue, Layer } from './layer.js';
import { LAYER_FIELDS, type FieldKind, type LayerName } from './fields.js';
import { ip4ToBytes, ip4ToString, ip6ToBytes, ip6ToString, macToBytes, macToString } from '../wire/address.js';

export interface FilterTerm {
  text: string;
  layers: string[];
  field: string;
  value: string;
}

const ALIASES: Record<string, string[]> = { ip: ['ip4', 'ip6'], ipv4: ['ip4'], ipv6: ['ip6'], icmpv6: ['icmp6'], ether: ['eth'] };

export function parseFilter(text: string): FilterTerm {
  const m = /^([a-z0-9_.]+)\.([a-z0-9_]+)\s*=\s*(.+)$/i.exec(text.trim());
  if (!m) throw new InputError(`bad filter '${text}': expected LAYER.FIELD=VALUE, e.g. ip4.ttl=64`, {}, 'inspect.bad-filter');
  const layer = m[1].toLowerCase();
  return { text, layers: ALIASES[layer] ?? [layer], field: m[2].toLowerCase(), value: m[3].trim() };
}

function valueMatches(v: FieldValue, want: string): boolean {
  if (typeof v === 'number') {
    const n = Number(want);
    return !Number.isNaN(n) && n === v;
  }
  if (typeof v === 'boolean') return String(v) === want.toLowerCase();
  if (typeof v === 'string') return v.toLowerCase() === want.toLowerCase();
  if (Array.isArray(v)) return v.some((x) => valueMatches(x, want));
  return false;
}

export function matchesAll(layers: readonly Layer[], terms: readonly FilterTerm[]): boolean {
  return terms.every((t) => layers.some((l) => t.layers.includes(l.name) && t.field in l.fields && valueMatches(l.fields[t.field], t.value)));
}

/** Refuse a term that can match no packet: an unknown layer or field, or a value of the wrong kind. */
export function checkFilterTerm(term: FilterTerm): FilterTerm {
  const layerText = term.text.split('=')[0].trim().slice(0, -(term.field.length + 1));
  const layers = term.layers.filter((l): l is LayerName => l in LAYER_FIELDS);
  if (layers.length === 0)
    throw new InputError(`unknown layer '${layerText}' in '${term.text}' (layers: ${Object.keys(LAYER_FIELDS).join(', ')}; ip means ip4 or ip6)`, {}, 'inspect.bad-filter');
  const kinds = layers.map((l) => (LAYER_FIELDS[l] as Record<string, FieldKind>)[term.field]).filter((k): k is FieldKind => k !== undefined);
  if (kinds.length === 0) {
    const known = [...new Set(layers.flatMap((l) => Object.keys(LAYER_FIELDS[l])))];
    throw new InputError(`unknown field '${term.field}' in '${term.text}' (${layerText} fields: ${known.join(', ')})`, {}, 'inspect.bad-filter');
  }
  if (kinds.every((k) => k === 'number') && Number.isNaN(Number(term.value)))
    throw new InputError(`'${term.text}': ${layerText}.${term.field} is a number, '${term.value}' is not`, {}, 'inspect.bad-filter');
  // Every numeric field is a header field's unsigned value: a negative or fractional one matches nothing.
  const n = Number(term.value);
  if (kinds.every((k) => k === 'number') && !(Number.isInteger(n) && n >= 0))
    throw new InputError(`'${term.text}': ${layerText}.${term.field} is a whole number from 0, '${term.value}' is not`, {}, 'inspect.bad-filter');
  if (kinds.every((k) => k === 'boolean') && !/^(true|false)$/i.test(term.value))
    throw new InputError(`'${term.text}': ${layerText}.${term.field} is true or false, '${term.value}' is neither`, {}, 'inspect.bad-filter');
  return term.field === 'src' || term.field === 'dst' ? withAddressValue(term, layers, layerText) : term;
}

/** How each layer's src/dst prints (the dissector's form), from any way of writing it; undefined if it is not one. */
const ADDRESS_FORMS: Partial<Record<LayerName, (v: string) => string>> = {
  eth: (v) => macToString(macToBytes(v), 0),
  ip4: (v) => ip4ToString(ip4ToBytes(v), 0),
  ip6: (v) => ip6ToString(ip6ToBytes(v), 0),
};

/**
 * An address term compared in the form the dissector prints: `2001:db8:0::1` finds 2001:db8::1 and
 * `010.0.0.1` 10.0.0.1. A value no layer of the term could print (`ip4.src=1.2.3`) matches no
 * packet: refused, as a misspelt field is.
 */
function withAddressValue(term: FilterTerm, layers: readonly LayerName[], layerText: string): FilterTerm {
  let anyForm = false;
  for (const l of layers) {
    const form = ADDRESS_FORMS[l];
    if (!form) continue;
    anyForm = true;
    try {
      return { ...term, value: form(term.value) };
    } catch {
      // not this layer's kind of address: try the next (`ip` is ip4 or ip6)
    }
  }
  if (!anyForm) return term;
  throw new InputError(`'${term.text}': '${term.value}' is not an address ${layerText}.${term.field} can hold`, {}, 'inspect.bad-filter');
}
