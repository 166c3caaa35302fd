// Input that must be read more than once but arrives once (a capture on stdin: `replay` checks it
// whole before the first packet runs, then replays it), kept on disk rather than in memory: a
// 1 M-frame capture on stdin was read whole, then decoded whole (~1 GB). The file is Spool's kind
// (spool.ts: unlinked as soon as it is open, nothing left behind however the process ends), and is
// read again by path through /proc/self/fd (Linux), so every capture reader takes it as a file.

import { closeSync, writeSync } from 'node:fs';
import { openUnlinked } from './spool.js';

export interface SpooledFile {
  /** A path that opens the spooled bytes (while not closed). */
  path: string;
  /** Close the file (which removes it). */
  close(): void;
}

/** Every chunk, in order, into an unlinked temporary file. */
export async function spoolToFile(chunks: AsyncIterable<Uint8Array>): Promise<SpooledFile> {
  const fd = openUnlinked();
  try {
    // Written at the file's own position, one chunk after another.
    for await (const c of chunks) for (let off = 0; off < c.length; ) off += writeSync(fd, c, off, c.length - off);
  } catch (e) {
    closeSync(fd);
    throw e;
  }
  let open = true;
  return {
    path: `/proc/self/fd/${fd}`,
    close: () => {
      if (open) closeSync(fd);
      open = false;
    },
  };
}
