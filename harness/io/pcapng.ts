// pcapng (draft-ietf-opsawg-pcapng): a sequence of blocks, each `type, total length, body, total
// length`. A Section Header Block starts each section and fixes its byte order; Interface
// Description Blocks declare the section's interfaces (link type, snaplen, timestamp resolution);
// packets come in Enhanced, Simple or (obsolete) Packet Blocks. Everything else is skipped by length.

import type { Packet } from '../wire/packet.js';
import { LinkType } from '../wire/packet.js';
import { concat } from '../wire/bytes.js';
import {
  MAX_CAPLEN,
  nsFromParts,
  captureError,
  u64,
  ChunkView,
  type CaptureDecoder,
  type CaptureFault,
  type CaptureMeta,
} from './capture-decoder.js';
import { pad4, put16, put32, put64 } from './capture-bytes.js';
import { CaptureWriter, writeAllAndClose, type SinkOptions, type SinkTarget } from './stream-sink.js';
import type { InputError } from './input-error.js';
import type { CaptureInterface, RecordBatch } from './record-batch.js';

export const BlockType = {
  SHB: 0x0a0d0d0a,
  IDB: 0x00000001,
  OPB: 0x00000002,
  SPB: 0x00000003,
  NRB: 0x00000004,
  ISB: 0x00000005,
  EPB: 0x00000006,
  DSB: 0x0000000a,
  CUSTOM: 0x00000bad,
  CUSTOM_NOCOPY: 0x40000bad,
} as const;

export const BYTE_ORDER_MAGIC = 0x1a2b3c4d;

const Opt = { END: 0, COMMENT: 1, EPB_FLAGS: 2, SHB_USERAPPL: 4, IF_NAME: 2, IF_TSRESOL: 9, IF_FCSLEN: 13, IF_TSOFFSET: 14 } as const;

/** Block type + total length + trailing total length. */
const BLOCK_OVERHEAD = 12;
const TWO32 = 4294967296;
/** Smallest legal total length per block type (fixed fields only). */
function minBlockLength(type: number): number {
  switch (type) {
    case BlockType.SHB:
      return 28;
    case BlockType.EPB:
    case BlockType.OPB:
      return 32;
    case BlockType.IDB:
      return 20;
    case BlockType.SPB:
      return 16;
    default:
      return BLOCK_OVERHEAD;
  }
}
/** epb_flags bits 5-8: FCS length in octets (bit 0 = least significant bit of the word). */
const EPB_FLAGS_FCS_SHIFT = 5;
const EPB_FLAGS_FCS_MASK = 0xf;
/** Offset of the packet data in EPB and OPB (both: 8-byte block header + 20 bytes of fields). */
const PACKET_DATA_OFF = 28;
/**
 * Largest block we will buffer. Packet blocks are bounded by MAX_CAPLEN already; this bounds the
 * others (and a corrupt length field) so memory stays bounded whatever the file says.
 */
export const MAX_BLOCK_LEN = 16 * 1024 * 1024;

const utf8 = new TextDecoder('utf-8');
const utf8Encoder = new TextEncoder();

/** An interface of the current section, as its IDB declares it. */
export interface PcapngInterface {
  linkType: number;
  snaplen: number;
  name?: string;
  /** Raw if_tsresol byte: 10^-n seconds, or 2^-(n & 0x7f) when the top bit is set. Default 6. */
  tsresol: number;
  fcsLength?: number;
  /** if_tsoffset, seconds added to every timestamp. */
  tsOffset: bigint;
}

/** An interface with what the packet loop needs precomputed once per IDB. */
interface DecodedInterface extends PcapngInterface {
  /** Its capture-wide index (RecordBatch.interfaceId): sections after the first continue the count. */
  index: number;
  clock: IfaceClock;
  /** Largest caplen its packets may have: snaplen (0 = none) within the hard cap. */
  maxCaplen: number;
}

/** Timestamp conversion for one interface, prepared once per IDB. */
interface IfaceClock {
  /** Units per second when it is 10^n with n <= 9 (a fast path in plain numbers), else 0. */
  unitsPerSec: number;
  nsPerUnit: number;
  bigUnitsPerSec: bigint;
  offsetNs: bigint;
  /** offsetNs in ms (if_tsoffset is whole seconds). */
  offsetMs: number;
}

function ifaceClock(i: PcapngInterface): IfaceClock {
  const binary = (i.tsresol & 0x80) !== 0;
  const exp = i.tsresol & 0x7f;
  const bigUnitsPerSec = binary ? 1n << BigInt(exp) : 10n ** BigInt(exp);
  const decimalFast = !binary && exp <= 9;
  return {
    unitsPerSec: decimalFast ? 10 ** exp : 0,
    nsPerUnit: decimalFast ? 10 ** (9 - exp) : 0,
    bigUnitsPerSec,
    offsetNs: i.tsOffset * 1_000_000_000n,
    offsetMs: Number(i.tsOffset) * 1000,
  };
}

export class PcapngDecoder implements CaptureDecoder {
  need = BLOCK_OVERHEAD;
  /** Interfaces of the current section (reset by each SHB), by their id in it. */
  section: DecodedInterface[] = [];
  /** Every interface of the capture so far, by capture-wide index (a record's clock, RecordBatch.timestampNs). */
  private readonly all: DecodedInterface[] = [];
  /** The same, as consumers see them. */
  readonly interfaces: CaptureInterface[] = [];
  frames = 0;
  private le = true;
  private readonly view = new ChunkView();

  constructor(readonly file: string) {}

  decode(buf: Uint8Array, pos: number, end: number, base: number, out: RecordBatch, limit: number, into?: Packet[]): number {
    const dv = this.view.of(buf);
    while (out.count < limit) {
      if (end - pos < BLOCK_OVERHEAD) {
        this.need = BLOCK_OVERHEAD;
        return pos;
      }
      // The SHB type reads the same in both orders; its byte-order magic decides how to read the rest.
      const typeLe = dv.getUint32(pos, true);
      if (typeLe === BlockType.SHB) this.le = this.sectionByteOrder(dv, pos, base);
      const le = this.le;
      const type = le ? typeLe : dv.getUint32(pos, false);
      const len = dv.getUint32(pos + 4, le);
      // Packet blocks (nearly every block) checked inline; the rest, and every fault, by checkLength.
      if (type !== BlockType.EPB || (len & 3) !== 0 || len < 32 || len > MAX_BLOCK_LEN) this.checkLength(type, len, base + pos);
      if (end - pos < len) {
        this.need = len;
        return pos;
      }
      const trailer = dv.getUint32(pos + len - 4, le);
      if (trailer !== len) {
        throw this.fault('block-length-mismatch', `block length ${len} does not match its trailing length ${trailer}`, base + pos);
      }
      switch (type) {
        case BlockType.EPB:
          this.packetBlock(buf, dv, pos, len, base, dv.getUint32(pos + 8, le), out, into);
          break;
        case BlockType.OPB:
          this.packetBlock(buf, dv, pos, len, base, dv.getUint16(pos + 8, le), out, into);
          break;
        case BlockType.SPB:
          this.simplePacket(buf, dv, pos, len, base, out, into);
          break;
        case BlockType.IDB:
          this.interfaceBlock(buf, dv, pos, len, base);
          break;
        case BlockType.SHB:
          this.sectionHeader(dv, pos, base);
          this.checkOptions(dv, pos + 24, pos + len - 4, base);
          break;
        case BlockType.ISB:
          this.checkOptions(dv, pos + 20, pos + len - 4, base);
          break;
        case BlockType.NRB:
          this.checkNameRecords(dv, pos + 8, pos + len - 4, base);
          break;
        default:
          break; // DSB, custom and unknown blocks: skipped whole.
      }
      pos += len;
    }
    this.need = 0;
    return pos;
  }

  truncated(buf: Uint8Array, pos: number, end: number, base: number): InputError {
    const have = end - pos;
    const of = have >= BLOCK_OVERHEAD && this.need > BLOCK_OVERHEAD ? `${have} of ${this.need} bytes` : `${have} bytes, not even a block header`;
    const first = base + pos === 0 ? ' section header' : '';
    return this.fault('truncated-block', `truncated pcapng${first} block: ${of}`, base + pos);
  }

  private fault(kind: CaptureFault, reason: string, offset: number): InputError {
    return captureError(kind, reason, this.file, this.frames + 1, offset);
  }

  private sectionByteOrder(dv: DataView, pos: number, base: number): boolean {
    const magic = dv.getUint32(pos + 8, false);
    if (magic === BYTE_ORDER_MAGIC) return false;
    if (magic === 0x4d3c2b1a) return true;
    throw this.fault('bad-magic', `pcapng section header with unknown byte-order magic 0x${magic.toString(16).padStart(8, '0')}`, base + pos + 8);
  }

  private checkLength(type: number, len: number, offset: number): void {
    if (len % 4 !== 0) throw this.fault('block-length-unaligned', `block length ${len} is not a multiple of 4`, offset);
    const min = minBlockLength(type);
    if (len < min) throw this.fault('block-too-small', `block length ${len} is below the ${min} bytes a ${blockName(type)} needs`, offset);
    if (len > MAX_BLOCK_LEN) throw this.fault('block-too-large', `block length ${len} exceeds the ${MAX_BLOCK_LEN}-byte limit`, offset);
  }

  private sectionHeader(dv: DataView, pos: number, base: number): void {
    const major = dv.getUint16(pos + 12, this.le);
    const minor = dv.getUint16(pos + 14, this.le);
    // 1.0, and 1.2 (written by some tools, the same format), as Wireshark's pcapng_read_section_header_block
    // accepts; another minor version may hold what a 1.0 reader misreads (draft-ietf-opsawg-pcapng, SHB
    // Minor Version: "code that reads the old format could not read all files in the new format").
    if (major !== 1 || (minor !== 0 && minor !== 2)) {
      throw this.fault('bad-version', `unsupported pcapng version ${major}.${minor} (expected 1.0 or 1.2)`, base + pos + 12);
    }
    this.section = [];
  }

  private interfaceBlock(buf: Uint8Array, dv: DataView, pos: number, len: number, base: number): void {
    const le = this.le;
    const iface: PcapngInterface = {
      linkType: dv.getUint16(pos + 8, le),
      snaplen: dv.getUint32(pos + 12, le),
      tsresol: 6,
      tsOffset: 0n,
    };
    this.options(dv, pos + 16, pos + len - 4, base, (code, at, n) => {
      if (code === Opt.IF_NAME) iface.name = text(buf, at, n);
      else if (code === Opt.IF_TSRESOL && n >= 1) iface.tsresol = this.tsresol(buf[at], base + at);
      else if (code === Opt.IF_FCSLEN && n >= 1) iface.fcsLength = fcsOctetsOfIfFcslen(buf[at]);
      else if (code === Opt.IF_TSOFFSET && n >= 8) {
        const hi = dv.getInt32(at + (le ? 4 : 0), le);
        const lo = dv.getUint32(at + (le ? 0 : 4), le);
        iface.tsOffset = (BigInt(hi) << 32n) | BigInt(lo);
      }
    });
    const maxCaplen = iface.snaplen === 0 ? MAX_CAPLEN : Math.min(iface.snaplen, MAX_CAPLEN);
    const decoded: DecodedInterface = { ...iface, clock: ifaceClock(iface), maxCaplen, index: this.all.length };
    this.section.push(decoded);
    this.all.push(decoded);
    const visible: CaptureInterface = { linkType: iface.linkType };
    if (iface.name !== undefined) visible.name = iface.name;
    if (iface.fcsLength !== undefined) visible.fcsLength = iface.fcsLength;
    this.interfaces.push(visible);
  }

  /**
   * An if_tsresol byte whose time units per second fit the 64-bit timestamp count: at most 10^19 or
   * 2^63. Finer ones made every timestamp 0; Wireshark refuses them ("IDB power-of-10 time stamp
   * resolution %u > 19", "power-of-2 ... > 63", pcapng.c pcapng_read_if_descr_block).
   */
  private tsresol(v: number, offset: number): number {
    const binary = (v & 0x80) !== 0;
    const exp = v & 0x7f;
    if (exp > (binary ? 63 : 19)) {
      const units = binary ? `2^-${exp}` : `10^-${exp}`;
      throw this.fault('bad-option', `if_tsresol ${units} s is finer than a 64-bit timestamp can count (at most 10^-19 or 2^-63 s)`, offset);
    }
    return v;
  }

  /** EPB or OPB: interface id, 64-bit timestamp, caplen, origlen, data, options. */
  private packetBlock(buf: Uint8Array, dv: DataView, pos: number, len: number, base: number, ifId: number, out: RecordBatch, into: Packet[] | undefined): void {
    const le = this.le;
    const iface = this.section[ifId] ?? this.interfaceFor(ifId, base + pos);
    const caplen = dv.getUint32(pos + 20, le);
    const room = len - PACKET_DATA_OFF - 4;
    if (caplen > iface.maxCaplen || caplen > room) this.checkCaplen(caplen, iface, room, base + pos);
    const n = out.count;
    const at = pos + PACKET_DATA_OFF;
    const hi = dv.getUint32(pos + 12, le);
    const lo = dv.getUint32(pos + 16, le);
    const origLength = dv.getUint32(pos + 24, le);
    const optStart = at + pad4(caplen);
    const optEnd = pos + len - 4;
    // Counted once the options are read: a fault there is still this packet's.
    if (optStart < optEnd) this.packetOptions(buf, dv, optStart, optEnd, base, out, n);
    out.count = n + 1;
    this.frames++;
    if (into === undefined) out.put(n, at, caplen, iface.index, hi, lo, origLength);
    else {
      const meta: CaptureMeta = {
        linkType: iface.linkType,
        frame: this.frames,
        timestampNs: this.timestamp(iface.clock, hi, lo),
        origLength,
        // Section-local, as the block names it (FrameBatch.interfaceId is capture-wide: iface.index).
        interfaceId: ifId,
        interfaceName: iface.name,
      };
      into.push(this.packet(buf, at, caplen, out, n, iface, meta));
    }
  }

  /** The Packet of record `n` of `out`, bytes `buf[at, at + caplen)`, given its meta so far: adds FCS length and options. */
  private packet(buf: Uint8Array, at: number, caplen: number, out: RecordBatch, n: number, iface: DecodedInterface, meta: CaptureMeta): Packet {
    if (iface.fcsLength !== undefined) meta.fcsLength = iface.fcsLength;
    const x = out.extras.size !== 0 ? out.extras.get(n) : undefined;
    if (x !== undefined) {
      if (x.comment !== undefined) meta.comment = x.comment;
      if (x.fcsLength !== undefined) meta.fcsLength = x.fcsLength;
    }
    // A view made on the chunk's ArrayBuffer directly (subarray's species lookup costs per packet).
    return { data: new Uint8Array(buf.buffer, buf.byteOffset + at, caplen), meta };
  }

  /**
   * EPB/OPB options: opt_comment (several are joined by newlines) and epb_flags, whose bits 5-8 are
   * the packet's FCS length in octets (0 = not given); when given it overrides the interface's
   * if_fcslen (draft-ietf-opsawg-pcapng, epb_flags; OPB's pack_flags is the same word).
   */
  private packetOptions(buf: Uint8Array, dv: DataView, start: number, stop: number, base: number, out: RecordBatch, n: number): void {
    const le = this.le;
    this.options(dv, start, stop, base, (code, at, n2) => {
      if (code === Opt.COMMENT) {
        const c = text(buf, at, n2);
        const x = out.extrasOf(n);
        x.comment = x.comment === undefined ? c : `${x.comment}\n${c}`;
      } else if (code === Opt.EPB_FLAGS) {
        // A 32-bit word; another length is damage, not a word to guess at (Wireshark: "packet block flags option length %u is not 4").
        if (n2 !== 4) throw this.fault('bad-option', `epb_flags option of ${n2} bytes (a flags word is 4)`, base + at - 4);
        const fcs = (dv.getUint32(at, le) >>> EPB_FLAGS_FCS_SHIFT) & EPB_FLAGS_FCS_MASK;
        if (fcs !== 0) out.extrasOf(n).fcsLength = fcs;
      }
    });
  }

  /**
   * SPB: only the original length; the captured length is min(origlen, snaplen of interface 0), a
   * snaplen of 0 being no limit (draft-ietf-opsawg-pcapng, Simple Packet Block, Packet Data). A block
   * too short for that many bytes is damaged, never cut to its room (Wireshark's
   * pcapng_read_simple_packet_block: "total block length ... of an SPB is too small for ... bytes").
   */
  private simplePacket(buf: Uint8Array, dv: DataView, pos: number, len: number, base: number, out: RecordBatch, into: Packet[] | undefined): void {
    const iface = this.interfaceFor(0, base + pos);
    const origLength = dv.getUint32(pos + 8, this.le);
    const room = len - 16;
    const caplen = iface.snaplen !== 0 ? Math.min(origLength, iface.snaplen) : origLength;
    this.checkCaplen(caplen, iface, room, base + pos);
    // The block's length says the data length too (draft: "can be derived from the field Block Total
    // Length"); more room than the data and its padding is a block that is not an SPB (one flipped
    // bit makes an EPB type 6 an SPB type 3, read as a packet of its interface id's length). Wireshark
    // 4.0 refuses it ("total block lengths ... don't match").
    if (room - caplen >= 4) {
      throw this.fault('spb-extra-data', `simple packet block has ${room} bytes of room for ${caplen} bytes of packet data`, base + pos);
    }
    const n = out.count;
    const at = pos + 12;
    out.count = n + 1;
    this.frames++;
    if (into === undefined) {
      out.put(n, at, caplen, iface.index, 0, 0, origLength);
      out.extrasOf(n).noTimestamp = true;
    } else {
      const meta: CaptureMeta = { linkType: iface.linkType, frame: this.frames, origLength, interfaceId: 0, interfaceName: iface.name };
      into.push(this.packet(buf, at, caplen, out, n, iface, meta));
    }
  }

  private interfaceFor(ifId: number, offset: number): DecodedInterface {
    const iface = this.section[ifId];
    if (iface) return iface;
    if (this.section.length === 0) throw this.fault('packet-before-idb', 'packet block before any interface description block in its section', offset);
    throw this.fault('unknown-interface', `packet block names interface ${ifId}, but the section declares ${this.section.length} (0..${this.section.length - 1})`, offset);
  }

  private checkCaplen(caplen: number, iface: PcapngInterface, room: number, offset: number): void {
    if (caplen > MAX_CAPLEN) throw this.fault('caplen-too-large', `captured length ${caplen} exceeds the ${MAX_CAPLEN}-byte limit`, offset);
    if (iface.snaplen !== 0 && caplen > iface.snaplen) {
      throw this.fault('caplen-exceeds-snaplen', `captured length ${caplen} exceeds the interface's snaplen ${iface.snaplen}`, offset);
    }
    if (caplen > room) throw this.fault('caplen-exceeds-block', `captured length ${caplen} does not fit in its block (${room} bytes of room)`, offset);
  }

  /** RecordBatch.timestampNs: by the same clock as the Packets' (timestamp()). */
  recordTimestampNs(iface: number, hi: number, lo: number): bigint {
    return this.timestamp(this.all[iface].clock, hi, lo);
  }

  /** recordTimestampNs in whole ms, in plain numbers where they are exact (else through the bigint). */
  recordTimestampMs(iface: number, hi: number, lo: number): number {
    const c = this.all[iface].clock;
    let ms: number;
    if (c.nsPerUnit === 1) {
      // ns units: hi * 2^32 + lo, with 2^32 = 4294 * 10^6 + 967296, over 10^6 (each term exact).
      ms = hi * 4294 + Math.floor((hi * 967296 + lo) / 1_000_000);
    } else if (c.unitsPerSec !== 0 && hi < 0x200000 && hi * TWO32 + lo < c.unitsPerSec * TWO32) {
      const units = hi * TWO32 + lo;
      const sec = Math.floor(units / c.unitsPerSec);
      ms = sec * 1000 + Math.floor(((units - sec * c.unitsPerSec) * 1000) / c.unitsPerSec);
      return c.offsetMs === 0 ? ms : ms + c.offsetMs;
    } else return Number(this.timestamp(c, hi, lo) / 1_000_000n);
    return c.offsetMs === 0 ? ms : ms + c.offsetMs;
  }

  private timestamp(c: IfaceClock, hi: number, lo: number): bigint {
    let ns: bigint;
    if (c.nsPerUnit === 1) {
      // Nanosecond units (if_tsresol 9, what dumpcap writes): the 64-bit count is the timestamp.
      ns = u64(hi, lo);
    } else if (c.unitsPerSec !== 0 && hi < 0x200000 && hi * TWO32 + lo < c.unitsPerSec * TWO32) {
      // Below 2^53 units the count is exact in a double, and seconds below 2^32 fit nsFromParts.
      const units = hi * TWO32 + lo;
      const sec = Math.floor(units / c.unitsPerSec);
      ns = nsFromParts(sec, (units - sec * c.unitsPerSec) * c.nsPerUnit);
    } else {
      ns = (u64(hi, lo) * 1_000_000_000n) / c.bigUnitsPerSec;
    }
    return c.offsetNs === 0n ? ns : ns + c.offsetNs;
  }

  /**
   * Options nothing here reads (SHB: shb_hardware, shb_os...; ISB: the statistics) are still walked:
   * one whose length runs past its block means the block, and what follows, is not what it claims.
   */
  private checkOptions(dv: DataView, start: number, stop: number, base: number): void {
    this.options(dv, start, stop, base, () => {});
  }

  /**
   * NRB: name records (type, length, value padded to 32 bits) up to nrb_record_end (type 0), then
   * options. Nothing here reads the names, but the records are walked: one overrunning its block
   * means the block is not what its type says (one flipped bit makes an EPB type 6 an NRB type 4,
   * and its packet vanished without a word; tshark calls such a file damaged).
   */
  private checkNameRecords(dv: DataView, start: number, stop: number, base: number): void {
    const le = this.le;
    let at = start;
    while (at + 4 <= stop) {
      const type = dv.getUint16(at, le);
      const n = dv.getUint16(at + 2, le);
      if (at + 4 + n > stop) throw this.fault('bad-name-record', `name resolution record of ${n} bytes overruns its block`, base + at);
      at += 4 + pad4(n);
      if (type === 0) return this.checkOptions(dv, at, stop, base);
    }
  }

  /** Walk the options in `[start, stop)`, calling `visit(code, valueOffset, valueLength)`. */
  private options(dv: DataView, start: number, stop: number, base: number, visit: (code: number, at: number, n: number) => void): void {
    const le = this.le;
    let at = start;
    while (at + 4 <= stop) {
      const code = dv.getUint16(at, le);
      const n = dv.getUint16(at + 2, le);
      if (code === Opt.END) return;
      if (at + 4 + n > stop) throw this.fault('bad-option', `option ${code} of ${n} bytes overruns its block`, base + at);
      visit(code, at + 4, n);
      at += 4 + pad4(n);
    }
  }
}

/**
 * if_fcslen in octets. The draft defines it in bits, yet its own example value is '4' and writers
 * have followed either reading (pcapng/pcapng issue #60; Wireshark converts the IDB's bits to bytes
 * and takes epb_flags' value as octets). The two never collide for real FCS sizes (2 or 4 octets =
 * 16 or 32 bits): a non-zero multiple of 8 is bits, anything else octets.
 */
export function fcsOctetsOfIfFcslen(v: number): number {
  return v >= 8 && v % 8 === 0 ? v / 8 : v;
}

function text(buf: Uint8Array, at: number, n: number): string {
  // Some writers count a terminating NUL in the option length.
  let end = at + n;
  while (end > at && buf[end - 1] === 0) end--;
  return utf8.decode(buf.subarray(at, end));
}

function blockName(type: number): string {
  for (const [name, v] of Object.entries(BlockType)) if (v === type) return name;
  return `block of type 0x${type.toString(16)}`;
}

// ---------------------------------------------------------------------------------------------
// Writing

export interface PcapngInterfaceOptions {
  linkType: number;
  name?: string;
  /** Raw if_tsresol byte (6 = µs, 9 = ns, 0x80|n = 2^-n s). Default: 9 with `nanosecond`, else 6. */
  tsresol?: number;
  /** Default 262144. */
  snaplen?: number;
  /** FCS octets at the end of each packet (written as if_fcslen, in bits as the draft defines it). */
  fcsLength?: number;
}

export interface PcapngWriteOptions {
  interfaces?: PcapngInterfaceOptions[];
  /** Default timestamp resolution of interfaces that do not set tsresol: nanoseconds. */
  nanosecond?: boolean;
  bigEndian?: boolean;
  /** shb_userappl; default "dpconform". */
  application?: string;
}

function optionLength(value: Uint8Array | undefined): number {
  return value === undefined ? 0 : 4 + pad4(value.length);
}

function encodeOption(b: Uint8Array, off: number, code: number, value: Uint8Array, le: boolean): number {
  if (value.length > 0xffff) throw new RangeError(`pcapng option ${code} of ${value.length} bytes exceeds the 65535-byte option limit`);
  put16(b, off, code, le);
  put16(b, off + 2, value.length, le);
  b.set(value, off + 4);
  b.fill(0, off + 4 + value.length, off + 4 + pad4(value.length));
  return off + 4 + pad4(value.length);
}

/** Options area: each option, then opt_endofopt (omitted entirely when there is no option). */
function encodeOptions(b: Uint8Array, off: number, opts: Array<[number, Uint8Array]>, le: boolean): number {
  if (opts.length === 0) return off;
  for (const [code, v] of opts) off = encodeOption(b, off, code, v, le);
  put32(b, off, 0, le);
  return off + 4;
}

function optionsLength(opts: Array<[number, Uint8Array]>): number {
  return opts.length === 0 ? 0 : opts.reduce((n, [, v]) => n + optionLength(v), 4);
}

/** Start a block of `len` bytes at `off` (type, length, trailer); returns the body offset. */
function encodeBlockFrame(b: Uint8Array, off: number, type: number, len: number, le: boolean): number {
  put32(b, off, type, le);
  put32(b, off + 4, len, le);
  put32(b, off + len - 4, len, le);
  return off + 8;
}

type ResolvedInterface = PcapngInterfaceOptions & { tsresol: number; snaplen: number };

function resolvedInterfaces(o: PcapngWriteOptions): ResolvedInterface[] {
  const list = o.interfaces?.length ? o.interfaces : [{ linkType: LinkType.ETHERNET }];
  return list.map((i) => ({ ...i, tsresol: i.tsresol ?? (o.nanosecond ? 9 : 6), snaplen: i.snaplen ?? MAX_CAPLEN }));
}

/** The section header and interface blocks, as bytes. */
export function encodePcapngPreamble(o: PcapngWriteOptions): Uint8Array {
  const blocks = [encodeSectionHeader(o), ...resolvedInterfaces(o).map((i) => encodeInterfaceBlock(i, !o.bigEndian))];
  const b = new Uint8Array(blocks.reduce((n, x) => n + x.length, 0));
  let off = 0;
  for (const x of blocks) {
    b.set(x, off);
    off += x.length;
  }
  return b;
}

/** A Section Header Block (shb_userappl, section length not specified). */
export function encodeSectionHeader(o: Pick<PcapngWriteOptions, 'application' | 'bigEndian'> = {}): Uint8Array {
  const le = !o.bigEndian;
  const shbOpts: Array<[number, Uint8Array]> = [[Opt.SHB_USERAPPL, utf8Encoder.encode(o.application ?? 'dpconform')]];
  const shbLen = 28 + optionsLength(shbOpts);
  const b = new Uint8Array(shbLen);
  const body = encodeBlockFrame(b, 0, BlockType.SHB, shbLen, le);
  put32(b, body, BYTE_ORDER_MAGIC, le);
  put16(b, body + 4, 1, le);
  put16(b, body + 6, 0, le);
  put64(b, body + 8, 0xffffffffffffffffn, le); // section length not specified
  encodeOptions(b, body + 16, shbOpts, le);
  return b;
}

/**
 * One Interface Description Block (if_name, if_tsresol - default 6, microseconds -, if_fcslen). A writer that learns its
 * interfaces as frames come may put it anywhere before the first block naming it: interface ids
 * count the section's IDBs in file order (pcapng draft, "Interface Description Block").
 */
export function encodeInterfaceBlock(iface: PcapngInterfaceOptions, le = true): Uint8Array {
  const tsresol = iface.tsresol ?? 6;
  const opts: Array<[number, Uint8Array]> = [];
  if (iface.name !== undefined) opts.push([Opt.IF_NAME, utf8Encoder.encode(iface.name)]);
  opts.push([Opt.IF_TSRESOL, Uint8Array.of(tsresol)]);
  if (iface.fcsLength !== undefined) {
    if (!Number.isInteger(iface.fcsLength) || iface.fcsLength < 0 || iface.fcsLength > 31) throw new RangeError(`FCS length ${iface.fcsLength} is not 0..31 octets`);
    opts.push([Opt.IF_FCSLEN, Uint8Array.of(iface.fcsLength * 8)]);
  }
  const len = 20 + optionsLength(opts);
  const b = new Uint8Array(len);
  const body = encodeBlockFrame(b, 0, BlockType.IDB, len, le);
  put16(b, body, iface.linkType, le);
  put16(b, body + 2, 0, le);
  put32(b, body + 4, iface.snaplen ?? MAX_CAPLEN, le);
  encodeOptions(b, body + 8, opts, le);
  return b;
}

/** Timestamp units for `ns` at resolution `tsresol` (truncating what the resolution cannot hold). */
function unitsFor(ns: bigint, tsresol: number): bigint {
  if (ns < 0n) throw new RangeError(`negative capture timestamp ${ns}`);
  const exp = BigInt(tsresol & 0x7f);
  const perSec = tsresol & 0x80 ? 1n << exp : 10n ** exp;
  return (ns * perSec) / 1_000_000_000n;
}

/** The options one EPB carries: opt_comment, and epb_flags when the packet's FCS length differs from its interface's. */
type EpbOptions = Array<[number, Uint8Array]>;

/** Streaming encoder state for EPBs of one section: its interfaces, byte order. */
class EpbEncoder {
  private readonly le: boolean;
  private readonly ifaces: ResolvedInterface[];

  constructor(o: PcapngWriteOptions) {
    this.le = !o.bigEndian;
    this.ifaces = resolvedInterfaces(o);
  }

  private iface(p: Packet): ResolvedInterface {
    const ifId = p.meta.interfaceId ?? 0;
    const iface = this.ifaces[ifId];
    if (!iface) throw new RangeError(`packet names interface ${ifId}, but the section has ${this.ifaces.length}`);
    return iface;
  }

  /** The packet's options (empty for most packets). */
  options(p: Packet): EpbOptions {
    const opts: EpbOptions = [];
    if (p.meta.comment !== undefined) opts.push([Opt.COMMENT, utf8Encoder.encode(p.meta.comment)]);
    const fcs = (p.meta as CaptureMeta).fcsLength;
    if (fcs !== undefined && fcs !== (this.iface(p).fcsLength ?? 0)) {
      if (!Number.isInteger(fcs) || fcs < 0 || fcs > EPB_FLAGS_FCS_MASK) throw new RangeError(`FCS length ${fcs} does not fit epb_flags (0..15 octets)`);
      // epb_flags FCS 0 means "not given", so a reader keeps the interface's if_fcslen: no FCS on one
      // packet of an interface that declares one cannot be written.
      if (fcs === 0) throw new RangeError(`FCS length 0 cannot be stated per packet on an interface whose if_fcslen is ${this.iface(p).fcsLength}`);
      const word = new Uint8Array(4);
      put32(word, 0, fcs << EPB_FLAGS_FCS_SHIFT, this.le);
      opts.push([Opt.EPB_FLAGS, word]);
    }
    return opts;
  }

  length(p: Packet, opts: EpbOptions): number {
    return 32 + pad4(p.data.length) + optionsLength(opts);
  }

  encode(p: Packet, opts: EpbOptions, b: Uint8Array, off: number): number {
    const le = this.le;
    const iface = this.iface(p);
    const caplen = p.data.length;
    if (iface.snaplen !== 0 && caplen > iface.snaplen) throw new RangeError(`packet of ${caplen} bytes exceeds snaplen ${iface.snaplen}`);
    const len = this.length(p, opts);
    const body = encodeBlockFrame(b, off, BlockType.EPB, len, le);
    const units = unitsFor(p.meta.timestampNs ?? 0n, iface.tsresol);
    putEpbFields(b, body, p.meta.interfaceId ?? 0, Number(units >> 32n), Number(units & 0xffffffffn), p.data, p.meta.origLength ?? caplen, le);
    encodeOptions(b, body + 20 + pad4(caplen), opts, le);
    return off + len;
  }
}

/**
 * An EPB's body before its options: interface id, timestamp (high 32 bits first, then low, each word
 * in the section's byte order: not a 64-bit field), captured and original length, the data padded
 * to 32 bits.
 */
function putEpbFields(b: Uint8Array, body: number, interfaceId: number, tsHigh: number, tsLow: number, data: Uint8Array, origLength: number, le: boolean): void {
  put32(b, body, interfaceId, le);
  put32(b, body + 4, tsHigh, le);
  put32(b, body + 8, tsLow, le);
  put32(b, body + 12, data.length, le);
  put32(b, body + 16, origLength, le);
  b.set(data, body + 20);
  b.fill(0, body + 20 + data.length, body + 20 + pad4(data.length));
}

/** Bytes of an Enhanced Packet Block without options holding `dataLength` bytes. */
function plainEpbLength(dataLength: number): number {
  return 32 + pad4(dataLength);
}

/** Bytes of an Enhanced Packet Block holding `dataLength` bytes and the opt_comment `comment` (UTF-8), if any (encodeEpb). */
export function epbLength(dataLength: number, comment?: Uint8Array): number {
  return plainEpbLength(dataLength) + (comment === undefined ? 0 : optionsLength([[Opt.COMMENT, comment]]));
}

/**
 * A little-endian Enhanced Packet Block at b[at...] (epbLength bytes), for a writer of many frames
 * with no Packet object per frame (a replay's output): `units` is the timestamp in the interface's
 * resolution, an integer below 2^53; `data` the captured bytes of a frame `origLength` bytes long
 * (fewer: a frame cut as by a snaplen); `comment` (UTF-8) its opt_comment, if any. Returns the offset after it.
 */
export function encodeEpb(b: Uint8Array, at: number, interfaceId: number, units: number, data: Uint8Array, origLength: number, comment?: Uint8Array): number {
  const opts: Array<[number, Uint8Array]> = comment === undefined ? NO_OPTIONS : [[Opt.COMMENT, comment]];
  const len = plainEpbLength(data.length) + optionsLength(opts);
  const body = encodeBlockFrame(b, at, BlockType.EPB, len, true);
  putEpbFields(b, body, interfaceId, Math.floor(units / 0x100000000), units >>> 0, data, origLength, true);
  encodeOptions(b, body + 20 + pad4(data.length), opts, true);
  return at + len;
}

const NO_OPTIONS: Array<[number, Uint8Array]> = [];

/** A whole pcapng file in memory (tests, small fixtures): one section. */
export function encodePcapng(packets: Iterable<Packet>, o: PcapngWriteOptions = {}): Uint8Array {
  return encodeAfter(encodePcapngPreamble(o), packets, o);
}

/** `pre`, then a packet block for each packet. */
function encodeAfter(pre: Uint8Array, packets: Iterable<Packet>, o: PcapngWriteOptions): Uint8Array {
  const enc = new EpbEncoder(o);
  const items = [...packets].map((p) => ({ p, opts: enc.options(p) }));
  const b = new Uint8Array(items.reduce((n, { p, opts }) => n + enc.length(p, opts), pre.length));
  b.set(pre, 0);
  let off = pre.length;
  for (const { p, opts } of items) off = enc.encode(p, opts, b, off);
  return b;
}

/**
 * One section of a pcapng file: its own byte order and interfaces (a Section Header Block starts
 * it; interface ids in packets count from 0 again in each section).
 */
export interface PcapngSection {
  options?: PcapngWriteOptions;
  packets: Iterable<Packet>;
}

/**
 * A pcapng file of several sections, in memory. Each section declares its length as unspecified,
 * so sections simply follow one another.
 */
export function encodePcapngSections(sections: Iterable<PcapngSection>): Uint8Array {
  return concat([...sections].map((s) => encodePcapng(s.packets, s.options)));
}

/**
 * Streaming pcapng writer to a path or a Writable. It starts one section (`opts`); newSection()
 * starts another. `close()` must be awaited.
 */
export class PcapngWriter extends CaptureWriter {
  private enc: EpbEncoder;
  /** Options of the packet between recordLength and encodeRecord. */
  private opts: EpbOptions = [];

  constructor(target: SinkTarget, opts: PcapngWriteOptions = {}, sinkOptions?: SinkOptions) {
    super(target, encodePcapngPreamble(opts), sinkOptions);
    this.enc = new EpbEncoder(opts);
  }

  /**
   * Start a new section: its Section Header Block (byte order, application) and Interface
   * Description Blocks. Packets written afterwards name this section's interfaces by meta.interfaceId.
   */
  async newSection(opts: PcapngWriteOptions = {}): Promise<void> {
    const enc = new EpbEncoder(opts); // checks the interfaces before anything is written
    await this.writeBytes(encodePcapngPreamble(opts));
    this.enc = enc;
  }

  protected recordLength(p: Packet): number {
    this.opts = this.enc.options(p);
    return this.enc.length(p, this.opts);
  }

  protected encodeRecord(p: Packet, b: Uint8Array, off: number): number {
    return this.enc.encode(p, this.opts, b, off);
  }
}

/** Write `packets` to a pcapng file at `path` (meta.interfaceId picks the interface, default 0). */
export function writePcapng(target: SinkTarget, packets: Iterable<Packet> | AsyncIterable<Packet>, opts: PcapngWriteOptions = {}, sinkOptions?: SinkOptions): Promise<void> {
  return writeAllAndClose(new PcapngWriter(target, opts, sinkOptions), packets);
}

/** Write several sections to a pcapng file at `path`, streaming each section's packets. */
export async function writePcapngSections(
  path: string,
  sections: Iterable<{ options?: PcapngWriteOptions; packets: Iterable<Packet> | AsyncIterable<Packet> }>,
): Promise<void> {
  let w: PcapngWriter | undefined;
  try {
    for (const s of sections) {
      if (!w) w = new PcapngWriter(path, s.options);
      else await w.newSection(s.options);
      await w.writeAll(s.packets);
    }
    if (!w) w = new PcapngWriter(path, {}); // no section at all: still a valid file (one empty section)
  } finally {
    await w?.close();
  }
}
