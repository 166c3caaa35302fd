import { statSync } from 'node:fs';
import { InputError } from './input-error.js';

/**
 * Refuse a folder given where a file is read. Node reports reading a directory as a bare EISDIR
 * with no path (an "internal error" to the CLI); this names the file instead. A missing path is
 * left to the reader, whose ENOENT already names it; `-` (stdin) is not a path.
 */
export function rejectDirectory(path: string, expected: string): void {
  if (path === '-') return;
  const st = statSync(path, { throwIfNoEntry: false });
  if (st?.isDirectory()) throw new InputError(`is a directory, not ${expected}`, { file: path }, 'input.not-a-file');
}
