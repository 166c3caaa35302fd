// A sliding window over a file for the capture decoders, with read-ahead.
//
// The window is `buf[pos, end)`, with `buf[0]` at file offset `base`. Every chunk is a fresh buffer
// (packets handed out are subarrays of it, so it must never be overwritten). While the decoder works
// on one chunk, the next is already being read by libuv's thread pool into a fresh buffer that
// leaves `headroom` free bytes in front: the incomplete record at the end of the current chunk is
// copied there, so the carry costs one small copy, not a re-read or a big concat.

import type { ReadHandle } from './read-handle.js';

/** Read into `buf[off..]` from file `position`; returns bytes read (fewer than asked only at EOF). */
export async function readChunk(fh: ReadHandle, buf: Uint8Array, off: number, position: number, seekable = true): Promise<number> {
  let got = 0;
  while (off + got < buf.length) {
    // A pipe or FIFO cannot be read at a position; reads here are strictly sequential, so null works.
    const { bytesRead } = await fh.read(buf, off + got, buf.length - off - got, seekable ? position + got : null);
    if (bytesRead === 0) break;
    got += bytesRead;
  }
  return got;
}

/**
 * A chunk buffer without zero-filling (measured ~20% faster over a 1M-packet file: zeroing
 * touches every page before the read does). Only bytes the reader wrote are ever inside a
 * packet's subarray; the rest of the chunk (unused headroom, the tail after EOF) is never exposed
 * through `data`, though it is reachable through `data.buffer`, as with Buffer.allocUnsafe.
 */
function chunkBuffer(n: number): Uint8Array {
  const b = Buffer.allocUnsafeSlow(n);
  return new Uint8Array(b.buffer, b.byteOffset, b.length);
}

interface Prefetch {
  buf: Uint8Array;
  /** File offset of buf[headroom]. */
  position: number;
  read: Promise<number>;
}

export class FileWindow {
  buf: Uint8Array = new Uint8Array(0);
  /** Chunks left behind since the last release(): packets of the unreleased batch may still view them. */
  private retired: Uint8Array[] = [];
  /** Chunks no packet views any more, ready for the next prefetch (recycling only). */
  private spare: Uint8Array[] = [];
  pos = 0;
  end = 0;
  /** File offset of buf[0]. */
  base = 0;
  eof = false;
  private next: Prefetch | undefined;
  /** File offset just past the last byte read or being read. */
  private readPos = 0;

  constructor(
    private readonly fh: ReadHandle,
    private readonly chunkSize: number,
    /** Carry room in front of each prefetched chunk: the largest record a decoder normally carries. */
    private readonly headroom: number,
    /** False for pipes and FIFOs: read sequentially (every read here is issued after the previous one ends). */
    private readonly seekable = true,
    /**
     * Reuse chunk buffers once the caller says no packet views them (release()). A fresh chunk costs
     * the kernel a page fault per 4 KiB on the first write, about a fifth of the reader's CPU time
     * (bench/capture.ts); a recycled one is already mapped.
     */
    private readonly recycle = false,
  ) {}

  /**
   * The caller holds no packet of any chunk but the current one: chunks left behind become spare.
   * Only meaningful with `recycle`; the current chunk and the one being read stay in use.
   *
   * Each spare chunk's memory is moved to a new ArrayBuffer (a transfer: no copy, ~2 µs), which
   * detaches the old one: a packet a consumer kept against the contract then has empty `data`
   * (length 0) instead of silently showing the bytes of a later packet.
   */
  release(): void {
    if (this.retired.length === 0) return;
    for (const b of this.retired) this.spare.push(new Uint8Array(structuredClone(b.buffer as ArrayBuffer, { transfer: [b.buffer as ArrayBuffer] })));
    this.retired = [];
  }

  private chunk(): Uint8Array {
    return this.spare.pop() ?? chunkBuffer(this.headroom + this.chunkSize);
  }

  /** Leave `old` behind: with recycling, a standard-size chunk becomes spare at the next release(). */
  private retire(old: Uint8Array): void {
    if (this.recycle && old.length === this.headroom + this.chunkSize) this.retired.push(old);
  }

  /** Load the first chunk (and start reading the second). */
  async open(): Promise<void> {
    this.buf = chunkBuffer(this.chunkSize);
    this.end = await readChunk(this.fh, this.buf, 0, 0, this.seekable);
    this.readPos = this.end;
    this.eof = this.end < this.chunkSize;
    this.prefetch();
  }

  private prefetch(): void {
    if (this.eof) return;
    const buf = this.chunk();
    const read = readChunk(this.fh, buf, this.headroom, this.readPos, this.seekable);
    // If the consumer stops early nobody awaits this read: mark its failure handled (refill rethrows it).
    read.catch(() => undefined);
    this.next = { buf, position: this.readPos, read };
    this.readPos += this.chunkSize;
  }

  /**
   * Keep `buf[pos, end)` (an incomplete record) and append more of the file, so that at least `need`
   * bytes from the kept start are in the window unless the file ends first (then `eof` is set).
   */
  async refill(pos: number, need: number): Promise<void> {
    const tail = this.end - pos;
    const tailStart = this.base + pos;
    const pf = this.next;
    this.next = undefined;
    if (!pf) {
      this.eof = true;
      return;
    }
    const n = await pf.read;
    const fileEnded = n < this.chunkSize;
    if (tail <= this.headroom && (tail + n >= need || fileEnded)) {
      // Common case: the carried bytes go in front of the prefetched chunk.
      const start = this.headroom - tail;
      pf.buf.set(this.buf.subarray(pos, this.end), start);
      this.retire(this.buf);
      this.buf = pf.buf;
      this.base = pf.position - this.headroom;
      this.pos = start;
      this.end = this.headroom + n;
      this.eof = fileEnded;
    } else {
      // A record longer than the headroom or than a chunk: one buffer big enough for it.
      const size = Math.max(need, tail + n);
      const big = chunkBuffer(size);
      big.set(this.buf.subarray(pos, this.end), 0);
      big.set(pf.buf.subarray(this.headroom, this.headroom + n), tail);
      let have = tail + n;
      if (!fileEnded && have < size) have += await readChunk(this.fh, big, have, tailStart + have, this.seekable);
      this.retire(this.buf);
      this.retire(pf.buf);
      this.buf = big;
      this.base = tailStart;
      this.pos = 0;
      this.end = have;
      this.eof = fileEnded || have < size;
      this.readPos = tailStart + have;
    }
    this.prefetch();
  }
}
