// `-o nosuchdir/out.json`: the write failed with Node's ENOENT only after the whole run or replay
// had been done (and `-o a-file/out.json` with ENOTDIR). Refused before any work, naming the folder.

import { dirname } from 'node:path';
import { statSync } from 'node:fs';
import { InputError } from './input-error.js';

/** Refuse an output path whose folder does not exist, or is not a folder. */
export function refuseMissingOutputFolder(output: string): void {
  const folder = dirname(output);
  let st;
  try {
    st = statSync(folder, { throwIfNoEntry: false });
  } catch {
    st = undefined; // a path through a file (ENOTDIR): no such folder either
  }
  if (!st) throw new InputError(`the output (-o) is in folder ${folder}, which does not exist: create it first`, { file: output }, 'output.no-folder');
  if (!st.isDirectory()) throw new InputError(`the output (-o) is in ${folder}, which is not a folder`, { file: output }, 'output.no-folder');
}
