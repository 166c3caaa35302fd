import { InputError } from '../io/input-error.js';
import { ExitCode, ExitRequest } from './exit.js';

/**
 * Wrap a command action so bad input becomes one line on stderr and exit 2, never a stack trace.
 * Anything unexpected is reported as an internal error in one line too (with DPCONFORM_DEBUG=1 the
 * stack is printed, for us).
 */
export function guarded<A extends unknown[]>(action: (...args: A) => Promise<number | void> | number | void) {
  return async (...args: A): Promise<void> => {
    let code: number = ExitCode.OK;
    try {
      const r = await action(...args);
      if (typeof r === 'number') code = r;
    } catch (e) {
      code = exitCodeFor(e);
    }
    process.exitCode = code;
  };
}

export function exitCodeFor(e: unknown): number {
  if (e instanceof ExitRequest) return e.code;
  if (e instanceof InputError) {
    process.stderr.write(`dpconform: ${e.message}\n`);
    return ExitCode.BAD_INPUT;
  }
  const line = systemErrorLine(e);
  if (line !== undefined) {
    // The OS refused a file (ENOENT, EACCES, EISDIR, ...): the user's input or environment, not our bug.
    process.stderr.write(`dpconform: ${line}\n`);
    return ExitCode.BAD_INPUT;
  }
  if (process.env.DPCONFORM_DEBUG) process.stderr.write(`${(e as Error)?.stack ?? String(e)}\n`);
  process.stderr.write(`dpconform: internal error: ${(e as Error)?.message ?? String(e)}\n`);
  return ExitCode.INTERNAL;
}

/**
 * One line for an error from a system call (Node sets `syscall`, and `path` when it knows the file):
 * the path first, like every other input error, then what the OS said without Node's repetition of
 * code and path: `/x: permission denied (EACCES, open)`. Node's message alone reads
 * "EACCES: permission denied, open '/x'", and an error without a path (a read on an open handle)
 * was reported as an internal error.
 */
export function systemErrorLine(e: unknown): string | undefined {
  const err = e as NodeJS.ErrnoException;
  if (!err || typeof err !== 'object' || typeof err.code !== 'string' || (typeof err.syscall !== 'string' && typeof err.path !== 'string')) return undefined;
  const said = String(err.message).replace(`${err.code}: `, '').replace(/, \w+(?: '[^']*')?(?: -> '[^']*')?$/, '');
  const how = [err.code, err.syscall].filter(Boolean).join(', ');
  return `${err.path === undefined ? '' : `${err.path}: `}${said} (${how})`;
}

/**
 * What the OS said about `path`, for an InputError that names the file itself (so the path is not
 * printed twice): `no such file or directory (ENOENT, open)`. Any other error: its message.
 */
export function systemErrorReason(e: unknown, path: string): string {
  const said = systemErrorLine(e) ?? (e as Error)?.message ?? String(e);
  return said.startsWith(`${path}: `) ? said.slice(path.length + 2) : said;
}
