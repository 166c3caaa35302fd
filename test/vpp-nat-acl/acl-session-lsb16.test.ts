// The session key holds only lsb16(sw_if_index): the same 5-tuple on an interface 64K indices away
// finds the session, which acl_fa_node_fn then refuses (liangfudeng/vpp @667cdb51
// src/plugins/acl/fa_node.c: `if (PREDICT_FALSE(sess->sw_if_index != sw_if_index0)) { ... action =
// 0; }`, error0 still ACL_FA_ERROR_ACL_EXIST_SESSION).

import { describe, expect, it } from 'vitest';
import { aclPlugin } from '../../models/vpp/acl/index.js';
import { install, ip4L4, ipBuffer, makeVm, runNode } from './helpers.js';

describe('a session hit from an interface whose sw_if_index shares the low 16 bits', () => {
  it('is dropped as "existing session packets", the record showing action 0 and the session index', () => {
    const vm = makeVm([
      { name: 'tap1', sw: 1 },
      { name: 'tap65537', sw: 65537 },
    ]);
    install(vm, aclPlugin, {
      acls: [{ index: 0, rules: [{ action: 'reflect' }] }],
      interfaces: [
        { interface: 'tap1', input: [0], output: [] },
        { interface: 'tap65537', input: [0], output: [] },
      ],
    });
    const packetIn = (sw: number) => {
      const b = ipBuffer(ip4L4({ src: '10.0.0.1', dst: '10.0.0.2', proto: 17 }, { sport: 1000, dport: 53 }), sw);
      vm.featureStart(b, 'ip4-unicast', sw, 'ip4-lookup');
      const r = runNode(vm, 'acl-plugin-in-ip4-fa', b);
      return { ...r.stage!.fields, next: r.next, error: b.error?.text };
    };
    expect(packetIn(1)).toMatchObject({ action: 2, acl: 0, rule: 0, next: 'ip4-lookup' });
    expect(packetIn(65537)).toMatchObject({ action: 0, acl: -1, rule: 0, trace_bits: 0x80000000, lsb16: 1, next: 'error-drop', next_index: 0, error: 'existing session packets' });
    // The session itself is untouched: its own interface still hits it.
    expect(packetIn(1)).toMatchObject({ action: 3, acl: -1, rule: 0, next: 'ip4-lookup' });
  });
});
