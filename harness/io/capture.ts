// Reading a capture, pcap or pcapng (told apart by the first four bytes), as batches of packets.
//
// Streaming: the file is read in chunks into fresh buffers; a record cut by a chunk's end is carried
// to the start of the next chunk. Packet data are subarrays of those chunks (no per-packet copy, the
// fastest measured here; see bench/capture.ts), so a chunk lives as long as any of its packets is
// held. A consumer that keeps every packet keeps the file; one that drops its batches runs in
// memory bounded by a few chunks plus one batch.
//
// Errors: every fault is an InputError `capture.<kind>` with file, packet number and offset.
// Batches yielded before the fault stay yielded (a consumer has them either way). With `keepGoing`
// the partial batch before the fault is also yielded, and the error is raised on the next pull; so
// the CLI can print what it had, then report the error and exit 2. Without it, the partial batch
// is dropped and the error raised at once.
//
// With `transient`, chunks are recycled instead: a batch is valid until the next pull, memory is a
// few chunks whatever the consumer does, and the kernel does not fault in fresh pages per chunk.
//
// The record walk (CaptureWalk: window + format decoder + RecordBatch) is shared with
// readCaptureFrames (frames.ts), which hands out the batch of offsets itself, no object per packet.

import { open, type FileHandle } from 'node:fs/promises';
import type { Packet } from '../wire/packet.js';
import type { CaptureDecoder } from './capture-decoder.js';
import { MAX_CAPLEN, captureError } from './capture-decoder.js';
import { PcapDecoder, pcapByteOrder } from './pcap.js';
import { BlockType, PcapngDecoder } from './pcapng.js';
import { InputError } from './input-error.js';
import { FileWindow } from './stream-reader.js';
import { DEFAULT_BATCH, RecordBatch } from './record-batch.js';

export { DEFAULT_BATCH };

export interface ReadCaptureOptions {
  /** Yield the packets before a fault, then raise it. */
  keepGoing?: boolean;
  /** Packets per batch (default 1024). */
  batchSize?: number;
  /** Bytes per file read (default 2 MiB). */
  chunkSize?: number;
  /**
   * Recycle the file buffers: the packets of a batch (their `data`) are valid only until the next
   * batch is pulled; when their memory is reused their `data` is detached (length 0), never
   * overwritten under them. For consumers that look at each packet and keep nothing (counting,
   * printing, dissecting); copy what you keep (clonePacket). Saves the page faults of fresh memory,
   * about a fifth of the reader's CPU time (bench/capture.ts).
   */
  transient?: boolean;
}

export type CaptureFormat = 'pcap' | 'pcapng';

/**
 * 2 MiB per read: measured against 1 and 4 MiB on the 1M-packet bench captures (interleaved rounds),
 * as fast or faster in both modes (transient pcap best 220-260 ms vs 280-300 ms at 4 MiB): a chunk
 * the decoder walks soon after the kernel wrote it is still in cache.
 */
export const DEFAULT_CHUNK = 2 * 1024 * 1024;
const MAGIC_LEN = 4;
/** Carry room in front of each chunk: a pcap record or pcapng packet block of the largest caplen, with options. */
const CARRY_HEADROOM = MAX_CAPLEN + 64 * 1024;

/** Which format `head` (the file's first bytes) starts, or undefined. */
export function detectCaptureFormat(head: Uint8Array): CaptureFormat | undefined {
  if (head.length < MAGIC_LEN) return undefined;
  if (pcapByteOrder(head, 0)) return 'pcap';
  const t = ((head[0] << 24) | (head[1] << 16) | (head[2] << 8) | head[3]) >>> 0;
  if (t === BlockType.SHB) return 'pcapng';
  return undefined;
}

/** A decoder for the capture starting with `head`; unknown magic or a too-short file is an InputError. */
export function decoderFor(head: Uint8Array, file: string): CaptureDecoder {
  if (head.length < MAGIC_LEN) {
    throw captureError('truncated-header', `file too short for a capture header: ${head.length} bytes`, file, 1, 0);
  }
  switch (detectCaptureFormat(head)) {
    case 'pcap':
      return new PcapDecoder(file);
    case 'pcapng':
      return new PcapngDecoder(file);
    default: {
      const hex = Array.from(head.subarray(0, MAGIC_LEN), (x) => x.toString(16).padStart(2, '0')).join('');
      throw captureError('bad-magic', `not a pcap or pcapng file (magic 0x${hex})`, file, 1, 0);
    }
  }
}

/** Where a decode step stopped. */
export type WalkStop = 'full' | 'chunk-end' | 'end';

/**
 * The streaming record walk both readers drive: a file window, the format's decoder, and the
 * decoder's output batch. step() decodes records of the current chunk into `batch` (appending), and
 * their Packets too when asked; the caller hands them on, refill()s the window at a chunk's end and
 * release()s chunks once its consumer holds none of their bytes.
 */
export class CaptureWalk {
  private constructor(
    readonly path: string,
    private readonly fh: FileHandle,
    private readonly w: FileWindow,
    readonly decoder: CaptureDecoder,
    readonly batch: RecordBatch,
  ) {}

  /** Open `path` and detect its format (a bad magic or a too-short file is an InputError). */
  static async open(path: string, batchSize: number, chunkSize: number, transient: boolean): Promise<CaptureWalk> {
    const fh = await open(path, 'r');
    try {
      const st = await fh.stat();
      if (st.isDirectory()) throw new InputError('is a directory, not a capture file', { file: path }, 'capture.not-a-file');
      const w = new FileWindow(fh, chunkSize, CARRY_HEADROOM, st.isFile() || st.isBlockDevice(), transient);
      await w.open();
      const decoder = decoderFor(w.buf.subarray(0, w.end), path);
      return new CaptureWalk(path, fh, w, decoder, new RecordBatch(batchSize));
    } catch (e) {
      await fh.close();
      throw e;
    }
  }

  /** The chunk the batch's records are in (valid after step(), until refill()). */
  get bytes(): Uint8Array {
    return this.w.buf;
  }

  /**
   * Decode records from the current chunk into `batch` (and their Packets onto `into`, if given)
   * until it holds `limit`: 'full'. Otherwise
   * 'chunk-end' (the next record is incomplete: refill()) or 'end' (the capture ended cleanly).
   * Faults, including input ending inside a record, are thrown (InputError) with the records before
   * them in `batch`.
   */
  step(limit: number, into?: Packet[]): WalkStop {
    const w = this.w;
    w.pos = this.decoder.decode(w.buf, w.pos, w.end, w.base, this.batch, limit, into);
    if (this.batch.count >= limit) return 'full';
    if (!w.eof) return 'chunk-end';
    if (w.pos < w.end) throw this.decoder.truncated(w.buf, w.pos, w.end, w.base);
    return 'end';
  }

  /** Carry the incomplete record at the chunk's end into the next chunk. */
  refill(): Promise<void> {
    return this.w.refill(this.w.pos, this.decoder.need);
  }

  /** The consumer holds no bytes of chunks left behind (the contract of `transient`). */
  release(): void {
    this.w.release();
  }

  close(): Promise<void> {
    return this.fh.close();
  }
}

/** Read the capture at `path` as batches of packets (see the file comment for streaming and errors). */
export async function* readCapture(path: string, opts: ReadCaptureOptions = {}): AsyncGenerator<Packet[], void, undefined> {
  const batchSize = Math.max(1, opts.batchSize ?? DEFAULT_BATCH);
  // At least a few dozen bytes, so the first chunk holds the magic (tests use tiny chunks to cross boundaries).
  const chunkSize = Math.max(64, opts.chunkSize ?? DEFAULT_CHUNK);
  // The walk's own batch only passes through here: its size need not follow batchSize.
  const walk = await CaptureWalk.open(path, Math.min(batchSize, DEFAULT_BATCH), chunkSize, opts.transient === true);
  const { decoder, batch } = walk;
  try {
    let out: Packet[] = [];
    for (;;) {
      let fault: InputError | undefined;
      let stop: WalkStop = 'full';
      batch.reset(decoder.frames + 1);
      try {
        stop = walk.step(Math.min(batchSize - out.length, batch.capacity), out);
      } catch (e) {
        if (!(e instanceof InputError)) throw e;
        fault = e;
      }
      if (fault) {
        if (opts.keepGoing && out.length) yield out;
        throw fault;
      }
      if (stop === 'full') {
        if (out.length < batchSize) continue;
        yield out;
        out = [];
        // The consumer is back for more: it has let go of the batch (the contract of `transient`).
        walk.release();
      } else if (stop === 'end') break;
      else await walk.refill();
    }
    if (out.length) yield out;
  } finally {
    await walk.close();
  }
}

/** All packets of the capture at `path` in one array (tests and small files; not streaming). */
export async function readCaptureAll(path: string, opts: ReadCaptureOptions = {}): Promise<Packet[]> {
  const all: Packet[] = [];
  for await (const batch of readCapture(path, opts)) for (const p of batch) all.push(p);
  return all;
}

/**
 * Decode a capture held in memory. Packet data are subarrays of `buf`. `name` is the file name
 * errors carry. Returns the packets before a fault together with the fault, if any.
 */
export function decodeCaptureBytes(buf: Uint8Array, name: string): { packets: Packet[]; error?: InputError } {
  const packets: Packet[] = [];
  const batch = new RecordBatch(DEFAULT_BATCH);
  try {
    const decoder = decoderFor(buf, name);
    let pos = 0;
    do {
      batch.reset(decoder.frames + 1);
      pos = decoder.decode(buf, pos, buf.length, 0, batch, batch.capacity, packets);
    } while (decoder.need === 0);
    if (pos < buf.length) return { packets, error: decoder.truncated(buf, pos, buf.length, 0) };
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    return { packets, error: e };
  }
  return { packets };
}

/** Decode a capture held in memory, throwing its first fault (an InputError). */
export function readCaptureBytes(buf: Uint8Array, name = '<memory>'): Packet[] {
  const { packets, error } = decodeCaptureBytes(buf, name);
  if (error) throw error;
  return packets;
}
