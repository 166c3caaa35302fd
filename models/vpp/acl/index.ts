// The ACL plugin of the VPP model: nodes, feature-arc registrations, the `acl:` scenario section,
// and configure (section -> AclState in vm.state('acl'); applying an input/output ACL list enables
// acl-plugin-in-ip4-fa / acl-plugin-out-ip4-fa on that interface, as acl_interface_set_acl_list does).

import { allocating, type VppPlugin } from '../graph.js';
import { AclState } from './engine.js';
import { ACL_STATE, aclNodes } from './nodes.js';
import { CLEANER_SLACK_MS } from './idle-cleaner.js';
import { counted } from '../../../harness/report/plural.js';
import { aclConfigFromYaml, aclSchema } from './schema.js';

export const aclPlugin: VppPlugin = {
  name: 'acl',
  scenarioKey: 'acl',
  schema: aclSchema,
  nodes: aclNodes,
  features: [
    { arc: 'ip4-unicast', node: 'acl-plugin-in-ip4-fa', order: 10 },
    { arc: 'ip4-output', node: 'acl-plugin-out-ip4-fa', order: 10 },
  ],
  configure(vm, section, ctx) {
    const cfg = aclConfigFromYaml(section as Record<string, unknown>, (r, k) => ctx.fail(r, k));
    const names = new Map<string, string>();
    cfg.interfaces.forEach((i, n) => names.set(i.interface, `interfaces[${n}].interface`));
    const st = allocating(ctx, 'connection_hash_buckets', cfg.connectionHashBuckets !== undefined, () =>
      AclState.fromConfig(cfg, (name) => ctx.interfaceByName(name, names.get(name) ?? 'interfaces').swIfIndex),
    );
    vm.state(ACL_STATE, () => st);
    // Its idle cleaner runs on the packets' capture timestamps.
    vm.usesClock = true;
    for (const i of cfg.interfaces) {
      const itf = ctx.interfaceByName(i.interface, names.get(i.interface)!);
      const enable = (arc: string, node: string): void => {
        const list = (itf.features[arc] ??= []);
        if (!list.includes(node)) list.push(node);
      };
      if (i.input.length > 0) enable('ip4-unicast', 'acl-plugin-in-ip4-fa');
      if (i.output.length > 0) enable('ip4-output', 'acl-plugin-out-ip4-fa');
    }
  },
  prefetch(vm, g) {
    // Peeked, not aclOf: an instance whose scenario has no ACL gets no (empty) ACL state made by a
    // read-ahead; its packets meet no ACL node, so there is nothing to read ahead.
    const acl = vm.peekState<AclState>(ACL_STATE);
    if (acl === undefined) return 0;
    for (let k = 0; k < g.count; k++) if (g.rx[k] >= 0) acl.prefetch(g.rx[k], g.bytes[k], g.start[k], g.length[k]);
    return acl.sessions.flushPrefetch();
  },
  assumptions(vm) {
    const n = vm.peekState<AclState>(ACL_STATE)?.sessions.hitsAfterIdleCheck ?? 0;
    if (n === 0) return [];
    return [
      `${vm.name}: ${counted(n, 'packet')} found an ACL session that the idle cleaner had already found idle: VPP removes such a session some time after that check (fa_node.c bounds it only from below), the model ${CLEANER_SLACK_MS} ms after it, so "session present" for ${n === 1 ? 'it' : 'them'} is the model's assumption`,
    ];
  },
};

export { AclState } from './engine.js';
export { aclOf, ACL_STATE } from './nodes.js';
export type { AclConfig } from './config.js';
