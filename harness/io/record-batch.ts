// The one output of the capture decoders' record/block walk: a struct-of-arrays batch of records
// (offsets and a few raw header words in typed arrays, nothing allocated per packet). Both reading
// paths share that walk: readCaptureFrames (frames.ts) hands the batch itself to consumers that keep
// nothing; readCapture (capture.ts) has the walk build each record's Packet in its place as it goes
// (CaptureDecoder.decode's `into`). So the two paths cannot disagree about which records exist, where
// their bytes are, or which fault comes when.

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
}

/** What a record carries beyond the common columns (rare: pcapng packet options). */
export interface RecordExtras {
  /** opt_comment(s), joined by newlines. */
  comment?: string;
  /** Per-packet FCS length (epb_flags), overriding the interface's. */
  fcsLength?: number;
}

export const DEFAULT_BATCH = 1024;

/**
 * The decoders' output. Records are appended at `count` (the decoder stores `count` after each
 * record, so the records before a fault are in the batch when the fault is thrown). Columns beyond
 * FrameBatch's are what Packet metadata needs: the two raw timestamp words as the format stores them
 * (pcap: seconds and fraction; pcapng: high and low word of the unit count) and the original length.
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

  constructor(readonly capacity = DEFAULT_BATCH) {
    this.start = new Int32Array(capacity);
    this.length = new Int32Array(capacity);
    this.interfaceId = new Int32Array(capacity);
    this.tsHi = new Uint32Array(capacity);
    this.tsLo = new Uint32Array(capacity);
    this.origLength = new Uint32Array(capacity);
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

  /** The extras of record `i`, made on first use. */
  extrasOf(i: number): RecordExtras {
    let x = this.extras.get(i);
    if (x === undefined) this.extras.set(i, (x = {}));
    return x;
  }
}
