// The NAT44 plugin of the VPP model: nodes, feature-arc registrations, the `nat44:` scenario
// section, and configure (scenario section -> Nat44 engine in vm.state('nat44')).

import { allocating, type VppPlugin } from '../graph.js';
import { buildNat44, enableNat44Features, locatorFor } from './build.js';
import { installNat44FibEntries } from './fib-entries.js';
import { NAT44_STATE, nat44Nodes, nat44Of } from './nodes.js';
import { nat44ConfigFromYaml, nat44Schema } from './schema.js';

export const nat44Plugin: VppPlugin = {
  name: 'nat44',
  scenarioKey: 'nat44',
  schema: nat44Schema,
  nodes: nat44Nodes,
  features: [
    { arc: 'ip4-unicast', node: 'nat44-out2in', order: 20 },
    { arc: 'ip4-unicast', node: 'nat44-in2out', order: 20 },
    { arc: 'ip4-output', node: 'nat44-in2out-output', order: 20 },
  ],
  configure(vm, section, ctx) {
    const cfg = nat44ConfigFromYaml(section as Record<string, unknown>);
    const nat = allocating(ctx, 'translation_hash_buckets', cfg.translationHashBuckets !== undefined, () => buildNat44(cfg, locatorFor(vm, ctx)));
    vm.state(NAT44_STATE, () => nat);
    enableNat44Features(vm, nat);
    installNat44FibEntries(nat, ctx);
  },
  prefetch(vm, g) {
    const nat = nat44Of(vm);
    if (!nat) return 0;
    return nat.prefetch(vm, g);
  },
};

export { Nat44 } from './engine.js';
export { nat44Of, NAT44_STATE } from './nodes.js';
export type { Nat44Config } from './config.js';
