// Field paths over stages and layers: the language of case.yaml `masks:` and `bindings:`.
//
//   path    := [ '#' N ':' ] [ stage [ '@' K ] '.' ] field
//   N       := 1-based packet (trace) number within the case; absent = every packet
//   stage   := '*' | a node-name glob (`ip4-rewrite`, `tap*-output`) | '[' any text but ']' ']'
//   K       := 1-based occurrence: only the K-th stage of a packet trace that `stage` matches, counted
//              in the golden's packet trace in trace order; absent = every stage it matches
//   field   := [ depth '.' ] proto '.' leaf        a header field
//            | record ( '.' record )*              a record field (`flow_hash`, `time`, `fib`)
//   depth   := 'outer' | 'inner' ( '.inner' )*
//   proto   := eth | vlan | arp | ip4 | ipv4 | ip6 | ipv6 | ip | icmp | icmp6 | tcp | udp | l4
//            | vxlan | gre | mpls
//   leaf    := NAME ( '.' NAME )* | '*'
//
// The first segment decides: `outer`/`inner` or a protocol name means "no stage selector, every stage";
// otherwise a path of two or more segments starts with the stage selector. A single segment is a record
// field in every stage (`time` = `*.time`).
//
// Why occurrences: a packet can cross the same node twice (VPP: `acl-plugin-out-ip4-fa` on loop0's
// output and again on the NIC's output after VXLAN encapsulation; `ip4-load-balance` before and after
// encapsulation). `#3:acl-plugin-out-ip4-fa@1.rule` names the first of them only, so masking a
// history-dependent value of one crossing leaves the other crossing's computed value compared.
// `[node name]@2.field` and `*@2.field` (the second stage of the trace) work the same way. With a glob,
// K counts the stages the glob matches (`tap*-output@2` = the second tap output, whatever its name).
// An occurrence needs a stage selector: `ip4@1.ttl` is an error, not a node called `ip4`.
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
//   - `inner.inner.P.f` is one level further in: a header quoted by an ICMP error that is itself
//     tunnelled (VXLAN outer, inner IPv4 carrying the error, the quoted packet inside that).
//   - family `ip` matches ip4 and ip6 (with `ttl` = `hop_limit`, `tos` = `traffic_class`), `l4` matches
//     tcp and udp, so a mask survives IPv6/IPv4 translation (MAP-T, fip64).

import { InputError } from '../io/input-error.js';
import { sameBytesLeaves, splitNesting } from './field-offsets.js';

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
  /** 1-based occurrence of the stage selector within a packet trace; undefined = every occurrence. */
  occurrence?: number;
  /** Header field: depth + protocols (after alias expansion) + leaf; or a record field (protos empty). */
  depth: Depth;
  /** `inner.inner.P.f`: nesting level 2 (a header an ICMP error quotes inside a tunnel); absent = `inner.` is level 1. */
  level?: number;
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
  let occurrence: number | undefined;
  if (rest.startsWith('[')) {
    const close = rest.indexOf(']');
    const m = close < 0 ? null : /^(@[^.]*)?\./.exec(rest.slice(close + 1));
    if (!m) throw bad("a bracketed stage is '[node name].field' or '[node name]@K.field'");
    stageText = rest.slice(1, close);
    if (!stageText) throw bad('empty stage name');
    if (m[1] !== undefined) occurrence = parseOccurrence(m[1].slice(1), bad);
    rest = rest.slice(close + 1 + m[0].length);
  }
  const segs = rest.split('.');
  if (segs.some((s) => s === '')) throw bad('empty segment');
  if (stageText === undefined && segs.length >= 2 && !isProto(segs[0]) && segs[0] !== 'outer' && segs[0] !== 'inner') {
    stageText = segs.shift()!;
    const at = stageText.indexOf('@');
    if (at >= 0) {
      occurrence = parseOccurrence(stageText.slice(at + 1), bad);
      stageText = stageText.slice(0, at);
      if (isProto(stageText) || stageText === 'outer' || stageText === 'inner') {
        throw bad(`'${stageText}' is a field, not a stage: an occurrence '@K' follows a stage selector ('node@K.field')`);
      }
    }
    if (!STAGE_GLOB.test(stageText)) throw bad(`'${stageText}' is not a node name or glob`);
  }
  for (const s of segs) {
    if (s.includes('@')) throw bad(`'${s}': an occurrence '@K' follows a stage selector ('node@K.field', '[node name]@K.field')`);
    if (!SEGMENT.test(s)) throw bad(`'${s}' is not a field name`);
  }

  let depth: Depth = 'any';
  let level: number | undefined;
  if (segs[0] === 'outer' || segs[0] === 'inner') {
    depth = segs.shift() as Depth;
    level = depth === 'inner' ? 1 : 0;
    while (depth === 'inner' && segs[0] === 'inner') {
      segs.shift();
      level++;
    }
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
    occurrence,
    depth,
    ...(level !== undefined && level > 1 ? { level } : {}),
    protos,
    family,
    leaf,
  };
}

function parseOccurrence(text: string, bad: (why: string) => InputError): number {
  if (!/^\d+$/.test(text)) throw bad(`'@${text}' is not an occurrence: write '@K' with K >= 1 (the K-th stage the selector matches in the packet trace)`);
  const k = Number(text);
  if (k < 1 || !Number.isSafeInteger(k)) throw bad(`'@${text}': occurrences start at 1 (the first stage the selector matches in the packet trace)`);
  return k;
}

function globToRegExp(g: string): RegExp {
  return new RegExp('^' + g.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*') + '$');
}

/** A stage field key split into depth, protocol and leaf (`inner.ip4.ttl` -> inner, ip4, ttl). */
export interface FieldKey {
  inner: boolean;
  /** Nesting level: 0 plain, 1 `inner.`, 2 `inner.inner.` (quoted by an ICMP error inside a tunnel). */
  level: number;
  proto?: string;
  leaf: string;
}

export function splitFieldKey(key: string): FieldKey {
  const { level, rest: k } = splitNesting(key);
  const inner = level > 0;
  const dot = k.indexOf('.');
  if (dot > 0 && PROTOCOLS.has(k.slice(0, dot))) return { inner, level, proto: k.slice(0, dot), leaf: k.slice(dot + 1) };
  return { inner, level, leaf: k };
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

/** Where a stage sits in its (golden) packet trace: what an occurrence `@K` counts over. */
export interface StageAt {
  readonly stages: readonly { readonly node: string }[];
  readonly stage: { readonly node: string };
}

export function stageMatches(p: FieldPath, node: string, packetNumber: number, at?: StageAt): boolean {
  if (p.packet !== undefined && p.packet !== packetNumber) return false;
  if (p.stage && !p.stage.test(node)) return false;
  if (p.occurrence === undefined) return true;
  // Counted only for paths that ask (the common path pays nothing); without a trace to count in,
  // an occurrence names nothing rather than everything.
  if (!at) return false;
  let k = 0;
  for (const s of at.stages) {
    if (!p.stage || p.stage.test(s.node)) k++;
    if (s === at.stage) return k === p.occurrence;
  }
  return false;
}

/** Does path `p` name field `key` of a stage (whose stage selector already matched)? */
export function fieldMatches(p: FieldPath, key: string, encapsulated: boolean): boolean {
  const k = splitFieldKey(key);
  if (!p.protos.length) {
    // Record field: compare the whole key.
    return leafMatches(p.leaf, key, false);
  }
  if (!k.proto || !p.protos.includes(k.proto)) return false;
  // A field's other spelling names the same bytes (`arp.op` = `arp.opcode`): either masks it.
  if (!leafMatches(p.leaf, k.leaf, p.family) && !sameBytesLeaves(k.proto, k.leaf).includes(p.leaf)) return false;
  switch (p.depth) {
    case 'any':
      return true;
    case 'outer':
      return encapsulated && !k.inner;
    case 'inner':
      // `inner.` is the tunnelled header (or the header before encapsulation); `inner.inner.` the one
      // quoted by an ICMP error inside the tunnel - each names its own level only.
      return (p.level ?? 1) === 1 ? k.level === 1 || !encapsulated : k.level === p.level;
  }
}
