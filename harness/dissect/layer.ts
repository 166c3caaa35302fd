// What `dissect` returns: one Layer per header, outermost first. Field names are snake_case and
// values JSON-safe, so `inspect --json` prints them as they are and the oracle compares them with
// tshark field by field.

import type { LayerName } from './fields.js';

export type FieldValue = string | number | boolean | FieldValue[] | { [k: string]: FieldValue };

/** The layers are those fields.ts declares. */
export type { LayerName } from './fields.js';

export interface Layer {
  name: LayerName;
  /** Byte offset of the header in the packet. */
  offset: number;
  /** Header length in bytes (for 'payload', the payload's). */
  length: number;
  /** A field whose bytes are not captured or not known is absent, never guessed. */
  fields: Record<string, FieldValue>;
  /**
   * ICMP / ICMPv6 errors only: the quoted original packet, dissected as its own layer list (offsets
   * are still in the outer packet). Kept apart from the main list so `ip4.ttl` means the outer header.
   */
  quoted?: Layer[];
}
