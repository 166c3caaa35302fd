// Two paths naming one file (`x.trace` and `./x.trace`, or a link to it): a command given one file
// twice reads it once.

import { fileIdentity } from './output-over-input.js';

export function sameFile(a: string, b: string): boolean {
  return fileIdentity(a) === fileIdentity(b);
}
