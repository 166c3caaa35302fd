// Text made piece by piece (a packet's block at a time) goes out in batches as it is made, waiting
// while the stream is full: `trace show` of a tunnelled 50 MB trace prints ~200 MB, and building
// all of it before the first write held it all (and its parts) at once.

import { once } from 'node:events';
import type { Writable } from 'node:stream';

/** Bytes gathered before a write: few syscalls, little held. */
const BATCH = 1 << 16;

export async function writePieces(pieces: Iterable<string>, out: Writable): Promise<void> {
  let batch = '';
  const flush = async () => {
    const text = batch;
    batch = '';
    if (text && !out.write(text)) await once(out, 'drain');
  };
  for (const piece of pieces) {
    batch += piece;
    if (batch.length >= BATCH) await flush();
  }
  await flush();
}
