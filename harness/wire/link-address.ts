// The link-layer address field of Linux cooked captures (SLL, SLL2): 8 bytes, of which
// `length` are meaningful. Shown as a MAC when it is 6 bytes long, else as hex.

import { hex } from './bytes.js';
import { macToString } from './address.js';

export const COOKED_ADDRESS_FIELD_LEN = 8;

export function cookedAddressText(b: Uint8Array, off: number, length: number): string {
  if (length === 6) return macToString(b, off);
  return hex(b, off, Math.min(length, COOKED_ADDRESS_FIELD_LEN));
}

/** Linux packet types (sll_pkttype, include/uapi/linux/if_packet.h). */
export const CookedPacketType = { HOST: 0, BROADCAST: 1, MULTICAST: 2, OTHERHOST: 3, OUTGOING: 4 } as const;
