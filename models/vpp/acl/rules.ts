// Rule matching (vpp-facts §9.2): walk the interface's ACLs in list order and each ACL's rules in
// order; the first rule that matches decides. A rule checks IP version, dst prefix, src prefix, and
// when it names a protocol: the protocol, then (for L4-valid packets) the src/dst port ranges (ICMP
// type/code) and, for TCP, the flags under the rule's mask. No match = deny.
//
// 18.01 matches with the hash lookup by default (acl.c acl_init: `am->use_hash_acl_matching = 1;`;
// liangfudeng/vpp @667cdb51, a 17.x/18.01-era copy, same in later FDio copies), not the linear walk
// single_acl_match_5tuple. Both give the first match in list order; where they differ the hash
// lookup's semantics are the ones here (hash_lookup.c make_mask_and_match_from_rule and
// hash_multi_acl_match_5tuple, same copy):
// * the rule's match value is sanitized with its mask (`pmatch[j] = pmatch[j] & pmask[j]`): the
//   addresses (compileRule masks them) and the TCP flags value (only its bits under the mask count);
// * TCP flags are compared only when the rule's protocol is TCP and its mask is non-zero (`if
//   ((r->proto == IPPROTO_TCP) && (r->tcp_flags_mask != 0))`): a zero mask with a non-zero value
//   matches every TCP packet (the linear walk's `(flags & mask) != value` matches none);
// * a non-first fragment matches a rule naming its protocol through the rule's second hash entry
//   (l4_match_nonfirst_fragment, default on), and hash_multi_acl_match_5tuple never touches
//   trace_bitmap: unlike the linear walk, such a match sets no trace bit;
// * that second entry keeps the port-range flags of the first (hash_acl_add builds both from one
//   hash_ace_info_t, and make_mask_and_match_from_rule sets src/dst_portrange_not_powerof2 only for
//   the first), and its key holds no ports: the second entries of rules with the same protocol and
//   prefixes share one hash key, chained in list order (activate_applied_ace_hash_entry), and the
//   key's need_portrange_check is its head's (fill_applied_hash_ace_kv). A head whose port range is
//   neither one port nor 0-65535 makes the lookup walk the chain with match_portranges, against the
//   fragment's ports, which are 0 (acl_fill_5tuple reads no L4 field): a rule there matches only if
//   both its ranges start at 0 (nonFirstFragmentMatches).

import type { FiveTuple } from './five-tuple.js';

export interface AclRule {
  isPermit: 0 | 1 | 2;
  srcAddr: number;
  srcMask: number;
  dstAddr: number;
  dstMask: number;
  proto: number;
  srcPortFirst: number;
  srcPortLast: number;
  dstPortFirst: number;
  dstPortLast: number;
  tcpFlagsMask: number;
  tcpFlagsValue: number;
}

export interface AclMatch {
  /** 0 deny, 1 permit, 2 permit+reflect. */
  action: 0 | 1 | 2;
  acl: number;
  rule: number;
}

export const NO_MATCH: AclMatch = { action: 0, acl: -1, rule: -1 };

/** l4_match_nonfirst_fragment (default on): a non-first fragment matches a rule that names its protocol. */
const L4_MATCH_NONFIRST_FRAGMENT = true;

export function prefixMask(len: number): number {
  return len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0;
}

/** make_port_mask's `not_powerof2`: a range the hash key cannot hold (neither one port nor 0-65535). */
function needsPortRangeCheck(first: number, last: number): boolean {
  return first !== last && !(first === 0 && last === 65535);
}

/**
 * Whether a non-first fragment of r's protocol and addresses is matched by r, `head` being the
 * first rule of the interface's list with r's protocol and prefixes (r itself when none precedes
 * it): the head of the hash chain r's second entry joins. A head without a range check is the
 * match itself (it precedes r); with one, match_portranges tests each chained rule at ports 0.
 */
export function nonFirstFragmentMatches(r: AclRule, head: AclRule): boolean {
  const walk = needsPortRangeCheck(head.srcPortFirst, head.srcPortLast) || needsPortRangeCheck(head.dstPortFirst, head.dstPortLast);
  return !walk || (r.srcPortFirst <= 0 && r.srcPortLast >= 0 && r.dstPortFirst <= 0 && r.dstPortLast >= 0);
}

/**
 * `nonFirstFragment`: what a non-first fragment of the rule's protocol and addresses gets (see
 * nonFirstFragmentMatches; by default the rule as the only one with its protocol and prefixes).
 */
export function ruleMatches(r: AclRule, t: FiveTuple, nonFirstFragment = nonFirstFragmentMatches(r, r)): boolean {
  if (t.isIp6) return false;
  if (((t.dst & r.dstMask) >>> 0) !== r.dstAddr) return false;
  if (((t.src & r.srcMask) >>> 0) !== r.srcAddr) return false;
  if (r.proto !== 0) {
    if (t.proto !== r.proto) return false;
    if (t.nonFirstFragment && L4_MATCH_NONFIRST_FRAGMENT) return nonFirstFragment;
    if (!t.l4Valid) return false;
    if (t.port0 < r.srcPortFirst || t.port0 > r.srcPortLast) return false;
    if (t.port1 < r.dstPortFirst || t.port1 > r.dstPortLast) return false;
    if (t.tcpFlagsValid && (t.tcpFlags & r.tcpFlagsMask) !== r.tcpFlagsValue) return false;
  }
  return true;
}

/** A rule of an interface's ACL list, with the ACL it belongs to and its index there. */
export interface ListedRule {
  rule: AclRule;
  acl: number;
  index: number;
  /** nonFirstFragmentMatches against the head of the rule's chain in this list. */
  nonFirstFragment: boolean;
}

/**
 * The interface's ACL list as one array of rules in match order (ACLs in list order, each ACL's
 * rules in order; an unknown ACL index contributes none): what multi_acl_match_5tuple walks, with
 * the per-ACL lookup done once instead of per packet. Each rule's non-first-fragment outcome is
 * settled here, against the first rule of the list with its protocol and prefixes.
 */
export function flattenAclList(list: readonly number[], acls: ReadonlyMap<number, readonly AclRule[]>): ListedRule[] {
  const flat: ListedRule[] = [];
  const heads = new Map<string, AclRule>();
  for (const acl of list)
    acls.get(acl)?.forEach((rule, index) => {
      const chain = `${rule.proto} ${rule.srcAddr} ${rule.srcMask} ${rule.dstAddr} ${rule.dstMask}`;
      const head = heads.get(chain) ?? rule;
      heads.set(chain, head);
      flat.push({ rule, acl, index, nonFirstFragment: nonFirstFragmentMatches(rule, head) });
    });
  return flat;
}

/** multi_acl_match_5tuple over a flattened list: the first matching rule decides, none = deny. */
export function matchListedRules(rules: readonly ListedRule[], t: FiveTuple, into?: AclMatch): AclMatch {
  for (let i = 0; i < rules.length; i++) {
    if (!ruleMatches(rules[i].rule, t, rules[i].nonFirstFragment)) continue;
    const r = into ?? { action: 0, acl: 0, rule: 0 };
    r.action = rules[i].rule.isPermit;
    r.acl = rules[i].acl;
    r.rule = rules[i].index;
    return r;
  }
  return NO_MATCH;
}

/** multi_acl_match_5tuple: first match over the ACL list. */
export function matchAclList(list: readonly number[], acls: ReadonlyMap<number, readonly AclRule[]>, t: FiveTuple, into?: AclMatch): AclMatch {
  return matchListedRules(flattenAclList(list, acls), t, into);
}
