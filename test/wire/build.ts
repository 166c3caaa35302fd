// Test packets: emitted headers concatenated, then lengths and checksums filled by finalizePacket.

import { concat } from '../../harness/wire/bytes.js';
import { LinkType, type Packet } from '../../harness/wire/packet.js';
import { finalizePacket, type FinalizeOptions } from '../../harness/dissect/finalize.js';

export function buildPacket(parts: Uint8Array[], linkType: number = LinkType.ETHERNET, opts: FinalizeOptions = {}): Packet {
  return finalizePacket({ data: concat(parts), meta: { linkType } }, opts);
}
