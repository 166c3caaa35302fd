// What the tests of the DVR model's clock share: a capture time to start from, frames stamped with it,
// and a fresh model of the seed scenario.
import { DvrInstance } from '../../models/neutron-dvr/dataplane.js';
import { loadDvrScenario } from '../../models/neutron-dvr/scenario.js';
import { LinkType, type Packet } from '../../harness/wire/packet.js';

/** One second, in the capture clock's ns. */
export const S = 1_000_000_000n;
export const T0 = 1_700_000_000n * S;

/** An Ethernet frame captured at `timestampNs` (none: an input without a timestamp). */
export const at = (data: Uint8Array, timestampNs?: bigint): Packet => ({ data, meta: { linkType: LinkType.ETHERNET, timestampNs } });
export const model = async (): Promise<DvrInstance> => new DvrInstance(await loadDvrScenario('fixtures/neutron-dvr/scenario.yaml'));
