// A write to an open file fails (ENOSPC on a full disk, EIO) with an error that names no file: Node
// sets `path` only on calls that take one (open). The CLI printed "no space left on device (ENOSPC,
// write)" without saying which output it was writing. The path is filled in where it is known.

/** `e` with `path` set to `file` when it is a system error that names none; rethrow the result. */
export function withFilePath(e: unknown, file: string): unknown {
  const err = e as NodeJS.ErrnoException;
  if (err && typeof err === 'object' && typeof err.code === 'string' && typeof err.syscall === 'string' && err.path === undefined) err.path = file;
  return e;
}
