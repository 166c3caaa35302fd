// One tap behind a reflective ACL, the ACL tests' smallest instance: tap1 (sw 1) reflects everything
// on input and denies everything on output, so only a session lets a reply out.

import type { Vm } from '../../models/vpp/graph.js';
import { aclPlugin } from '../../models/vpp/acl/index.js';
import { install, ip4L4, ipBuffer, makeVm, runNode } from './helpers.js';

/** tap1 with at most `maxSessions` sessions and the `session_timeout` section given. */
export function reflectInDenyOut(maxSessions?: number, sessionTimeout?: Record<string, number>): Vm {
  const vm = makeVm([{ name: 'tap1', sw: 1 }]);
  install(vm, aclPlugin, {
    acls: [
      { index: 0, rules: [{ action: 'reflect' }] },
      { index: 1, rules: [{ action: 'deny' }] },
    ],
    interfaces: [{ interface: 'tap1', input: [0], output: [1] }],
    max_sessions: maxSessions,
    session_timeout: sessionTimeout,
  });
  return vm;
}

/** The acl-plugin record and next node of a TCP or UDP packet on tap1, input (from 10.0.0.1) or output (to it). */
export function tap1Packet(vm: Vm, dir: 'in' | 'out', proto: 6 | 17, clientPort: number, flags = 0x02): Record<string, unknown> {
  const [src, dst, sport, dport] = dir === 'in' ? ['10.0.0.1', '10.0.0.2', clientPort, 80] : ['10.0.0.2', '10.0.0.1', 80, clientPort];
  const b = ipBuffer(ip4L4({ src, dst, proto }, { sport, dport, flags }), dir === 'in' ? 1 : 0);
  if (dir === 'out') {
    b.txSwIfIndex = 1;
    vm.featureStart(b, 'ip4-output', 1, 'tap1-output');
  } else vm.featureStart(b, 'ip4-unicast', 1, 'ip4-lookup');
  const r = runNode(vm, dir === 'in' ? 'acl-plugin-in-ip4-fa' : 'acl-plugin-out-ip4-fa', b);
  return { ...r.stage!.fields, next: r.next, error: b.error?.text };
}
