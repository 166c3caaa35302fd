// A progress bar for people: only on a TTY and never under CI (CI=true: logs are files, and a bar
// redrawn with \r makes them unreadable), only once a run has taken more than a second (short runs
// stay quiet), redrawn in place on stderr and erased at the end so stdout stays clean.

export interface Progress {
  /** `total` undefined: not known yet (reading a capture): a count without a bar. */
  update(done: number, total: number | undefined, label: string): void;
  end(): void;
}

export interface ProgressOptions {
  /** Stay quiet until the run has taken this long. */
  delayMs?: number;
  /** Milliseconds clock (tests inject one). */
  now?: () => number;
  /** Never draw (e.g. `run --ci`). */
  off?: boolean;
  /** Environment (CI, DPCONFORM_PROGRESS_DELAY_MS); default process.env. */
  env?: Record<string, string | undefined>;
}

/** CI=true / CI=1, as `run --ci` reads it. */
export function ciEnv(env: Record<string, string | undefined> = process.env): boolean {
  return env.CI === 'true' || env.CI === '1';
}

/** The stream the bar draws on: a TTY stream, or anything that says it is one. */
export type ProgressStream = Pick<NodeJS.WriteStream, 'write'> & { isTTY?: boolean; columns?: number };

export function progressBar(stream: ProgressStream = process.stderr, opts: ProgressOptions = {}): Progress {
  const env = opts.env ?? process.env;
  if (opts.off || !stream.isTTY || ciEnv(env)) return { update() {}, end() {} };
  // The delay can be set from outside so a test can see the bar of a run shorter than a second.
  const fromEnv = Number(env.DPCONFORM_PROGRESS_DELAY_MS);
  const delayMs = opts.delayMs ?? (env.DPCONFORM_PROGRESS_DELAY_MS && Number.isFinite(fromEnv) ? fromEnv : 1000);
  const now = opts.now ?? Date.now;
  const start = now();
  let drawn = false;
  return {
    update(done, total, label) {
      if (now() - start < delayMs) return;
      const width = 24;
      const cols = stream.columns || 80;
      let line: string;
      if (total === undefined) line = `${label}: ${done}`;
      else {
        const filled = total ? Math.round((Math.min(done, total) / total) * width) : width;
        line = `[${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${done}/${total} ${label}`;
      }
      stream.write(`\r${line.slice(0, cols - 1)}\x1b[K`);
      drawn = true;
    },
    end() {
      if (drawn) stream.write('\r\x1b[K');
    },
  };
}
