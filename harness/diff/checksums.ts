// Which checksum covers which field, and what a checksum difference means.
//
// A masked field that a checksum covers makes the checksum's *value* meaningless to compare (it must
// differ when the masked field differs), but the checksum can still be checked for *validity* against
// the packet's own bytes when those bytes are known. And a checksum that differs is either invalid
// (the model computed it wrong, or left it stale) or valid-but-different (right for its bytes, but
// e.g. a full recompute where the dataplane updates incrementally per RFC 1624, which differs for
// partial packets, or 0x0000 versus 0xffff).

import { splitFieldKey } from './mask-path.js';
import { layerNamed } from './field-offsets.js';
import type { Dissector, Layer } from '../suite/peers.js';
import type { Packet } from '../wire/packet.js';

/** Pseudo-header fields each transport checksum covers, besides its own header and payload. */
const PSEUDO = new Set(['ip4.src', 'ip4.dst', 'ip6.src', 'ip6.dst', 'ip4.length', 'ip6.payload_length', 'ip4.protocol', 'ip6.next_header']);

export function isChecksumKey(key: string): boolean {
  return splitFieldKey(key).leaf === 'checksum';
}

/** Does the checksum field `checksumKey` cover field `key` (same encapsulation depth)? */
export function checksumCovers(checksumKey: string, key: string): boolean {
  if (key === checksumKey) return false;
  const c = splitFieldKey(checksumKey);
  const f = splitFieldKey(key);
  if (c.level !== f.level || !c.proto || !f.proto) return false;
  if (c.proto === f.proto) return true;
  const pseudo = `${f.proto}.${f.leaf}`;
  if (c.proto === 'tcp' || c.proto === 'udp') return PSEUDO.has(pseudo) || f.proto === 'payload';
  if (c.proto === 'icmp6') return pseudo === 'ip6.src' || pseudo === 'ip6.dst' || f.proto === 'payload';
  if (c.proto === 'icmp') return f.proto === 'payload';
  return false;
}

/** Validity of the checksum `checksumKey` in `packet`: true/false, or undefined when the bytes do not allow it. */
export function checksumValidity(packet: Packet | undefined, checksumKey: string, dissect: Dissector | undefined): boolean | undefined {
  if (!packet || !dissect) return undefined;
  const layer = layerFor(safeDissect(dissect, packet), checksumKey);
  const v = layer?.fields.checksum_valid;
  return typeof v === 'boolean' ? v : undefined;
}

export function safeDissect(dissect: Dissector, packet: Packet): Layer[] {
  try {
    return dissect(packet);
  } catch {
    return []; // a packet the dissector cannot read has no provable checksum; the field diff still shows
  }
}

function layerFor(layers: Layer[], key: string): Layer | undefined {
  const k = splitFieldKey(key);
  return k.proto ? layerNamed(layers, k.proto, k.level) : undefined;
}

/**
 * The same for `dpconform diff A B`, where neither side is the expected one (A is passed as the
 * golden, B as the model): whether each side's checksum is right for its own bytes, and whether fields
 * it covers differ.
 */
export function peerChecksumNote(bValid: boolean | undefined, aValid: boolean | undefined, coveredFieldsDiffer: boolean): string {
  if (aValid && bValid) return coveredFieldsDiffer ? 'both valid for their bytes; differs because covered fields differ' : 'both valid for their bytes (bytes no field shows differ, or 0x0000 vs 0xffff)';
  const validity = (v: boolean | undefined) => (v === undefined ? 'unknown (packet bytes not known)' : v ? 'valid' : 'invalid');
  return `A checksum ${validity(aValid)} for its own bytes, B checksum ${validity(bValid)}${coveredFieldsDiffer ? '; covered fields differ' : ''}`;
}

/**
 * One phrase for a checksum that differs from its golden: invalid (wrong for the model's own bytes)
 * or valid but different, and then why it can differ while every field it covers matches.
 */
export function checksumProvenance(modelValid: boolean | undefined, goldenValid: boolean | undefined, coveredFieldsDiffer: boolean): string {
  const goldenBad = '; the golden checksum is itself invalid';
  if (modelValid === false) return `model checksum invalid for its own bytes (stale or miscomputed)${goldenValid === false ? goldenBad : ''}`;
  if (modelValid === undefined) return `checksum validity unknown (packet bytes not known)${goldenValid === false ? goldenBad : ''}`;
  if (coveredFieldsDiffer) return `model checksum valid for its bytes; differs because covered fields differ${goldenValid === false ? goldenBad : ''}`;
  if (goldenValid === false) {
    return 'model checksum valid but different: the golden checksum is itself invalid (the dataplane updated a wrong checksum incrementally, RFC 1624; the model recomputed it)';
  }
  if (goldenValid === undefined) {
    return 'model checksum valid but different: the golden shows a partial packet, so its checksum covers bytes not shown (a full recompute over them differs from the dataplane\'s incremental update, RFC 1624)';
  }
  return 'model checksum valid but different: both are valid for their bytes (bytes no field shows differ, or 0x0000 vs 0xffff)';
}
