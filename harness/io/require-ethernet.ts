import type { Packet } from '../wire/packet.js';
import { LinkType } from '../wire/packet.js';
import { InputError } from './input-error.js';

/**
 * Refuse a captured frame that is not Ethernet where Ethernet frames are read (`check` matches
 * frames by MAC; the VPP model's input nodes take Ethernet). Read as Ethernet, a Linux cooked
 * capture (`tcpdump -i any`) or a raw-IP one gives a plausible but wrong result instead of an error.
 */
export function requireEthernet(p: Packet, file: string, why: string): void {
  if (p.meta.linkType === LinkType.ETHERNET) return;
  throw new InputError(`link type ${p.meta.linkType}, not Ethernet (1): ${why}`, { file, packet: p.meta.frame }, 'capture.not-ethernet');
}
