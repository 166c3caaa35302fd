// The Neutron DVR floating-IP model (seeds 001 and 003): qrouter / fip / snat namespaces, proxy ARP,
// policy routing, the L3 agent's iptables NAT, conntrack, TTL and checksums as Linux computes them.
// Checked against the real kernel by lab/dvr (captures in golden/neutron-dvr).

import type { DataplaneModel } from '../../harness/model.js';
import { DvrInstance } from './dataplane.js';
import { loadDvrScenario } from './scenario.js';

export const neutronDvrModel: DataplaneModel = {
  name: 'neutron-dvr',
  async instantiate(scenarioPath: string) {
    return new DvrInstance(await loadDvrScenario(scenarioPath));
  },
};

export { DvrInstance };
