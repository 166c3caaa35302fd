// A byte sink for the capture writers: encoders fill a block of memory in place (no per-packet
// Buffer), and the block goes to the file or stream when full. Works on a path (FileHandle) or any
// Node Writable (honouring backpressure).

import { open, type FileHandle } from 'node:fs/promises';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import type { Packet } from '../wire/packet.js';
import { withFilePath } from './error-path.js';

const BLOCK = 1 << 20;
const utf8 = new TextEncoder();

export type SinkTarget = string | Writable;

export interface SinkOptions {
  /** For a Writable target: end it on close (default true). A path target is always closed. */
  end?: boolean;
}

export class ByteSink {
  /** Current block; encoders write at `pos` after `reserve()`. */
  buf = new Uint8Array(BLOCK);
  pos = 0;
  private fh: Promise<FileHandle> | undefined;
  private closed = false;

  constructor(
    private readonly target: SinkTarget,
    private readonly opts: SinkOptions = {},
  ) {
    // Open eagerly so a bad path fails on the first write, not at close.
    if (typeof target === 'string') {
      this.fh = open(target, 'w');
      this.fh.catch(() => undefined); // reported where it is awaited; not an unhandled rejection meanwhile
    }
  }

  /** Make room for `n` more bytes at `pos` (flushing the block first if it would overflow). */
  async reserve(n: number): Promise<void> {
    if (this.closed) throw new Error('capture writer is closed');
    if (this.pos + n <= this.buf.length) return;
    await this.flush();
    if (n > this.buf.length) this.buf = new Uint8Array(n);
  }

  /** True when `n` bytes fit without a flush (lets callers skip an await on the hot path). */
  fits(n: number): boolean {
    return !this.closed && this.pos + n <= this.buf.length;
  }

  /** Append bytes (copied into the block). */
  async write(bytes: Uint8Array): Promise<void> {
    if (!this.fits(bytes.length)) await this.reserve(bytes.length);
    this.buf.set(bytes, this.pos);
    this.pos += bytes.length;
  }

  /** Append text, as UTF-8. */
  async writeText(text: string): Promise<void> {
    // At most 3 bytes per UTF-16 unit; text is mostly ASCII, so the room asked for is a bound.
    const most = text.length * 3;
    if (!this.fits(most)) await this.reserve(most);
    this.pos += utf8.encodeInto(text, this.buf.subarray(this.pos)).written;
  }

  async flush(): Promise<void> {
    if (this.pos === 0) return;
    const chunk = this.buf.subarray(0, this.pos);
    // A Writable may hold the chunk after write() returns, so the block is never reused: start a new one.
    this.buf = new Uint8Array(Math.max(BLOCK, this.buf.length));
    this.pos = 0;
    if (this.fh) {
      const fh = await this.fh;
      let off = 0;
      try {
        while (off < chunk.length) off += (await fh.write(chunk, off, chunk.length - off)).bytesWritten;
      } catch (e) {
        throw withFilePath(e, this.target as string);
      }
    } else {
      const w = this.target as Writable;
      if (!w.write(chunk)) await once(w, 'drain');
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    try {
      await this.flush();
    } finally {
      // Release the file even when the last flush failed (its error still propagates).
      this.closed = true;
      if (this.fh) {
        await (await this.fh).close().catch((e: unknown) => Promise.reject(withFilePath(e, this.target as string)));
      } else if (this.opts.end !== false) {
        const w = this.target as Writable;
        w.end();
        if (!w.writableFinished) await once(w, 'finish');
      }
    }
  }
}

/**
 * A streaming capture writer: a file preamble, then one record per packet, encoded in place into
 * the sink's block. The formats supply the record length and encoding.
 */
export abstract class CaptureWriter {
  protected readonly sink: ByteSink;

  constructor(target: SinkTarget, preamble: Uint8Array, sinkOptions?: SinkOptions) {
    this.sink = new ByteSink(target, sinkOptions);
    if (preamble.length > this.sink.buf.length) this.sink.buf = new Uint8Array(preamble.length);
    this.sink.buf.set(preamble, 0);
    this.sink.pos = preamble.length;
  }

  /** Bytes `p` will take; called right before encodeRecord for the same packet. */
  protected abstract recordLength(p: Packet): number;
  /** Encode `p` into `b` at `off`; returns the offset after it. */
  protected abstract encodeRecord(p: Packet, b: Uint8Array, off: number): number;

  async write(p: Packet): Promise<void> {
    const n = this.recordLength(p);
    if (!this.sink.fits(n)) await this.sink.reserve(n);
    this.sink.pos = this.encodeRecord(p, this.sink.buf, this.sink.pos);
  }

  /** Raw bytes between records (a format's mid-file headers, e.g. a new pcapng section). */
  protected writeBytes(bytes: Uint8Array): Promise<void> {
    return this.sink.write(bytes);
  }

  async writeAll(packets: Iterable<Packet> | AsyncIterable<Packet>): Promise<void> {
    for await (const p of packets) await this.write(p);
  }

  /** Flush and close (a path target is closed; a Writable is ended unless `end: false`). */
  close(): Promise<void> {
    return this.sink.close();
  }
}

/** Write every packet with `w`, then close it (also when writing fails). */
export async function writeAllAndClose(w: CaptureWriter, packets: Iterable<Packet> | AsyncIterable<Packet>): Promise<void> {
  try {
    await w.writeAll(packets);
  } finally {
    await w.close();
  }
}
