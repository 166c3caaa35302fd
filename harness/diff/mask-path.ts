// Field paths over stages and layers: the language of case.yaml `masks:` and `bindings:`.
//
//   path    := [ '#' N ':' ] [ stage '.' ] field
//   N       := 1-based packet (trace) number within the case; absent = every packet
//   stage   := '*' | a node-name glob (`ip4-rewrite`, `tap*-output`) | '[' any text but ']' ']'
//   field   := [ depth '.' ] proto '.' leaf        a header field
//            | record ( '.' record )*              a record field (`flow_hash`, `time`, `fib`)
//   depth   := 'outer' | 'inner'
//   proto   := eth | vlan | arp | ip4 | ipv4 | ip6 | ipv6 | ip | icmp | icmp6 | tcp | udp | l4
//            | vxlan | gre | mpls
//   leaf    := NAME ( '.' NAME )* | '*'
//
// The first segment decides: `outer`/`inner` or a protocol name means "no stage selector, every stage";
// otherwise a path of two or more segments starts with the stage selector. A single segment is a record
// field in every stage (`time` = `*.time`).
//
// Why depth and families: a mask follows the *header*, not its position, so it survives what the
// dataplane does to the packet.
//   - `P.f` (no depth) matches every header of kind P in a stage, outer and inner.
//   - `outer.P.f` matches the outermost P only in stages where the packet is encapsulated (the stage has
//     `inner.` fields) - the tunnel header, e.g. VXLAN's entropy source port `outer.udp.src_port`.
//   - `inner.P.f` matches the tunnelled header while encapsulated (`inner.P.f`) and the same header
//     before encapsulation / after decapsulation (plain `P.f` in a stage without `inner.` fields).
//     In captures the headers an ICMP error quotes are `inner.` too (`inner.ip4.src`,
//     `inner.udp.src_port`), so `outer.ip4.id` is the error's own header and `inner.ip4.id` the quoted one.
//   - family `ip` matches ip4 and ip6 (with `ttl` = `hop_limit`, `tos` = `traffic_class`), `l4` matches
//     tcp and udp, so a mask survives IPv6/IPv4 translation (MAP-T, fip64).

import { InputError } from '../io/input-error.js';

export const PROTOCOLS = new Set([
  'eth', 'vlan', 'arp', 'ip4', 'ip6', 'icmp', 'icmp6', 'tcp', 'udp', 'vxlan', 'gre', 'mpls',
]);
const ALIASES: Record<string, string[]> = {
  ipv4: ['ip4'],
  ipv6: ['ip6'],
  ethernet: ['eth'],
  ip: ['ip4', 'ip6'],
  l4: ['tcp', 'udp'],
};
/** Field names that mean the same thing in IPv4 and IPv6 (family `ip` only). */
const IP_LEAF_ALIASES: Record<string, string[]> = {
  ttl: ['ttl', 'hop_limit'],
  hop_limit: ['ttl', 'hop_limit'],
  tos: ['tos', 'traffic_class'],
  traffic_class: ['tos', 'traffic_class'],
};

export type Depth = 'any' | 'outer' | 'inner';

export interface FieldPath {
  /** The text as written, for messages. */
  text: string;
  /** 1-based packet number, or undefined for every packet. */
  packet?: number;
  /** Stage node glob; undefined = every stage. */
  stage?: RegExp;
  stageText?: string;
  /** Header field: depth + protocols (after alias expansion) + leaf; or a record field (protos empty). */
  depth: Depth;
  protos: string[];
  /** `ip` family: leaf aliases apply. */
  family: boolean;
  /** Leaf segments; `*` matches one or more segments at the end. */
  leaf: string;
}

const SEGMENT = /^[A-Za-z0-9_*-]+$/;
const STAGE_GLOB = /^[A-Za-z0-9_:/*-]+$/;

function isProto(s: string): boolean {
  return PROTOCOLS.has(s) || s in ALIASES;
}

/** Parse a path; a bad one is an InputError (callers add file/line/key). */
export function parseFieldPath(text: string): FieldPath {
  const bad = (why: string) => new InputError(`bad field path '${text}': ${why}`, {}, 'case.bad-path');
  if (typeof text !== 'string' || text.trim() === '') throw bad('empty');
  let rest = text.trim();
  let packet: number | undefined;
  const pm = /^#(\d+):(.*)$/.exec(rest);
  if (pm) {
    packet = Number(pm[1]);
    if (packet < 1) throw bad('packet numbers start at 1');
    rest = pm[2];
  } else if (rest.startsWith('#')) throw bad("a packet selector is '#N:' with N >= 1");

  let stageText: string | undefined;
  if (rest.startsWith('[')) {
    const close = rest.indexOf(']');
    if (close < 0 || rest[close + 1] !== '.') throw bad("a bracketed stage is '[node name].field'");
    stageText = rest.slice(1, close);
    if (!stageText) throw bad('empty stage name');
    rest = rest.slice(close + 2);
  }
  const segs = rest.split('.');
  if (segs.some((s) => s === '')) throw bad('empty segment');
  if (stageText === undefined && segs.length >= 2 && !isProto(segs[0]) && segs[0] !== 'outer' && segs[0] !== 'inner') {
    stageText = segs.shift()!;
    if (!STAGE_GLOB.test(stageText)) throw bad(`'${stageText}' is not a node name or glob`);
  }
  for (const s of segs) if (!SEGMENT.test(s)) throw bad(`'${s}' is not a field name`);

  let depth: Depth = 'any';
  if (segs[0] === 'outer' || segs[0] === 'inner') {
    depth = segs.shift() as Depth;
    if (!segs.length || !isProto(segs[0])) {
      throw bad(`'${depth}' must be followed by a protocol (${[...PROTOCOLS, ...Object.keys(ALIASES)].join(', ')})`);
    }
  }
  let protos: string[] = [];
  let family = false;
  if (isProto(segs[0])) {
    const p = segs.shift()!;
    protos = ALIASES[p] ?? [p];
    family = p === 'ip';
    if (!segs.length) throw bad(`protocol '${p}' needs a field, e.g. '${p}.${p.startsWith('ip') ? 'ttl' : 'src_port'}' or '${p}.*'`);
  }
  const leaf = segs.join('.');
  if (!leaf) throw bad('no field');
  if (leaf.includes('*') && leaf !== '*' && !/^[A-Za-z0-9_.]*\*$/.test(leaf)) throw bad("'*' may only end a field path");
  return {
    text,
    packet,
    stage: stageText === undefined || stageText === '*' ? undefined : globToRegExp(stageText),
    stageText,
    depth,
    protos,
    family,
    leaf,
  };
}

function globToRegExp(g: string): RegExp {
  return new RegExp('^' + g.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*') + '$');
}

/** A stage field key split into depth, protocol and leaf (`inner.ip4.ttl` -> inner, ip4, ttl). */
export interface FieldKey {
  inner: boolean;
  proto?: string;
  leaf: string;
}

export function splitFieldKey(key: string): FieldKey {
  let k = key;
  let inner = false;
  if (k.startsWith('inner.')) {
    inner = true;
    k = k.slice(6);
  }
  const dot = k.indexOf('.');
  if (dot > 0 && PROTOCOLS.has(k.slice(0, dot))) return { inner, proto: k.slice(0, dot), leaf: k.slice(dot + 1) };
  return { inner, leaf: k };
}

/** True when the stage carries a tunnelled (second) header. */
export function isEncapsulated(fieldKeys: Iterable<string>): boolean {
  for (const k of fieldKeys) if (k.startsWith('inner.')) return true;
  return false;
}

function leafMatches(pattern: string, leaf: string, family: boolean): boolean {
  if (pattern === '*') return true;
  if (pattern.endsWith('*')) return leaf.startsWith(pattern.slice(0, -1));
  if (family && IP_LEAF_ALIASES[pattern]) return IP_LEAF_ALIASES[pattern].includes(leaf);
  return pattern === leaf;
}

export function stageMatches(p: FieldPath, node: string, packetNumber: number): boolean {
  if (p.packet !== undefined && p.packet !== packetNumber) return false;
  return !p.stage || p.stage.test(node);
}

/** Does path `p` name field `key` of a stage (whose stage selector already matched)? */
export function fieldMatches(p: FieldPath, key: string, encapsulated: boolean): boolean {
  const k = splitFieldKey(key);
  if (!p.protos.length) {
    // Record field: compare the whole key.
    return leafMatches(p.leaf, key, false);
  }
  if (!k.proto || !p.protos.includes(k.proto)) return false;
  if (!leafMatches(p.leaf, k.leaf, p.family)) return false;
  switch (p.depth) {
    case 'any':
      return true;
    case 'outer':
      return encapsulated && !k.inner;
    case 'inner':
      return k.inner || !encapsulated;
  }
}
