// What the pcap and pcapng decoders share: the decoder contract the streaming driver (capture.ts)
// runs, the capture metadata a packet carries, the hard caplen cap, and the one way a capture fault
// becomes an InputError (code `capture.<kind>`, file, 1-based packet number, byte offset).

import { endianness } from 'node:os';
import type { BufferMeta, Packet } from '../wire/packet.js';
import { InputError } from './input-error.js';

/**
 * Largest captured length we accept for one packet (256 KiB), whatever the file's snaplen says.
 * libpcap's own maximum snaplen; it also bounds the memory one record can make us hold.
 */
export const MAX_CAPLEN = 256 * 1024;

/** Metadata a capture gives each packet, beyond the common BufferMeta. */
export interface CaptureMeta extends BufferMeta {
  /** FCS bytes at the end of `data` when the file says so (pcap linktype FCS bits, pcapng if_fcslen). */
  fcsLength?: number;
}

/** Stable error kinds; the InputError code is `capture.<kind>`. */
export type CaptureFault =
  | 'bad-magic'
  | 'bad-version'
  | 'truncated-header'
  | 'truncated-record'
  | 'truncated-block'
  | 'caplen-exceeds-snaplen'
  | 'caplen-too-large'
  | 'caplen-exceeds-block'
  | 'block-length-unaligned'
  | 'block-length-mismatch'
  | 'block-too-small'
  | 'block-too-large'
  | 'bad-option'
  | 'packet-before-idb'
  | 'unknown-interface';

export function captureError(kind: CaptureFault, reason: string, file: string, packet: number, offset: number): InputError {
  return new InputError(reason, { file, packet, offset }, `capture.${kind}`);
}

/**
 * A format decoder, driven over a sliding window of the file. It never reads past `end` and never
 * keeps `buf` beyond the packets it emits (whose `data` are subarrays of `buf`), so the driver can
 * hand it a fresh chunk each time. All errors it throws are InputErrors.
 */
export interface CaptureDecoder {
  /**
   * Decode whole records/blocks from `buf[pos, end)`, where `buf[0]` is file offset `base`, pushing
   * packets onto `out` until it holds `limit` of them. Returns the offset of the first byte not
   * consumed. When it stopped for lack of bytes, `need` is how many bytes (from that offset) the next
   * record needs; when it stopped because `out` is full, `need` is 0.
   */
  decode(buf: Uint8Array, pos: number, end: number, base: number, out: Packet[], limit: number): number;
  need: number;
  /** The error for input that ends inside a record: `buf[pos, end)` is the incomplete remainder. */
  truncated(buf: Uint8Array, pos: number, end: number, base: number): InputError;
}

/**
 * A DataView over the whole of the current chunk, remade only when the driver hands over a new
 * chunk (decoders index it with chunk-relative offsets).
 */
export class ChunkView {
  private buf: Uint8Array | undefined;
  private dv: DataView | undefined;

  of(buf: Uint8Array): DataView {
    if (buf !== this.buf) {
      this.buf = buf;
      this.dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    }
    return this.dv!;
  }
}

/**
 * Nanosecond timestamps as bigint without three BigInt allocations per packet: packets in a row
 * mostly share their second, so `seconds * 1e9` is kept for the last second seen and only the
 * fraction is converted per packet.
 */
export class NsClock {
  private sec = -1;
  private secNs = 0n;

  /** `sec` seconds plus `fracNs` nanoseconds (both non-negative integers below 2^53). */
  at(sec: number, fracNs: number): bigint {
    if (sec !== this.sec) {
      this.sec = sec;
      this.secNs = BigInt(sec) * 1_000_000_000n;
    }
    return this.secNs + BigInt(fracNs);
  }
}

// One 64-bit scratch word seen as two 32-bit halves, in host order: composes a 64-bit unsigned
// value from two u32 words with one BigInt allocation instead of four BigInt operations.
const halves = new Uint32Array(2);
const word64 = new BigUint64Array(halves.buffer);
const HI = endianness() === 'LE' ? 1 : 0;

/** `hi * 2^32 + lo` as a bigint (hi, lo: unsigned 32-bit). */
export function u64(hi: number, lo: number): bigint {
  halves[HI] = hi;
  halves[1 - HI] = lo;
  return word64[0];
}
