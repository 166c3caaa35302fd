// Chunked file reading for the capture reader: fill a buffer from a file position, as far as the
// file goes. FileHandle.read may return short counts; this loops until the buffer is full or EOF.

import type { FileHandle } from 'node:fs/promises';

/** Read into `buf[off..]` from file `position`; returns bytes read (fewer than asked only at EOF). */
export async function readChunk(fh: FileHandle, buf: Uint8Array, off: number, position: number): Promise<number> {
  let got = 0;
  while (off + got < buf.length) {
    const { bytesRead } = await fh.read(buf, off + got, buf.length - off - got, position + got);
    if (bytesRead === 0) break;
    got += bytesRead;
  }
  return got;
}
