// A progress bar for people: only on a TTY, only once a run has taken more than a second (short runs
// stay quiet), redrawn in place on stderr and erased at the end so stdout stays clean.

export interface Progress {
  update(done: number, total: number, label: string): void;
  end(): void;
}

export interface ProgressOptions {
  /** Stay quiet until the run has taken this long. */
  delayMs?: number;
  /** Milliseconds clock (tests inject one). */
  now?: () => number;
}

/** The stream the bar draws on: a TTY stream, or anything that says it is one. */
export type ProgressStream = Pick<NodeJS.WriteStream, 'write'> & { isTTY?: boolean; columns?: number };

export function progressBar(stream: ProgressStream = process.stderr, opts: ProgressOptions = {}): Progress {
  if (!stream.isTTY) return { update() {}, end() {} };
  const delayMs = opts.delayMs ?? 1000;
  const now = opts.now ?? Date.now;
  const start = now();
  let drawn = false;
  return {
    update(done, total, label) {
      if (now() - start < delayMs) return;
      const width = 24;
      const filled = total ? Math.round((done / total) * width) : width;
      const cols = stream.columns || 80;
      const line = `[${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${done}/${total} ${label}`;
      stream.write(`\r${line.slice(0, cols - 1)}\x1b[K`);
      drawn = true;
    },
    end() {
      if (drawn) stream.write('\r\x1b[K');
    },
  };
}
