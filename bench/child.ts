// Running a bench script in a fresh Node process and taking back what it reports: a module's time
// and peak memory are then its own, not shaped by what ran before it in the same process. The child
// prints anything it likes, then a marker and one line of JSON; the parent takes the line after the
// last marker. A child that fails, is killed or prints no result is one clear error naming the
// script, its exit code or signal and the last lines it wrote to stderr - never a crash of the parent.

import { execFile } from 'node:child_process';
import { basename } from 'node:path';

/** What precedes the child's one line of JSON (exported for tests). */
export const MARKER = '@@bench-result@@';

/** In the child: hand `value` back to the parent (the last thing the child writes to stdout). */
export function reportToParent(value: unknown): void {
  process.stdout.write(`\n${MARKER}${JSON.stringify(value)}\n`);
}

/** Run `node script ...args` and resolve with the value it reported through reportToParent. */
export function runInChild<T>(script: string, args: string[]): Promise<T> {
  return new Promise((done, fail) => {
    execFile(process.execPath, [script, ...args], { maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      const what = `${basename(script)} ${args.join(' ')}`.trim();
      const tail = stderr.trim().split('\n').slice(-3).join(' | ');
      if (err) {
        const how = err.signal ? `killed by ${err.signal}` : `exit ${String(err.code)}`;
        fail(new Error(`${what}: ${how}${tail ? `: ${tail}` : ''}`));
        return;
      }
      const at = stdout.lastIndexOf(MARKER);
      if (at < 0) {
        fail(new Error(`${what}: printed no result${tail ? `: ${tail}` : ''}`));
        return;
      }
      try {
        done(JSON.parse(stdout.slice(at + MARKER.length).split('\n', 1)[0]) as T);
      } catch (e) {
        fail(new Error(`${what}: unreadable result (${(e as Error).message})`));
      }
    });
  });
}
