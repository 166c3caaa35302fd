// The plugins the VPP model loads (NAT44, ACL). Each plugin folder exports a VppPlugin from its
// index.ts. Kept in one list so the scenario schema knows every section; the order is the order
// configure runs them in (ACL before NAT44, as Contiv configures them; feature order comes from the
// registrations' `order`, never from this list).

import type { VppPlugin } from './graph.js';
import { aclPlugin } from './acl/index.js';
import { nat44Plugin } from './nat44/index.js';

export const plugins: VppPlugin[] = [aclPlugin, nat44Plugin];

/** Register a further plugin (tests, experiments). */
export function registerPlugin(p: VppPlugin): void {
  if (!plugins.some((q) => q.name === p.name)) plugins.push(p);
}
