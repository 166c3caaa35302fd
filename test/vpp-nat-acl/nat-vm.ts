// A VPP with NAT44 between one outside interface (sw 1, 192.0.2.1, default route) and one inside
// interface (sw 2), configured from a `nat44:` section's other keys.

import { nat44Plugin } from '../../models/vpp/nat44/index.js';
import type { Vm } from '../../models/vpp/graph.js';
import { addRoute, install, makeVm } from './helpers.js';

export const OUTSIDE = 1;
export const INSIDE = 2;

export function natVm(section: object): Vm {
  const vm = makeVm([
    { name: 'outside0', sw: OUTSIDE, ip4: ['192.0.2.1'] },
    { name: 'inside0', sw: INSIDE },
  ]);
  install(vm, nat44Plugin, { outside: ['outside0'], inside: ['inside0'], ...section });
  addRoute(vm, '0.0.0.0', 0, OUTSIDE);
  return vm;
}
