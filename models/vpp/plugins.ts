// The plugins the VPP model loads (NAT44, ACL). Each plugin folder exports a VppPlugin from its
// index.ts; add it here when it exists. Kept in one list so the scenario schema knows every section.

import type { VppPlugin } from './graph.js';

export const plugins: VppPlugin[] = [];

/** Register a plugin (its folder's index.ts may call this, or it is listed above). */
export function registerPlugin(p: VppPlugin): void {
  if (!plugins.some((q) => q.name === p.name)) plugins.push(p);
}
