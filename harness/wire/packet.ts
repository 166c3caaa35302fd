import { KnownBytes } from './known.js';

/**
 * A packet as a dataplane holds it: bytes, which of them are known, and buffer metadata (like a VPP
 * vlib_buffer_t or a Linux sk_buff: where it came in, where it goes, where the headers start).
 * Models rewrite `data` in place through the codecs' views, as dataplanes do.
 */
export interface Packet {
  data: Uint8Array;
  /** undefined = every byte known (a captured packet); set for packets rebuilt from trace text. */
  known?: KnownBytes;
  meta: BufferMeta;
}

/** Link types as in pcap's LINKTYPE_* registry; what byte 0 of `data` is. */
export const LinkType = {
  ETHERNET: 1,
  RAW: 101,
  LINUX_SLL: 113,
  IPV4: 228,
  IPV6: 229,
  LINUX_SLL2: 276,
} as const;
export type LinkTypeValue = number;

export interface BufferMeta {
  /** What the first byte of data is (a LinkType value). */
  linkType: LinkTypeValue;
  /** Frame number in its capture, 1-based. */
  frame?: number;
  /** Capture timestamp in nanoseconds since the epoch. */
  timestampNs?: bigint;
  /** Length on the wire; data.length is the captured length. */
  origLength?: number;
  /** Capture interface name (pcapng if_name), or the device a model saw it on. */
  interfaceName?: string;
  /** Capture interface index (pcapng IDB index). */
  interfaceId?: number;
  /** pcapng opt_comment. */
  comment?: string;
}

export function packetFromBytes(data: Uint8Array, meta: Partial<BufferMeta> = {}): Packet {
  return { data, meta: { linkType: LinkType.ETHERNET, ...meta } };
}

export function isKnown(p: Packet, off: number, len = 1): boolean {
  return p.known ? p.known.has(off, len) : off >= 0 && off + len <= p.data.length;
}

export function clonePacket(p: Packet): Packet {
  return { data: p.data.slice(), known: p.known?.clone(), meta: { ...p.meta } };
}
