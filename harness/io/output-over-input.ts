// `-o` naming a file the command reads (`trace to-pcap a.trace -o a.trace`, `replay --input x.pcap
// --format pcap -o x.pcap`): the input was read whole, then replaced by the output, so the command
// "worked" and the capture or trace it came from was gone. Refused before anything is written.

import { realpathSync } from 'node:fs';
import { InputError } from './input-error.js';
import { isStdoutOutput } from './output-target.js';

/** The path a file is known by, so `./a.pcap`, `a.pcap` and a link to it are one file; a missing one stays as given. */
export function fileIdentity(file: string): string {
  try {
    return realpathSync(file);
  } catch {
    return file;
  }
}

export function refuseOutputOverInput(output: string, inputs: readonly string[]): void {
  if (isStdoutOutput(output)) return;
  const out = fileIdentity(output);
  const input = inputs.find((i) => i !== '-' && fileIdentity(i) === out);
  if (input !== undefined) throw new InputError(`is also the input (${input}): writing would replace it; give another -o`, { file: output }, 'output.is-input');
}
