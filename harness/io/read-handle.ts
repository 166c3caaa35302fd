// What the capture reader reads through: an opened file, or stdin for `-` (`tcpdump -w - | dpconform
// inspect -`). `open('-')` looked for a file named "-" ("no such file"). Stdin is read through fd 0
// itself, not /dev/stdin: opening that fails (ENXIO) when stdin is a socket, as it is under a
// process spawned by Node.

import { fstat, read, type Stats } from 'node:fs';
import { open } from 'node:fs/promises';

/** The part of a FileHandle the reader uses. */
export interface ReadHandle {
  read(buf: Uint8Array, off: number, len: number, position: number | null): Promise<{ bytesRead: number }>;
  stat(): Promise<Stats>;
  close(): Promise<void>;
}

/** The name `path` goes by in messages. */
export function inputName(path: string): string {
  return path === '-' ? '<stdin>' : path;
}

export async function openForReading(path: string): Promise<ReadHandle> {
  if (path !== '-') return open(path, 'r');
  return {
    read: (buf, off, len, position) => new Promise((done, fail) => read(0, buf, off, len, position, (e, bytesRead) => (e ? fail(e) : done({ bytesRead })))),
    stat: () => new Promise((done, fail) => fstat(0, (e, st) => (e ? fail(e) : done(st)))),
    close: async () => {}, // stdin stays the process's
  };
}
