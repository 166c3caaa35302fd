// Classic pcap (draft-ietf-opsawg-pcap): a 24-byte file header, then records of a 16-byte header
// and the captured bytes. The magic says the byte order and whether the second timestamp word is
// micro- or nanoseconds. Decoder (driven by capture-walk.ts), sync encoder, and a streaming writer.

import type { Packet } from '../wire/packet.js';
import { LinkType } from '../wire/packet.js';
import {
  MAX_CAPLEN,
  nsFromParts,
  captureError,
  ChunkView,
  type CaptureDecoder,
  type CaptureMeta,
} from './capture-decoder.js';
import { put16, put32, splitNs } from './capture-bytes.js';
import { CaptureWriter, writeAllAndClose, type SinkOptions, type SinkTarget } from './stream-sink.js';
import type { InputError } from './input-error.js';
import type { CaptureInterface, RecordBatch } from './record-batch.js';

export const PCAP_MAGIC_US = 0xa1b2c3d4;
export const PCAP_MAGIC_NS = 0xa1b23c4d;
export const PCAP_HEADER_LEN = 24;
export const PCAP_RECORD_HEADER_LEN = 16;

// The link-type word: link type in the low 16 bits; bit 0x04000000 says the top 4 bits hold the
// FCS length in 16-bit words; the rest is reserved and ignored by readers.
const LINKTYPE_MASK = 0xffff;
const FCS_PRESENT = 0x04000000;
const FCS_WORDS_SHIFT = 28;

export interface PcapHeader {
  littleEndian: boolean;
  nanosecond: boolean;
  versionMajor: number;
  versionMinor: number;
  snaplen: number;
  linkType: number;
  /** FCS bytes per packet, when the link-type word declares it. */
  fcsLength?: number;
}

/** The pcap header at `buf[pos]` if its magic is a pcap magic (either byte order), else undefined. */
export function pcapByteOrder(buf: Uint8Array, pos: number): { littleEndian: boolean; nanosecond: boolean } | undefined {
  const be = ((buf[pos] << 24) | (buf[pos + 1] << 16) | (buf[pos + 2] << 8) | buf[pos + 3]) >>> 0;
  const le = ((buf[pos + 3] << 24) | (buf[pos + 2] << 16) | (buf[pos + 1] << 8) | buf[pos]) >>> 0;
  if (be === PCAP_MAGIC_US || be === PCAP_MAGIC_NS) return { littleEndian: false, nanosecond: be === PCAP_MAGIC_NS };
  if (le === PCAP_MAGIC_US || le === PCAP_MAGIC_NS) return { littleEndian: true, nanosecond: le === PCAP_MAGIC_NS };
  return undefined;
}

export class PcapDecoder implements CaptureDecoder {
  need = PCAP_HEADER_LEN;
  header: PcapHeader | undefined;
  frames = 0;
  interfaces: CaptureInterface[] = [];
  private readonly view = new ChunkView();
  // Hot-loop copies of header fields.
  private le = true;
  private fracToNs = 1000;
  private linkType = 0;
  private snaplen = 0;
  private maxCaplen = MAX_CAPLEN;

  constructor(readonly file: string) {}

  decode(buf: Uint8Array, pos: number, end: number, base: number, out: RecordBatch, limit: number, into?: Packet[]): number {
    const dv = this.view.of(buf);
    if (!this.header) {
      if (end - pos < PCAP_HEADER_LEN) {
        this.need = PCAP_HEADER_LEN;
        return pos;
      }
      this.readHeader(buf, dv, pos, base);
      pos += PCAP_HEADER_LEN;
    }
    const le = this.le;
    const maxCaplen = this.maxCaplen;
    const linkType = this.linkType;
    const fcsLength = this.header!.fcsLength;
    const firstFrame = this.frames + 1;
    const ab = buf.buffer;
    const abOff = buf.byteOffset;
    const n0 = out.count;
    let n = n0;
    let need = 0;
    // `out.count` and `frames` are stored once on the way out (and before a fault), not per record.
    while (n < limit) {
      if (end - pos < PCAP_RECORD_HEADER_LEN) {
        need = PCAP_RECORD_HEADER_LEN;
        break;
      }
      const caplen = dv.getUint32(pos + 8, le);
      if (caplen > maxCaplen) {
        out.count = n;
        this.frames += n - n0;
        throw this.caplenError(caplen, base + pos);
      }
      const total = PCAP_RECORD_HEADER_LEN + caplen;
      if (end - pos < total) {
        need = total;
        break;
      }
      const at = pos + PCAP_RECORD_HEADER_LEN;
      const sec = dv.getUint32(pos, le);
      const frac = dv.getUint32(pos + 4, le);
      const orig = dv.getUint32(pos + 12, le);
      if (into === undefined) out.put(n, at, caplen, 0, sec, frac, orig);
      else {
        const meta: CaptureMeta = { linkType, frame: firstFrame + n - n0, timestampNs: this.recordTimestampNs(0, sec, frac), origLength: orig };
        if (fcsLength !== undefined) meta.fcsLength = fcsLength;
        into.push({ data: new Uint8Array(ab, abOff + at, caplen), meta });
      }
      n++;
      pos += total;
    }
    out.count = n;
    this.frames += n - n0;
    this.need = need;
    return pos;
  }

  /** Both paths' timestamp: readCapture's Packets as they are made, RecordBatch.timestampNs on demand. */
  recordTimestampNs(_iface: number, sec: number, frac: number): bigint {
    return nsFromParts(sec, frac * this.fracToNs);
  }

  recordTimestampMs(_iface: number, sec: number, frac: number): number {
    // sec < 2^32 and frac < 2^32: every product below is exact in a double.
    return sec * 1000 + Math.floor((frac * this.fracToNs) / 1_000_000);
  }

  truncated(_buf: Uint8Array, pos: number, end: number, base: number): InputError {
    if (!this.header) {
      return captureError('truncated-header', `truncated pcap file header: ${end - pos} of ${PCAP_HEADER_LEN} bytes`, this.file, 1, base + pos);
    }
    const have = end - pos;
    const what = have < PCAP_RECORD_HEADER_LEN ? `record header: ${have} of ${PCAP_RECORD_HEADER_LEN} bytes` : `packet data: ${have - PCAP_RECORD_HEADER_LEN} of ${this.need - PCAP_RECORD_HEADER_LEN} bytes`;
    return captureError('truncated-record', `truncated pcap record, ${what}`, this.file, this.frames + 1, base + pos);
  }

  private readHeader(buf: Uint8Array, dv: DataView, pos: number, base: number): void {
    const order = pcapByteOrder(buf, pos);
    if (!order) throw captureError('bad-magic', 'not a pcap file: unknown magic', this.file, 1, base + pos);
    const le = order.littleEndian;
    const versionMajor = dv.getUint16(pos + 4, le);
    const versionMinor = dv.getUint16(pos + 6, le);
    if (versionMajor !== 2) {
      throw captureError('bad-version', `unsupported pcap version ${versionMajor}.${versionMinor} (expected 2.x)`, this.file, 1, base + pos + 4);
    }
    const snaplen = dv.getUint32(pos + 16, le);
    const word = dv.getUint32(pos + 20, le);
    const header: PcapHeader = { ...order, versionMajor, versionMinor, snaplen, linkType: word & LINKTYPE_MASK };
    if (word & FCS_PRESENT) header.fcsLength = 2 * (word >>> FCS_WORDS_SHIFT);
    this.header = header;
    this.le = le;
    this.fracToNs = order.nanosecond ? 1 : 1000;
    this.linkType = header.linkType;
    this.snaplen = snaplen;
    // Snaplen 0 declares no limit; the hard cap still applies.
    this.maxCaplen = snaplen === 0 ? MAX_CAPLEN : Math.min(snaplen, MAX_CAPLEN);
    const iface: CaptureInterface = { linkType: header.linkType };
    if (header.fcsLength !== undefined) iface.fcsLength = header.fcsLength;
    this.interfaces = [iface];
  }

  private caplenError(caplen: number, offset: number): InputError {
    const packet = this.frames + 1;
    if (caplen > MAX_CAPLEN) {
      return captureError('caplen-too-large', `captured length ${caplen} exceeds the ${MAX_CAPLEN}-byte limit`, this.file, packet, offset);
    }
    return captureError('caplen-exceeds-snaplen', `captured length ${caplen} exceeds the file's snaplen ${this.snaplen}`, this.file, packet, offset);
  }
}

// ---------------------------------------------------------------------------------------------
// Writing

export interface PcapWriteOptions {
  linkType?: number;
  /** Default 262144 (libpcap's). A packet longer than snaplen is refused, never silently cut. */
  snaplen?: number;
  /** Nanosecond magic and timestamps (default microseconds, which truncates to whole µs). */
  nanosecond?: boolean;
  /** Big-endian file (default little-endian, as most capture hosts write). */
  bigEndian?: boolean;
  /** FCS bytes per packet to declare in the link-type word (even, at most 30). */
  fcsLength?: number;
}

function linkTypeWord(o: PcapWriteOptions): number {
  let word = (o.linkType ?? LinkType.ETHERNET) & LINKTYPE_MASK;
  if (o.fcsLength !== undefined) {
    if (o.fcsLength % 2 !== 0 || o.fcsLength < 0 || o.fcsLength > 30) throw new RangeError(`pcap FCS length ${o.fcsLength} is not an even number of bytes up to 30`);
    word = (word | FCS_PRESENT | ((o.fcsLength / 2) << FCS_WORDS_SHIFT)) >>> 0;
  }
  return word;
}

/** Encode the 24-byte file header into `b` at `off`; returns the offset after it. */
export function encodePcapHeader(o: PcapWriteOptions, b: Uint8Array, off: number): number {
  const le = !o.bigEndian;
  put32(b, off, o.nanosecond ? PCAP_MAGIC_NS : PCAP_MAGIC_US, le);
  put16(b, off + 4, 2, le);
  put16(b, off + 6, 4, le);
  put32(b, off + 8, 0, le);
  put32(b, off + 12, 0, le);
  put32(b, off + 16, o.snaplen ?? MAX_CAPLEN, le);
  put32(b, off + 20, linkTypeWord(o), le);
  return off + PCAP_HEADER_LEN;
}

/** The 24-byte file header as bytes. */
export function pcapHeaderBytes(o: PcapWriteOptions): Uint8Array {
  const b = new Uint8Array(PCAP_HEADER_LEN);
  encodePcapHeader(o, b, 0);
  return b;
}

/** Bytes one packet takes in a pcap file. */
export function pcapRecordLength(p: Packet): number {
  return PCAP_RECORD_HEADER_LEN + p.data.length;
}

/** Encode one record into `b` at `off`; returns the offset after it. */
export function encodePcapRecord(p: Packet, o: PcapWriteOptions, b: Uint8Array, off: number): number {
  const le = !o.bigEndian;
  const snaplen = o.snaplen ?? MAX_CAPLEN;
  if (p.data.length > snaplen && snaplen !== 0) throw new RangeError(`packet of ${p.data.length} bytes exceeds snaplen ${snaplen}`);
  const { sec, frac } = splitNs(p.meta.timestampNs ?? 0n);
  if (sec > 0xffffffffn) throw new RangeError(`timestamp ${p.meta.timestampNs} is beyond pcap's 32-bit seconds`);
  put32(b, off, Number(sec), le);
  put32(b, off + 4, Number(o.nanosecond ? frac : frac / 1000n), le);
  put32(b, off + 8, p.data.length, le);
  put32(b, off + 12, p.meta.origLength ?? p.data.length, le);
  b.set(p.data, off + PCAP_RECORD_HEADER_LEN);
  return off + PCAP_RECORD_HEADER_LEN + p.data.length;
}

/** A whole pcap file in memory (tests, small fixtures). */
export function encodePcap(packets: Iterable<Packet>, o: PcapWriteOptions = {}): Uint8Array {
  const list = [...packets];
  let n = PCAP_HEADER_LEN;
  for (const p of list) n += pcapRecordLength(p);
  const b = new Uint8Array(n);
  let off = encodePcapHeader(o, b, 0);
  for (const p of list) off = encodePcapRecord(p, o, b, off);
  return b;
}

/** Streaming pcap writer to a path or a Writable. `close()` must be awaited. */
export class PcapWriter extends CaptureWriter {
  constructor(
    target: SinkTarget,
    private readonly opts: PcapWriteOptions = {},
    sinkOptions?: SinkOptions,
  ) {
    super(target, pcapHeaderBytes(opts), sinkOptions);
  }

  protected recordLength(p: Packet): number {
    return pcapRecordLength(p);
  }

  protected encodeRecord(p: Packet, b: Uint8Array, off: number): number {
    return encodePcapRecord(p, this.opts, b, off);
  }
}

/** Write `packets` to a pcap file at `path`. */
export function writePcap(path: string, packets: Iterable<Packet> | AsyncIterable<Packet>, opts: PcapWriteOptions = {}): Promise<void> {
  return writeAllAndClose(new PcapWriter(path, opts), packets);
}
