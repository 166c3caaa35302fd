import { statSync } from 'node:fs';
import { InputError } from './input-error.js';

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
  const what = st.isFIFO() ? 'a pipe (FIFO)' : st.isSocket() ? 'a socket' : 'a device';
  throw new InputError(`is ${what}, not a file: ${why}; save it to a file first`, { file: path }, 'input.not-a-file');
}
