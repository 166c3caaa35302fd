// The one record that models, trace readers and the diff all speak. A model node's trace output and a
// stage parsed from a real VPP `show trace` are the same type, so they compare directly.

import type { Packet } from './wire/packet.js';

/** A typed field value. bigint for 64-bit words (ACL pkt-info); strings for addresses and names. */
export type FieldValue = string | number | boolean | bigint | null;

export interface Stage {
  /** Node name as the dataplane prints it: `ip4-rewrite`, `tap12-output`, `qrouter:nat:PREROUTING`. */
  node: string;
  /** Timestamp exactly as printed (`04:26:22:973829`); models leave it undefined. */
  time?: string;
  /** The body lines exactly as printed, each with its leading indentation. */
  lines: string[];
  /**
   * Typed fields, flat dotted paths: record fields (`fib`, `dpo_idx`, `flow_hash`, `session_index`,
   * `next_index`) and the header fields the node prints (`ip4.ttl`, `ip4.checksum`, `tcp.dst_port`,
   * `eth.src`). A second header of a kind in one stage (encapsulation) is `inner.` prefixed
   * (`inner.ip4.ttl`), the first one keeps the plain name.
   */
  fields: Record<string, FieldValue>;
  /** The packet as far as this stage shows it (partial for trace text: see Packet.known). */
  packet?: Packet;
  /** 1-based line of the node header in its source text, for messages. */
  line?: number;
}

/** One packet's journey: its stages in order. */
export interface PacketTrace {
  /** `Packet N` number as printed, when there was one. */
  number?: number;
  stages: Stage[];
  /** 1-based line where this packet starts in its source, for messages. */
  line?: number;
}
