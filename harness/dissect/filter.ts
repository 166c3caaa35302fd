// `inspect --filter`: simple field equality over dissected layers, e.g. `ip4.ttl=64`,
// `tcp.dst_port=80`, `ip6.frag.m=true`. Several terms are ANDed. A term matches when any
// top-level layer of that name (an inner header of a tunnel too, not an ICMP quote) has the field
// with that value. `ip` means ip4 or ip6. Numbers compare numerically (`0x50` = 80).

import { InputError } from '../io/input-error.js';
import type { FieldValue, Layer } from './layer.js';

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
