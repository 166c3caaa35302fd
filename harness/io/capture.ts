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
// The record walk (capture-walk.ts: window + format decoder + RecordBatch) is shared with
// readCaptureFrames (frames.ts), which hands out the batch of offsets itself, no object per packet.

import type { Packet } from '../wire/packet.js';
import { InputError } from './input-error.js';
import { DEFAULT_BATCH, RecordBatch } from './record-batch.js';
import { CaptureWalk, DEFAULT_CHUNK, decoderFor, sizeOption, type WalkStop } from './capture-walk.js';

export { DEFAULT_BATCH };
export { DEFAULT_CHUNK, decoderFor, detectCaptureFormat, type CaptureFormat } from './capture-walk.js';

export interface ReadCaptureOptions {
  /** Yield the packets before a fault, then raise it. */
  keepGoing?: boolean;
  /** Packets per batch (default 1024); a positive integer, else a RangeError. */
  batchSize?: number;
  /** Bytes per file read (default 2 MiB; below 64 reads 64); a positive integer, else a RangeError. */
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

/** Read the capture at `path` as batches of packets (see the file comment for streaming and errors). */
export async function* readCapture(path: string, opts: ReadCaptureOptions = {}): AsyncGenerator<Packet[], void, undefined> {
  const batchSize = sizeOption('readCapture', 'batchSize', opts.batchSize, DEFAULT_BATCH);
  // At least a few dozen bytes, so the first chunk holds the magic (tests use tiny chunks to cross boundaries).
  const chunkSize = Math.max(64, sizeOption('readCapture', 'chunkSize', opts.chunkSize, DEFAULT_CHUNK));
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
  try {
    const decoder = decoderFor(buf, name);
    const batch = new RecordBatch(DEFAULT_BATCH, decoder);
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
