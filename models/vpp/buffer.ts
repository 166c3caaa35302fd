// A vlib_buffer_t, as far as the traces can see it: packet bytes with headroom in front (so
// encapsulation and L2 rewrites can prepend), current_data/current_length, and the vnet opaque
// metadata. The opaque union is kept as real bytes, because VPP 18.01 reads fields of one union
// member after another member wrote them: after the L2 path, `ip.flow_hash` is whatever the L2
// fields left there (vpp-facts §5.2: `flow hash: 0x00000001` after vxlan4-encap).

import type { Stage } from '../../harness/stage.js';

// This module's own code uses the module-private PRE_DATA and U32_NONE: an exported (or imported)
// binding is a module cell that optimised code loads and hole-checks at every use, where a private
// constant is folded in (measured: refill of a SYN 79 -> 71 ns of CPU).
const U32_NONE = 0xffffffff;
const PRE_DATA = 128;

/** ~0 as VPP stores it in u32 fields (prints as -1 through `%d`). */
export const NONE = U32_NONE;

/** VLIB_BUFFER_PRE_DATA_SIZE: bytes in front of data[0]; current_data may go down to -HEADROOM. */
export const HEADROOM = PRE_DATA;
/** Bytes past a packet's end that header rewrites of a truncated packet may touch (refill clears them). */
const STRAY_WRITES = 256;
/** Default data size of a buffer (VLIB_BUFFER_DATA_SIZE 2048); with the headroom that is DPDK's buf_len 2176. */
export const DATA_SIZE = 2048;
/** Frames up to this long are copied in by words (copyIn); longer ones by `set`. */
const SHORT_FRAME = 256;

/** vlib/vnet buffer flags the model uses (names as `format_vnet_buffer` prints them, vpp-facts §4.3). */
export const BufferFlag = {
  /** VLIB_BUFFER_TOTAL_LENGTH_VALID: prints `, totlen-nifb N`. */
  TOTAL_LENGTH_VALID: 1 << 0,
  /** VLIB_BUFFER_IS_TRACED: prints `, trace 0x..`. */
  IS_TRACED: 1 << 1,
  L4_CHECKSUM_COMPUTED: 1 << 2,
  L4_CHECKSUM_CORRECT: 1 << 3,
  /** VNET_BUFFER_F_LOCALLY_ORIGINATED: ip4-rewrite skips the TTL decrement (only clears the flag). */
  LOCALLY_ORIGINATED: 1 << 4,
  /** VNET_BUFFER_F_IS_NATED: set by NAT44 translation, visible in dpdk tx buffer dumps. */
  IS_NATED: 1 << 5,
  L2_HDR_OFFSET_VALID: 1 << 6,
  L3_HDR_OFFSET_VALID: 1 << 7,
  L4_HDR_OFFSET_VALID: 1 << 8,
  IS_IP4: 1 << 9,
} as const;

/** Where a buffer is on a feature arc; `list` is the arc's sorted features on that interface. */
export interface ArcCursor {
  name: string;
  swIfIndex: number;
  position: number;
  end: string;
  list?: readonly string[];
}

/** An error a node filed for the packet: `error-drop` prints `{node}: {text}`. */
export interface BufferError {
  node: string;
  text: string;
}

/**
 * The vnet opaque union, byte-exact to 18.01's layout (union starts after sw_if_index[2] and the
 * header offsets). Offsets are within the union:
 *   ip:  adj_index[RX] @0, adj_index[TX] @4, flow_hash @8, save_protocol/fib_index... after
 *   l2:  feature_bitmap @0, bd_index @4, l2_len @6, shg @7, l2fib_sn @8, bd_age @10
 * Reading `flowHash` after the L2 nodes wrote `l2fibSn`/`bdAge` gives l2fib_sn | bd_age << 16.
 */
const UNION_BYTES = 32;

/** Plugin-private per-packet state, by key (see VlibBuffer.plugin). */
export type PluginState = Record<string, number | string | boolean | undefined>;

export class VlibBuffer {
  /** HEADROOM bytes of pre-data, then the data area. data[HEADROOM + current_data] is the current byte. */
  readonly bytes: Uint8Array;
  /** Signed offset of the current header from data[0] (negative after prepending into the headroom). */
  currentData = 0;
  currentLength = 0;
  flags = 0;
  /** vnet_buffer(b)->sw_if_index[VLIB_RX]. */
  rxSwIfIndex = U32_NONE;
  /** vnet_buffer(b)->sw_if_index[VLIB_TX]: an interface, a FIB index (ip4-lookup), or a tunnel index (after encap). */
  txSwIfIndex = U32_NONE;
  /** Header offsets relative to data[0] (vnet_buffer(b)->l2_hdr_offset etc.). */
  l2HdrOffset = 0;
  l3HdrOffset = 0;
  l4HdrOffset = 0;
  /** Bytes of L2 rewrite ip4-rewrite put in front (output features read IP at current + this). */
  saveRewriteLength = 0;
  /**
   * Error the packet carries to error-drop: the last one a node filed (ip4-input files `valid ip4
   * packets` on a good packet, as 18.01 does); `null` until a node files one.
   */
  error: BufferError | null = null;
  /** ICMP type/code/data ip4-icmp-error will build (vnet_buffer(b)->ip.icmp). */
  icmp = { type: 0, code: 0, data: 0 };
  /** Buffer index and trace index: runtime values a real VPP prints (masked by the harness). */
  bufferIndex = 0;
  traceIndex = 0;
  /**
   * Plugin-private per-packet state (vnet_buffer2 / plugin opaque in VPP): NAT and ACL nodes keep
   * what they pass between their own nodes here, under their own keys, e.g. `nat.sessionIndex`.
   */
  get plugin(): PluginState {
    // Whoever holds the object may write to it: the next refill looks for keys (a `for in`, a call
    // into V8's ForInEnumerate, ~10 ns) only after it was handed out.
    this.pluginOpened = true;
    return this.pluginState;
  }
  set plugin(p: PluginState) {
    this.pluginOpened = true;
    this.pluginState = p;
  }
  /** plugin[key], read without handing the object out (so the next refill need not look in it). */
  readPlugin(key: string): PluginState[string] {
    return this.pluginState[key];
  }
  private pluginState: PluginState = {};
  /** Was `plugin` handed out since the last refill (so something may have been written to it)? */
  private pluginOpened = false;
  /** Trace records so far; shared with clones made by l2-flood. */
  trace: Stage[] = [];
  /** Feature-arc cursor: which arc the packet is on and the position of the current feature in it. */
  arc: ArcCursor | null = null;
  /** The one cursor object `enterArc` reuses, so entering an arc allocates nothing. */
  private readonly arcCursor: ArcCursor = { name: '', swIfIndex: 0, position: 0, end: '', list: undefined };

  /** Index in `bytes` past the frame the buffer was filled with (refill clears up to here). */
  private dirtyEnd = 0;
  private readonly union = new Uint8Array(UNION_BYTES);
  private readonly unionView = new DataView(this.union.buffer);
  /** `bytes` as a DataView (copyIn). */
  private readonly dataView: DataView;
  /** The union as words, for clearing it without a call into the runtime (refill, per packet). */
  private readonly unionWords = new Float64Array(this.union.buffer);

  /**
   * `bytes` as 8-byte words (its ArrayBuffer is rounded up to whole words), for clearing it with
   * plain stores: TypedArray.fill is a call into V8's C++ runtime per packet.
   */
  private readonly words: Float64Array;

  constructor(size = PRE_DATA + DATA_SIZE) {
    const memory = new ArrayBuffer((size + 7) & ~7);
    this.bytes = new Uint8Array(memory, 0, size);
    this.words = new Float64Array(memory);
    this.dataView = new DataView(memory);
    // Anyone may have written anywhere until a frame is put in: the first refill clears it all.
    this.dirtyEnd = size;
  }

  /** A buffer holding `frame` at current_data 0, like a device input node fills it. */
  static fromFrame(frame: Uint8Array): VlibBuffer {
    return VlibBuffer.fromRegion(frame, 0, frame.length);
  }

  /** fromFrame of `src[start, start + length)`. */
  private static fromRegion(src: Uint8Array, start: number, length: number): VlibBuffer {
    const b = new VlibBuffer(PRE_DATA + Math.max(DATA_SIZE, length));
    b.bytes.set(src.subarray(start, start + length), PRE_DATA);
    b.dirtyEnd = PRE_DATA + length;
    b.currentLength = length;
    return b;
  }

  /**
   * This buffer, emptied and refilled with `frame` as fromFrame would make it (the replay hot path
   * reuses one buffer per instance instead of allocating 2 KiB per packet); a copy of the same state
   * a fresh buffer has, so nothing of the previous packet can leak into this one.
   */
  static refill(b: VlibBuffer | undefined, frame: Uint8Array): VlibBuffer {
    return VlibBuffer.refillFrom(b, frame, 0, frame.length);
  }

  /**
   * refill with the frame at `src[start, start + length)`: a frame read straight out of a capture's
   * file buffer (readCaptureFrames), with no view object made for it.
   */
  static refillFrom(b: VlibBuffer | undefined, src: Uint8Array, start: number, length: number): VlibBuffer {
    if (start < 0 || length < 0 || start + length > src.length) throw new RangeError(`frame [${start}, ${start + length}) is outside its ${src.length}-byte source`);
    if (!b || b.bytes.length < PRE_DATA + length) return VlibBuffer.fromRegion(src, start, length);
    // Only the bytes the previous packet can have touched are cleared: the headroom (rewrites and
    // encapsulations are written in front), the data up to the farthest end it had (its frame, or
    // its current end if that grew), and STRAY_WRITES beyond: a truncated packet still gets header
    // fields written where its headers would be (NAT rewrites the TCP checksum of a cut TCP header,
    // as VPP writes past current_length), at most an outer + inner IP and L4 header past its start.
    // Cleared by words (+0.0 is eight zero bytes): the headroom, and from the word holding the new
    // frame's end to the word holding `end`. The frame's own bytes are overwritten by copyIn next
    // (after the clear, which may zero the word its last bytes share).
    const end = Math.max(b.dirtyEnd, PRE_DATA + b.currentData + b.currentLength) + STRAY_WRITES;
    const w = b.words;
    zeroWords(w, 0, PRE_DATA >> 3);
    zeroWords(w, (PRE_DATA + length) >> 3, Math.min((end + 7) >> 3, w.length));
    b.copyIn(src, start, length);
    b.dirtyEnd = PRE_DATA + length;
    b.currentData = 0;
    b.currentLength = length;
    b.flags = 0;
    b.rxSwIfIndex = U32_NONE;
    b.txSwIfIndex = U32_NONE;
    b.l2HdrOffset = b.l3HdrOffset = b.l4HdrOffset = 0;
    b.saveRewriteLength = 0;
    b.error = null;
    b.setIcmp(0, 0, 0);
    b.bufferIndex = b.traceIndex = 0;
    // Replaced only when the previous packet put something in it (tests do; a replay does not), which
    // it can only have done if the object was handed out (`plugin`): while it was not, it is empty.
    if (b.pluginOpened) {
      b.pluginOpened = false;
      for (const _ in b.pluginState) {
        b.pluginState = {};
        break;
      }
    }
    if (b.trace.length > 0) b.trace = [];
    b.arc = null;
    zeroWords(b.unionWords, 0, UNION_BYTES >> 3);
    return b;
  }

  /** The source a DataView was last made for (copyIn), and that view. */
  private copySource: Uint8Array | undefined;
  private copyView: DataView | undefined;

  /**
   * src[start, start + length) to data[0...]. A short frame is copied four bytes at a time through
   * DataViews (no view object per frame; measured ~30 ns for 74 bytes against ~45 for making a
   * subarray to `set` from); a long one through `set`, whose memmove wins there.
   */
  private copyIn(src: Uint8Array, start: number, length: number): void {
    // A whole array (a Packet's data) is copied by `set` too: no view is made of it, and the buffer
    // keeps no reference to a packet's bytes past the packet.
    if (length > SHORT_FRAME || (start === 0 && length === src.length)) {
      this.copyLong(src, start, length);
      return;
    }
    if (src !== this.copySource) {
      this.copySource = src;
      this.copyView = new DataView(src.buffer, src.byteOffset, src.byteLength);
    }
    const from = this.copyView!;
    const to = this.dataView;
    let i = 0;
    // Little-endian on both sides: the bytes land as they were, with no byte swap either way.
    // Sixteen bytes per turn: the loop's own test and increment cost as much as a copy (measured
    // 34 against 46 ns for a 74-byte frame).
    for (; i + 16 <= length; i += 16) {
      to.setUint32(PRE_DATA + i, from.getUint32(start + i, true), true);
      to.setUint32(PRE_DATA + i + 4, from.getUint32(start + i + 4, true), true);
      to.setUint32(PRE_DATA + i + 8, from.getUint32(start + i + 8, true), true);
      to.setUint32(PRE_DATA + i + 12, from.getUint32(start + i + 12, true), true);
    }
    for (; i + 4 <= length; i += 4) to.setUint32(PRE_DATA + i, from.getUint32(start + i, true), true);
    for (; i < length; i++) this.bytes[PRE_DATA + i] = src[start + i];
  }

  /** copyIn by `set` (out of copyIn: with these calls inline, its word loop measured ~2 ns slower). */
  private copyLong(src: Uint8Array, start: number, length: number): void {
    this.bytes.set(start === 0 && length === src.length ? src : src.subarray(start, start + length), PRE_DATA);
  }

  /** vnet_buffer(b)->ip.icmp, written in place (ip4-input, ip4-rewrite and NAT set it on expiry). */
  setIcmp(type: number, code: number, data: number): void {
    const i = this.icmp;
    i.type = type;
    i.code = code;
    i.data = data;
  }

  /** Enter a feature arc: the buffer's one cursor, reset (vnet_feature_arc_start). */
  enterArc(name: string, swIfIndex: number, end: string, list: readonly string[]): ArcCursor {
    const c = this.arcCursor;
    c.name = name;
    c.swIfIndex = swIfIndex;
    c.position = 0;
    c.end = end;
    c.list = list;
    return c;
  }

  /** Absolute index in `bytes` of the current header. */
  get start(): number {
    return PRE_DATA + this.currentData;
  }

  /** Absolute index in `bytes` of data[off] (off relative to data[0], like the header offsets). */
  abs(off: number): number {
    return PRE_DATA + off;
  }

  /** vlib_buffer_advance: move current_data by n (negative n prepends into the headroom). */
  advance(n: number): void {
    if (PRE_DATA + this.currentData + n < 0) throw new RangeError(`buffer headroom exhausted advancing by ${n}`);
    this.currentData += n;
    this.currentLength -= n;
  }

  /** The current bytes (a view, not a copy). */
  current(): Uint8Array {
    return this.bytes.subarray(this.start, this.start + this.currentLength);
  }

  /** A deep copy (l2-flood replication, vlib_buffer_copy). The trace list is shared on purpose. */
  clone(): VlibBuffer {
    const c = new VlibBuffer(this.bytes.length);
    c.bytes.set(this.bytes);
    c.dirtyEnd = this.dirtyEnd;
    c.currentData = this.currentData;
    c.currentLength = this.currentLength;
    c.flags = this.flags;
    c.rxSwIfIndex = this.rxSwIfIndex;
    c.txSwIfIndex = this.txSwIfIndex;
    c.l2HdrOffset = this.l2HdrOffset;
    c.l3HdrOffset = this.l3HdrOffset;
    c.l4HdrOffset = this.l4HdrOffset;
    c.saveRewriteLength = this.saveRewriteLength;
    c.error = this.error;
    c.icmp = { ...this.icmp };
    Object.assign(c.pluginState, this.pluginState);
    c.pluginOpened = this.pluginOpened;
    c.trace = this.trace;
    c.arc = this.arc && { ...this.arc };
    c.union.set(this.union);
    return c;
  }

  // ---- vnet_buffer(b)->ip (union member) ----
  get adjIndexRx(): number { return this.unionView.getUint32(0, true); }
  set adjIndexRx(v: number) { this.unionView.setUint32(0, v >>> 0, true); }
  get adjIndexTx(): number { return this.unionView.getUint32(4, true); }
  set adjIndexTx(v: number) { this.unionView.setUint32(4, v >>> 0, true); }
  get flowHash(): number { return this.unionView.getUint32(8, true); }
  set flowHash(v: number) { this.unionView.setUint32(8, v >>> 0, true); }
  /** ip.fib_index / save_protocol area, used by NAT/lookup helpers that need it. */
  get ipFibIndex(): number { return this.unionView.getUint32(12, true); }
  set ipFibIndex(v: number) { this.unionView.setUint32(12, v >>> 0, true); }

  // ---- vnet_buffer(b)->l2 (the same bytes, another union member) ----
  get l2FeatureBitmap(): number { return this.unionView.getUint32(0, true); }
  set l2FeatureBitmap(v: number) { this.unionView.setUint32(0, v >>> 0, true); }
  get bdIndex(): number { return this.unionView.getUint16(4, true); }
  set bdIndex(v: number) { this.unionView.setUint16(4, v, true); }
  get l2Len(): number { return this.union[6]; }
  set l2Len(v: number) { this.union[6] = v; }
  get shg(): number { return this.union[7]; }
  set shg(v: number) { this.union[7] = v; }
  /** l2fib_sn = swif_seq | bd_seq << 8. */
  get l2fibSn(): number { return this.unionView.getUint16(8, true); }
  set l2fibSn(v: number) { this.unionView.setUint16(8, v, true); }
  get bdAge(): number { return this.union[10]; }
  set bdAge(v: number) { this.union[10] = v; }
}

/**
 * words[from, to) = 0, eight stores per turn: the loop's own test and increment cost as much as a
 * store (measured 19 ns for a SYN's 48 words, 39 one by one, 32 by TypedArray.fill).
 */
function zeroWords(words: Float64Array, from: number, to: number): void {
  let i = from;
  for (; i + 8 <= to; i += 8) {
    words[i] = 0;
    words[i + 1] = 0;
    words[i + 2] = 0;
    words[i + 3] = 0;
    words[i + 4] = 0;
    words[i + 5] = 0;
    words[i + 6] = 0;
    words[i + 7] = 0;
  }
  for (; i < to; i++) words[i] = 0;
}
