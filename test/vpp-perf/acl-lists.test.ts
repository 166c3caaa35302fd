// AclState matches against each interface's ACL list flattened once into a rule array. That must
// decide exactly as multi_acl_match_5tuple walking the list ACL by ACL with a lookup per ACL (the
// reference below), for any ACLs, lists and packets, and must follow reconfiguration: an ACL
// replaced or an interface list changed after packets ran is what the next packet is matched against.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Fault, type Vm } from '../../models/vpp/graph.js';
import { AclState, compileRule } from '../../models/vpp/acl/engine.js';
import { fill5Tuple, type FiveTuple } from '../../models/vpp/acl/five-tuple.js';
import { ruleMatches, type AclRule } from '../../models/vpp/acl/rules.js';
import type { AclRuleConfig } from '../../models/vpp/acl/config.js';
import { ip4L4 } from '../vpp-nat-acl/helpers.js';

/** First match walking the list ACL by ACL, each looked up by index (what the flattening replaces). */
function reference(list: number[], acls: Map<number, AclRule[]>, t: FiveTuple): { action: number; acl: number; rule: number } {
  for (const acl of list) {
    const rules = acls.get(acl) ?? [];
    for (let rule = 0; rule < rules.length; rule++) if (ruleMatches(rules[rule], t)) return { action: rules[rule].isPermit, acl, rule };
  }
  return { action: 0, acl: -1, rule: -1 };
}

/** A Vm as decide sees it: only its fault switches (sessions off, so every packet is matched against rules). */
const rulesOnly = { hasFault: (f: string) => f === Fault.ACL_SESSIONS } as unknown as Vm;

const octet = fc.constantFrom(1, 2, 3);
const rule: fc.Arbitrary<AclRuleConfig> = fc.record(
  {
    action: fc.constantFrom('deny' as const, 'permit' as const, 'reflect' as const),
    src: fc.tuple(octet, fc.constantFrom(8, 24, 32)).map(([o, len]) => `10.0.0.${o}/${len}`),
    dst: fc.tuple(octet, fc.constantFrom(0, 24, 32)).map(([o, len]) => `10.0.1.${o}/${len}`),
    protocol: fc.constantFrom(6, 17),
    srcPorts: fc.constantFrom<[number, number]>([0, 65535], [1, 2], [3, 3]),
    dstPorts: fc.constantFrom<[number, number]>([0, 65535], [80, 80]),
  },
  { requiredKeys: ['action'] },
);
const packet = fc.record({ src: octet, dst: octet, proto: fc.constantFrom(6, 17), sport: fc.constantFrom(1, 2, 3), dport: fc.constantFrom(80, 81) });
const aclIndex = fc.nat(3);

describe('AclState over flattened ACL lists', () => {
  it('decides as the ACL-by-ACL walk, for any ACLs, lists and packets, and after reconfiguration', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(aclIndex, fc.array(rule, { maxLength: 4 })), { maxLength: 4 }),
        fc.array(fc.tuple(fc.constantFrom(1, 2), fc.array(aclIndex, { maxLength: 3 }), fc.array(aclIndex, { maxLength: 3 })), { minLength: 1, maxLength: 4 }),
        fc.array(fc.tuple(packet, fc.constantFrom(1, 2), fc.boolean()), { minLength: 1, maxLength: 12 }),
        (aclDefs, listSets, packets) => {
          const st = new AclState();
          const acls = new Map<number, AclRule[]>();
          const lists = new Map<string, number[]>();
          const step = Math.max(1, Math.ceil(packets.length / (aclDefs.length + listSets.length)));
          // Configuration changes interleaved with packets: ACLs (re)defined, then lists (re)applied.
          const changes = [
            ...aclDefs.map(([index, rules]) => () => {
              const compiled = rules.map(compileRule);
              st.setAcl(index, compiled);
              acls.set(index, compiled);
            }),
            ...listSets.map(([sw, input, output]) => () => {
              st.setInterfaceLists(sw, input, output);
              lists.set(`${sw}/in`, input);
              lists.set(`${sw}/out`, output);
            }),
          ];
          packets.forEach(([p, sw, isInput], n) => {
            if (n % step === 0) changes.shift()?.();
            const bytes = ip4L4({ src: `10.0.0.${p.src}`, dst: `10.0.1.${p.dst}`, proto: p.proto }, { sport: p.sport, dport: p.dport });
            const v = st.decide(rulesOnly, isInput ? 0 : 1, bytes, 0, 0, bytes.length, sw, isInput, undefined);
            const t = fill5Tuple(bytes, 0, 0, bytes.length, sw, isInput);
            const want = reference(lists.get(`${sw}/${isInput ? 'in' : 'out'}`) ?? [], acls, t);
            expect({ action: v.action, acl: v.acl, rule: v.rule }).toEqual(want);
          });
        },
      ),
      { numRuns: 300 },
    );
  });

  it('a replaced ACL and a changed list apply to the next packet', () => {
    const st = new AclState();
    st.setAcl(0, [compileRule({ action: 'permit' })]);
    st.setAcl(1, [compileRule({ action: 'deny' })]);
    st.setInterfaceLists(1, [0], []);
    const p = ip4L4({ src: '10.0.0.1', dst: '10.0.1.1', proto: 17 }, { sport: 1, dport: 2 });
    const decide = () => st.decide(rulesOnly, 0, p, 0, 0, p.length, 1, true, undefined);
    expect(decide()).toMatchObject({ action: 1, acl: 0, rule: 0 });
    st.setInterfaceLists(1, [1, 0], []);
    expect(decide()).toMatchObject({ action: 0, acl: 1, rule: 0 });
    st.setAcl(1, [compileRule({ action: 'deny', protocol: 6 })]);
    expect(decide()).toMatchObject({ action: 1, acl: 0, rule: 0 });
  });
});
