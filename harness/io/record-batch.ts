// The one output of the capture decoders' record/block walk: a struct-of-arrays batch of records
// (offsets and a few raw header words in typed arrays, nothing allocated per packet). Both reading
// paths share that walk: readCaptureFrames (frames.ts) hands the batch itself to consumers that keep
// nothing; readCapture (capture.ts) has the walk build each record's Packet in its place as it goes
// (CaptureDecoder.decode's `into`). So the two paths cannot disagree about which records exist or
// which fault comes when: that is the walk's, and `into` only changes what it writes per record.
// Per record, each decoder reads the header once into locals (data offset, captured length, the
// interface, timestamp words, original length) and then branches once: those locals go into the
// columns (RecordBatch.put) or into a Packet. What a branch can still get wrong alone is how it
// writes them; test/io/frames.test.ts compares the two, field by field, to catch that.

/** A capture interface: pcapng IDB, or the single interface of a classic pcap file (its header). */
export interface CaptureInterface {
  linkType: number;
  /** pcapng if_name. */
  name?: string;
  /** FCS bytes at the end of each frame (pcap link-type word FCS bits, pcapng if_fcslen). */
  fcsLength?: number;
}

/** A batch of frames, no object per frame (readCaptureFrames). */
export interface FrameBatch {
  /** The bytes the frames of this batch are in; valid until the next pull (the object and its arrays may be reused). */
  bytes: Uint8Array;
  /** Frames in this batch; frame i is bytes[start[i], start[i] + length[i]) (captured bytes, FCS included as in Packet.data). */
  count: number;
  start: Int32Array;
  length: Int32Array;
  /**
   * Index into `interfaces`. pcapng: the interface id within the first section; IDBs of later
   * sections continue the numbering (ids restart at 0 in each section, this index does not), as
   * Wireshark numbers interfaces. Classic pcap: 0.
   */
  interfaceId: Int32Array;
  /** The capture's interfaces so far, by index (entries are never changed or removed, only appended). */
  interfaces: readonly CaptureInterface[];
  /** 1-based capture packet number of frame 0 (for error messages the consumer prints). */
  firstFrame: number;
  /**
   * FCS bytes at the end of frame i, as Packet.meta.fcsLength: the packet's own (pcapng epb_flags)
   * where it states one, else its interface's. No per-frame cost unless a packet states one.
   */
  fcsLength(i: number): number | undefined;
  /** Original (on-the-wire) length of frame i, as Packet.meta.origLength. */
  origLength: Uint32Array;
  /** Frame i's timestamp as Packet.meta.timestampNs (made on demand: a bigint each call). */
  timestampNs(i: number): bigint | undefined;
  /**
   * Frame i's timestamp in whole milliseconds since the epoch (floor of timestampNs / 10^6), NaN
   * when it has none: a plain number, for a caller that reads one per group of frames on a hot path
   * (a bigint costs ~0.6 us to make).
   */
  timestampMs(i: number): number;
  /** Frame i's comment as Packet.meta.comment (pcapng opt_comment). */
  comment(i: number): string | undefined;
}

/** Turns a record's stored timestamp words into nanoseconds (the decoder: it knows each interface's resolution). */
export interface RecordClock {
  /** The timestamp, in ns since the epoch, of a record of capture-wide interface `iface` with words `hi`, `lo`. */
  recordTimestampNs(iface: number, hi: number, lo: number): bigint;
  /** The same in whole ms (floor), computed in plain numbers where they are exact. */
  recordTimestampMs(iface: number, hi: number, lo: number): number;
}

/** What a record carries beyond the common columns (rare: pcapng packet options). */
export interface RecordExtras {
  /** opt_comment(s), joined by newlines. */
  comment?: string;
  /** Per-packet FCS length (epb_flags), overriding the interface's. */
  fcsLength?: number;
  /** The record has no timestamp (pcapng SPB); its timestamp words are 0. */
  noTimestamp?: true;
}

export const DEFAULT_BATCH = 1024;

/**
 * The decoders' output. Records are appended at `count`, which is up to date whenever a decoder
 * returns or throws (pcap stores it once on the way out and before a fault, pcapng after each
 * record), so the records before a fault are in the batch when the fault is thrown. Columns beyond
 * FrameBatch's are what Packet metadata needs: the two raw timestamp words as the format stores them
 * (pcap: seconds and fraction; pcapng: high and low word of the unit count) and the original length;
 * timestampNs(i) and comment(i) give them as Packet.meta has them.
 */
export class RecordBatch implements FrameBatch {
  bytes: Uint8Array = new Uint8Array(0);
  count = 0;
  firstFrame = 1;
  interfaces: readonly CaptureInterface[] = [];
  start: Int32Array;
  length: Int32Array;
  interfaceId: Int32Array;
  tsHi: Uint32Array;
  tsLo: Uint32Array;
  origLength: Uint32Array;
  /** By record index; cleared with the batch. */
  readonly extras = new Map<number, RecordExtras>();

  /** `clock` converts the timestamp words (timestampNs); the walk passes its decoder. */
  constructor(
    readonly capacity = DEFAULT_BATCH,
    private readonly clock?: RecordClock,
  ) {
    this.start = new Int32Array(capacity);
    this.length = new Int32Array(capacity);
    this.interfaceId = new Int32Array(capacity);
    this.tsHi = new Uint32Array(capacity);
    this.tsLo = new Uint32Array(capacity);
    this.origLength = new Uint32Array(capacity);
  }

  /** Store record `n`'s columns (the decoders' one way to fill them). */
  put(n: number, start: number, length: number, iface: number, tsHi: number, tsLo: number, origLength: number): void {
    this.start[n] = start;
    this.length[n] = length;
    this.interfaceId[n] = iface;
    this.tsHi[n] = tsHi;
    this.tsLo[n] = tsLo;
    this.origLength[n] = origLength;
  }

  /** Empty the batch; its next record will be capture packet number `firstFrame`. */
  reset(firstFrame: number): void {
    this.count = 0;
    this.firstFrame = firstFrame;
    if (this.extras.size !== 0) this.extras.clear();
  }

  fcsLength(i: number): number | undefined {
    const own = this.extras.size !== 0 ? this.extras.get(i)?.fcsLength : undefined;
    return own ?? this.interfaces[this.interfaceId[i]]?.fcsLength;
  }

  /** Record `i`'s timestamp as Packet.meta.timestampNs: undefined when the record has none (pcapng SPB). */
  timestampNs(i: number): bigint | undefined {
    if (this.extras.size !== 0 && this.extras.get(i)?.noTimestamp) return undefined;
    if (this.clock === undefined) throw new Error('RecordBatch.timestampNs: the batch was made without a clock');
    return this.clock.recordTimestampNs(this.interfaceId[i], this.tsHi[i], this.tsLo[i]);
  }

  timestampMs(i: number): number {
    if (this.extras.size !== 0 && this.extras.get(i)?.noTimestamp) return NaN;
    if (this.clock === undefined) throw new Error('RecordBatch.timestampMs: the batch was made without a clock');
    return this.clock.recordTimestampMs(this.interfaceId[i], this.tsHi[i], this.tsLo[i]);
  }

  /** Record `i`'s comment(s) as Packet.meta.comment (pcapng opt_comment, joined by newlines). */
  comment(i: number): string | undefined {
    return this.extras.size !== 0 ? this.extras.get(i)?.comment : undefined;
  }

  /** The extras of record `i`, made on first use. */
  extrasOf(i: number): RecordExtras {
    let x = this.extras.get(i);
    if (x === undefined) this.extras.set(i, (x = {}));
    return x;
  }
}
