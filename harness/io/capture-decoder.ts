// What the pcap and pcapng decoders share: the decoder contract the walk (capture-walk.ts)
// runs, the capture metadata a packet carries, the hard caplen cap, and the one way a capture fault
// becomes an InputError (code `capture.<kind>`, file, 1-based packet number, byte offset).

import { endianness } from 'node:os';
import type { BufferMeta, Packet } from '../wire/packet.js';
import { InputError } from './input-error.js';
import type { CaptureInterface, RecordBatch, RecordClock } from './record-batch.js';

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
  | 'bad-name-record'
  | 'spb-extra-data'
  | 'packet-before-idb'
  | 'unknown-interface';

export function captureError(kind: CaptureFault, reason: string, file: string, packet: number, offset: number): InputError {
  return new InputError(reason, { file, packet, offset }, `capture.${kind}`);
}

/**
 * A format decoder, driven over a sliding window of the file. It never reads past `end` and never
 * keeps `buf` (records in its output batch are offsets into it), so the driver can hand it a fresh
 * chunk each time. All errors it throws are InputErrors.
 */
export interface CaptureDecoder extends RecordClock {
  /**
   * Decode whole records/blocks from `buf[pos, end)`, where `buf[0]` is file offset `base`, appending
   * packet records to `out` until it holds `limit` of them (limit <= out.capacity). Returns the offset
   * of the first byte not consumed. When it stopped for lack of bytes, `need` is how many bytes (from
   * that offset) the next record needs; when it stopped because `out` is full, `need` is 0. On a fault
   * the records before it are in `out`.
   *
   * With `into`, each record goes onto it as a Packet (data a view of `buf`, no copy) instead of into
   * `out`'s columns, in the same walk; `out` still counts the records (count, extras). Materialising
   * in a separate pass over `out` measured ~20 ns a packet slower on a streamed file (the walk's
   * waits on fresh chunk memory no longer overlap the allocations), and filling columns nobody reads
   * ~5 ns (bench/capture-read.js, interleaved runs).
   */
  decode(buf: Uint8Array, pos: number, end: number, base: number, out: RecordBatch, limit: number, into?: Packet[]): number;
  need: number;
  /** Packets decoded so far (the next record is packet `frames + 1`). */
  readonly frames: number;
  /** The capture's interfaces so far, by the index records carry (RecordBatch.interfaceId). */
  readonly interfaces: readonly CaptureInterface[];
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

const TWO16 = 65536;
const TWO32 = 4294967296;

/**
 * `sec * 10^9 + fracNs` as a bigint, exactly, with one BigInt allocation (the 64-bit read), where
 * `BigInt(sec) * 1e9n + BigInt(fracNs)` makes three: this runs once per packet, and the BigInt
 * churn was the largest per-packet cost of the reader after the record walk itself (measured,
 * bench/capture.ts). sec < 2^32 and fracNs < 2^42 (a record's 32-bit fraction word, times 1000 for µs).
 *
 * Every intermediate stays below 2^53, so the double arithmetic is exact:
 * sec = sh * 2^16 + sl; sec * 1e9 = (sh * 1e9) * 2^16 + sl * 1e9, with sh * 1e9 < 2^46 split at
 * 2^16 into the high word and a low part; the low sum (< 2^48) carries into the high word.
 */
export function nsFromParts(sec: number, fracNs: number): bigint {
  const sh = Math.floor(sec / TWO16);
  const a = sh * 1e9;
  const ah = Math.floor(a / TWO16);
  let lo = (a - ah * TWO16) * TWO16 + (sec - sh * TWO16) * 1e9 + fracNs;
  const carry = Math.floor(lo / TWO32);
  lo -= carry * TWO32;
  return u64(ah + carry, lo);
}
