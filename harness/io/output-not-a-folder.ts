// `-o newdir/` or `-o existing-folder`: the write failed at the end with Node's bare "illegal
// operation on a directory (EISDIR, open)", after the whole run or replay. Refused before any work.

import { statSync } from 'node:fs';
import { InputError } from './input-error.js';
import { isStdoutOutput } from './output-target.js';
import { refuseMissingOutputFolder } from './output-folder-missing.js';

/** Refuse an output path that names a folder (one ending in a slash, or an existing directory), or lies in none. */
export function refuseFolderOutput(output: string): void {
  if (isStdoutOutput(output)) return;
  // First: stat of a path through a file (`-o a.pcap/out`) throws ENOTDIR rather than answering.
  refuseMissingOutputFolder(output);
  const folder = /[\\/]$/.test(output) || statSync(output, { throwIfNoEntry: false })?.isDirectory() === true;
  if (folder) throw new InputError('the output (-o) names a folder, not a file: give a file name', { file: output }, 'output.is-folder');
}
