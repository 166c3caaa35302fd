// Rule matching as 18.01's default hash lookup does it (use_hash_acl_matching = 1), where it differs
// from the linear walk single_acl_match_5tuple (liangfudeng/vpp @667cdb51 src/plugins/acl/acl.c
// acl_init, hash_lookup.c make_mask_and_match_from_rule / hash_multi_acl_match_5tuple; see
// models/vpp/acl/rules.ts): TCP flags compared under the mask only, and no trace bit for a
// non-first fragment matched on its protocol.

import { describe, expect, it } from 'vitest';
import { ip4ToU32 } from '../../harness/wire/address.js';
import { aclPlugin } from '../../models/vpp/acl/index.js';
import { compileRule } from '../../models/vpp/acl/engine.js';
import type { FiveTuple } from '../../models/vpp/acl/five-tuple.js';
import { matchAclList } from '../../models/vpp/acl/rules.js';
import { install, ip4L4, ipBuffer, makeVm, runNode } from './helpers.js';

const tcp = (flags: number): FiveTuple => ({
  src: ip4ToU32('10.0.0.1'),
  dst: ip4ToU32('10.0.0.2'),
  proto: 6,
  port0: 1000,
  port1: 80,
  lsb16: 1,
  swIfIndex: 1,
  tcpFlags: flags,
  tcpFlagsValid: true,
  isInput: true,
  l4Valid: true,
  nonFirstFragment: false,
  isIp6: false,
});

describe('TCP flags: the match value is sanitized with the mask (`pmatch[j] = pmatch[j] & pmask[j]`)', () => {
  it('value bits outside the mask do not count: mask 0x02 value 0x12 matches SYN and SYN-ACK alike', () => {
    const acls = new Map([[3, [compileRule({ action: 'permit', protocol: 6, tcpFlagsMask: 0x02, tcpFlagsValue: 0x12 })]]]);
    expect(matchAclList([3], acls, tcp(0x02))).toEqual({ action: 1, acl: 3, rule: 0 });
    expect(matchAclList([3], acls, tcp(0x12))).toEqual({ action: 1, acl: 3, rule: 0 });
    expect(matchAclList([3], acls, tcp(0x10))).toEqual({ action: 0, acl: -1, rule: -1 });
  });

  it('a zero mask compares no flags (`r->tcp_flags_mask != 0` gates the check), whatever the value', () => {
    const acls = new Map([[4, [compileRule({ action: 'permit', protocol: 6, tcpFlagsMask: 0, tcpFlagsValue: 0x10 })]]]);
    expect(matchAclList([4], acls, tcp(0x02))).toEqual({ action: 1, acl: 4, rule: 0 });
  });
});

/** A UDP non-first fragment (offset 16) through acl-plugin-in-ip4-fa, tap1's input list one permit rule on these dst ports. */
function fragmentThroughNode(dstPorts: [number, number], dport: number): ReturnType<typeof runNode> {
  const vm = makeVm([{ name: 'tap1', sw: 1 }]);
  install(vm, aclPlugin, {
    acls: [{ index: 0, rules: [{ action: 'permit', protocol: 17, dst_ports: dstPorts }] }],
    interfaces: [{ interface: 'tap1', input: [0], output: [] }],
  });
  const b = ipBuffer(ip4L4({ src: '10.0.0.1', dst: '10.0.0.2', proto: 17, flagsOffset: 0x0010 }, { sport: 1, dport }), 1);
  vm.featureStart(b, 'ip4-unicast', 1, 'ip4-lookup');
  return runNode(vm, 'acl-plugin-in-ip4-fa', b);
}

describe('a non-first fragment matched by a rule naming its protocol', () => {
  it('matches through the rule (ports not checked) and sets no trace bit', () => {
    const r = fragmentThroughNode([53, 53], 2);
    expect(r.next).toBe('ip4-lookup');
    expect(r.stage!.fields).toMatchObject({ action: 1, acl: 0, rule: 0, trace_bits: 0, l4_valid: 0 });
  });
});

// The second (non-first-fragment) hash entry keeps the first one's port-range flags, and its key
// holds no ports: the entries of rules with one protocol and the same prefixes share a key, chained
// in list order, and a head whose range is neither one port nor 0-65535 makes the lookup check each
// chained rule's ranges against the fragment's ports, 0 (liangfudeng/vpp @667cdb51 hash_lookup.c
// hash_acl_add, make_mask_and_match_from_rule, fill_applied_hash_ace_kv, match_portranges).
describe('a non-first fragment against port ranges (the second entry keeps the range check)', () => {
  const fragment = (dst = '10.0.0.2'): FiveTuple => ({ ...tcp(0), dst: ip4ToU32(dst), proto: 17, port0: 0, port1: 0, tcpFlags: 0, tcpFlagsValid: false, l4Valid: false, nonFirstFragment: true });
  const udp = (dstPorts: [number, number], dst = '10.0.0.2/32') => compileRule({ action: 'permit', protocol: 17, dst, dstPorts });
  const NONE = { action: 0, acl: -1, rule: -1 };

  it('a range without port 0 does not match it; one from 0 does', () => {
    expect(matchAclList([1], new Map([[1, [udp([1000, 2000])]]]), fragment())).toEqual(NONE);
    expect(matchAclList([1], new Map([[1, [udp([0, 1023])]]]), fragment())).toEqual({ action: 1, acl: 1, rule: 0 });
  });

  it('behind a range head, a rule with the same protocol and prefixes is checked at port 0 too, even in a later ACL', () => {
    const acls = new Map([
      [1, [udp([1000, 2000])]],
      [2, [udp([53, 53]), udp([53, 53], '10.0.0.0/24'), udp([0, 65535])]],
    ]);
    // Rule 1 of ACL 2 has other prefixes: its own chain, whose head (one port) needs no check.
    expect(matchAclList([1, 2], acls, fragment())).toEqual({ action: 1, acl: 2, rule: 1 });
    expect(matchAclList([1, 2], new Map([...acls, [2, [udp([53, 53]), udp([0, 65535])]]]), fragment())).toEqual({ action: 1, acl: 2, rule: 1 });
    expect(matchAclList([1, 2], new Map([...acls, [2, [udp([53, 53])]]]), fragment())).toEqual(NONE);
  });

  it('a head with one port (no check) matches it whatever the rules chained behind', () => {
    const acls = new Map([[1, [udp([53, 53]), udp([1000, 2000])]]]);
    expect(matchAclList([1], acls, fragment())).toEqual({ action: 1, acl: 1, rule: 0 });
  });

  it('through the node: denied by default, where a single-port rule would have let it through', () => {
    const r = fragmentThroughNode([1000, 2000], 1500);
    expect(r.stage!.fields).toMatchObject({ action: 0, acl: -1, rule: -1, l4_valid: 0 });
  });
});
