import { statSync, type Stats } from 'node:fs';
import { InputError } from './input-error.js';

/** What a path that is not a regular file is, in the words of an error line: 'a folder', 'a pipe (FIFO)'... */
export function notAFileKind(st: Stats): string {
  return st.isDirectory() ? 'a folder' : st.isFIFO() ? 'a pipe (FIFO)' : st.isSocket() ? 'a socket' : 'a device';
}

/**
 * Refuse a FIFO, socket or character device where a file is read twice (`diff` of captures reads
 * each once to match packets, then again to compare them). The second open of a FIFO waits for a
 * writer that never comes: `diff fifo.pcap b.pcap` hung with no word. Only stat is used, which
 * does not open (and so does not block on) the FIFO. Missing paths and folders are left to their
 * own messages.
 */
export function requireReadableTwice(path: string, why: string): void {
  const st = statSync(path, { throwIfNoEntry: false });
  if (!st || st.isFile() || st.isDirectory() || st.isBlockDevice()) return;
  throw new InputError(`is ${notAFileKind(st)}, not a file: ${why}; save it to a file first`, { file: path }, 'input.not-a-file');
}

/**
 * Can `path` be read only once (a FIFO, socket or character device: /dev/stdin, a shell's <(...))?
 * A command that reads its input twice reads such a one once, into a file of its own.
 */
export function readableOnlyOnce(path: string): boolean {
  const st = statSync(path, { throwIfNoEntry: false });
  return st !== undefined && !st.isFile() && !st.isDirectory() && !st.isBlockDevice();
}
