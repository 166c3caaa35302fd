// Reading a capture as frames, for consumers that look at each frame's bytes and keep nothing (a
// model that copies the bytes into its own buffer): no object per packet. Each batch is the decoder's
// own struct-of-arrays output (record-batch.ts) over one file chunk, from the same walk
// (capture-walk.ts) that builds readCapture's Packets, so both give the same frames, bytes and errors.
//
// Differences from readCapture, all but the interface numbering from "one chunk per batch, nothing
// allocated per packet":
// - A batch ends early where a chunk ends (its frames are offsets into one `bytes`), so batch
//   boundaries differ from readCapture's. Without `keepGoing`, the frames of the batch a fault falls
//   in are dropped, as readCapture drops its partial batch: which frames were delivered before the
//   error is a batching matter in both; with `keepGoing` both deliver every frame before the fault.
// - Always transient: chunks are recycled; a batch (bytes and arrays) is valid until the next pull.
// - pcapng interface numbers: FrameBatch.interfaceId is capture-wide (IDBs of later sections continue
//   the count: an index into `interfaces`, one array for the whole capture), where
//   Packet.meta.interfaceId is the id the packet block states, which restarts at 0 in each section.
//   Same interface, two numberings; they agree in a one-section file.
// - Timestamps and comments are made on demand (timestampNs(i), comment(i)), not per frame.

import type { FrameBatch } from './record-batch.js';
import { DEFAULT_BATCH } from './record-batch.js';
import { CaptureWalk, DEFAULT_CHUNK, sizeOption, type WalkStop } from './capture-walk.js';
import { InputError } from './input-error.js';

export type { CaptureInterface, FrameBatch } from './record-batch.js';

/** Largest batch: its arrays are allocated up front (6 x 4 bytes a frame); a 2 MiB chunk holds fewer 60-byte frames. */
export const MAX_FRAMES_BATCH = 65536;

export interface ReadFramesOptions {
  /** Most frames per batch (default 1024, larger reads 65536); a batch also ends where a file chunk ends. A positive integer, else a RangeError. */
  batchSize?: number;
  /** Bytes per file read (default 2 MiB; below 64 reads 64); a positive integer, else a RangeError. */
  chunkSize?: number;
  /** Yield the frames before a fault, then raise it. */
  keepGoing?: boolean;
}

/** Read the capture at `path` as batches of frames (see the file comment). */
export async function* readCaptureFrames(path: string, opts: ReadFramesOptions = {}): AsyncGenerator<FrameBatch, void, undefined> {
  const batchSize = Math.min(MAX_FRAMES_BATCH, sizeOption('readCaptureFrames', 'batchSize', opts.batchSize, DEFAULT_BATCH));
  const chunkSize = Math.max(64, sizeOption('readCaptureFrames', 'chunkSize', opts.chunkSize, DEFAULT_CHUNK));
  const walk = await CaptureWalk.open(path, batchSize, chunkSize, true);
  const { decoder, batch } = walk;
  try {
    for (;;) {
      let stop: WalkStop;
      batch.reset(decoder.frames + 1);
      try {
        stop = walk.step(batchSize);
      } catch (e) {
        if (opts.keepGoing && e instanceof InputError && batch.count) {
          batch.bytes = walk.bytes;
          batch.interfaces = decoder.interfaces;
          yield batch;
        }
        throw e;
      }
      if (batch.count !== 0) {
        batch.bytes = walk.bytes;
        // The decoders replace `interfaces` only when they read a pcap header (before any record).
        batch.interfaces = decoder.interfaces;
        yield batch;
        // The consumer is back for more: it holds none of the yielded bytes.
        walk.release();
      }
      if (stop === 'end') break;
      if (stop === 'chunk-end') await walk.refill();
    }
  } finally {
    await walk.close();
  }
}
