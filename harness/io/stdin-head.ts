// Stdin for a command that looks at the start of its input to choose a reader (`replay --input -`:
// a capture by its magic, else VPP trace text). A file can be opened twice, once to peek and once to
// read; stdin cannot. It was read whole first, so a 50 MB trace piped in was held whole (and its
// text) while it streamed from a file: now only the first bytes are read ahead, and the chosen
// reader gets them back in front of the rest, as it comes.

import { openForReading } from './read-handle.js';

const READ_SIZE = 1 << 20;

export interface StdinWithHead {
  /** At least the `n` bytes asked for (fewer only when stdin ends first). */
  head: Uint8Array;
  /** All of stdin from its start: the head, then the rest as it is read. Iterate once. */
  chunks: AsyncIterable<Uint8Array>;
}

/**
 * Read stdin until `n` bytes are in (or it ends), without losing them for the reader that follows.
 * `path` names another input that can be read only once (a FIFO, /dev/stdin, a shell's <(...):
 * read-twice.ts readableOnlyOnce), read the same way and closed once its chunks are all read.
 */
export async function readStdinHead(n: number, path = '-'): Promise<StdinWithHead> {
  const handle = await openForReading(path);
  const read = async (): Promise<Uint8Array | undefined> => {
    const buf = new Uint8Array(READ_SIZE);
    const { bytesRead } = await handle.read(buf, 0, READ_SIZE, null);
    // A copy the size of the read: pipes deliver 64 KiB at a time.
    return bytesRead === 0 ? undefined : buf.slice(0, bytesRead);
  };
  const first: Uint8Array[] = [];
  let have = 0;
  let ended = false;
  while (have < n) {
    const c = await read();
    if (!c) {
      ended = true;
      break;
    }
    first.push(c);
    have += c.length;
  }
  const head = Buffer.concat(first);
  async function* chunks(): AsyncGenerator<Uint8Array> {
    try {
      if (head.length) yield head;
      if (ended) return;
      for (let c = await read(); c; c = await read()) yield c;
    } finally {
      await handle.close();
    }
  }
  return { head, chunks: chunks() };
}
