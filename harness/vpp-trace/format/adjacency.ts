// Adjacency text inside ip4-rewrite / ip6-rewrite records (vpp-facts §5.3, 18.01 forms):
//   rewrite:    {link} via {next-hop} {if}: {rewrite hex}       (dst MAC + src MAC + ethertype)
//   incomplete: arp-{link}: via {nh} {if}
//   glean:      {link}-glean: {if}
// Anything else is kept as text (newer `mtu:9000` forms included).

import { hex } from '../../wire/bytes.js';

export type AdjacencyLink = 'ipv4' | 'ipv6' | 'mpls' | 'ethernet' | 'arp' | 'nsh';

export type Adjacency =
  | { kind: 'rewrite'; link: string; nextHop: string; ifName: string; rewrite: string }
  | { kind: 'incomplete'; link: string; nextHop: string; ifName: string }
  | { kind: 'glean'; link: string; ifName: string }
  | { kind: 'other'; text: string };

export function formatAdjacency(a: Adjacency): string {
  switch (a.kind) {
    case 'rewrite':
      return `${a.link} via ${a.nextHop} ${a.ifName}: ${a.rewrite}`;
    case 'incomplete':
      return `arp-${a.link}: via ${a.nextHop} ${a.ifName}`;
    case 'glean':
      return `${a.link}-glean: ${a.ifName}`;
    case 'other':
      return a.text;
  }
}

export function parseAdjacency(text: string): Adjacency {
  let m = /^(\w+) via (\S+) (\S+): ([0-9a-f]*)$/.exec(text);
  if (m) return { kind: 'rewrite', link: m[1], nextHop: m[2], ifName: m[3], rewrite: m[4] };
  m = /^arp-(\w+): via (\S+) (\S+)$/.exec(text);
  if (m) return { kind: 'incomplete', link: m[1], nextHop: m[2], ifName: m[3] };
  m = /^(\w+)-glean: (\S+)$/.exec(text);
  if (m) return { kind: 'glean', link: m[1], ifName: m[2] };
  return { kind: 'other', text };
}

/** A rewrite adjacency from its parts (models: the rewrite string is dst MAC + src MAC + ethertype). */
export function rewriteAdjacency(link: AdjacencyLink, nextHop: string, ifName: string, rewrite: Uint8Array): Adjacency {
  return { kind: 'rewrite', link, nextHop, ifName, rewrite: hex(rewrite) };
}
