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
  const err = e as NodeJS.ErrnoException;
  if (err && typeof err === 'object' && typeof err.code === 'string' && 'path' in err) {
    // fs errors: ENOENT, EACCES, EISDIR... are the user's input, not our bug.
    process.stderr.write(`dpconform: ${String(err.path)}: ${err.code === 'ENOENT' ? 'no such file' : err.message}\n`);
    return ExitCode.BAD_INPUT;
  }
  if (process.env.DPCONFORM_DEBUG) process.stderr.write(`${(e as Error)?.stack ?? String(e)}\n`);
  process.stderr.write(`dpconform: internal error: ${(e as Error)?.message ?? String(e)}\n`);
  return 3;
}
