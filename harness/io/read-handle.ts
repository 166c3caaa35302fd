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
    // Always from where stdin stands (position null), never by file offset: a file given as stdin may
    // have been read partly already (`{ head -c 24 >/dev/null; dpconform inspect -; } < f`), and `- -`
    // must not read the same file twice. The walk issues one read at a time, so sequential reads keep order.
    read: readStdin,
    stat: () => new Promise((done, fail) => fstat(0, (e, st) => (e ? fail(e) : done(st)))),
    close: async () => {}, // stdin stays the process's
  };
}

/** Longest wait between two tries of a stdin pipe that had nothing to read. */
const STDIN_RETRY_MAX_MS = 50;

/**
 * One read of fd 0 from where it stands. A pipe on stdin is non-blocking once Node has made
 * process.stdin, which importing 'node:process' as a module does (its ESM facade reads every
 * property): a read before the writer has written fails EAGAIN (`cat big.pcap | dpconform inspect -`
 * failed so, most runs). Then wait and read again, 1 ms doubling to 50 ms; no process.stdin
 * listener, which would start taking the bytes itself.
 */
function readStdin(buf: Uint8Array, off: number, len: number): Promise<{ bytesRead: number }> {
  return new Promise((done, fail) => {
    let wait = 1;
    const attempt = (): void =>
      read(0, buf, off, len, null, (e, bytesRead) => {
        if (e?.code === 'EAGAIN') {
          setTimeout(attempt, wait);
          wait = Math.min(wait * 2, STDIN_RETRY_MAX_MS);
        } else if (e) fail(e);
        else done({ bytesRead });
      });
    attempt();
  });
}
