// `-o -`: standard output, as `-` for an input is standard input (`inspect -`, `replay --input -`,
// `trace show -`). It wrote a file named `-` (replay --format pcap, trace to-pcap, run --reporter).
// Every command with -o resolves its output here. Binary output (pcapng) to a terminal is refused
// with one line, exit 2, before any work: it would print bytes that mean nothing to a person and can
// leave the terminal in a garbled state; gzip refuses the same ("compressed data not written to a
// terminal"). Text output (reports, traces) to a terminal is written.

import { InputError } from './input-error.js';
import type { SinkOptions, SinkTarget } from './stream-sink.js';

/** The -o value that means standard output. */
export const STDOUT_OUTPUT = '-';

export function isStdoutOutput(output: string | undefined): boolean {
  return output === STDOUT_OUTPUT;
}

/** What a sink writes to for -o `output`: the path, or stdout (write it with SinkOptions `end: false`: the process owns stdout). */
export function outputTarget(output: string): SinkTarget {
  return isStdoutOutput(output) ? process.stdout : output;
}

/** The sink options for an outputTarget: a path is closed at the end, stdout is left open. */
export const OUTPUT_SINK_OPTIONS: SinkOptions = { end: false };

/** How messages name the output: `<stdout>` for `-`, as inputs name stdin `<stdin>`. */
export function outputName(output: string): string {
  return isStdoutOutput(output) ? '<stdout>' : output;
}

/** Refuse `-o -` for binary output when stdout is a terminal (see the header). */
export function refuseBinaryToTerminal(output: string | undefined, what: string, stdout: { isTTY?: boolean } = process.stdout): void {
  if (isStdoutOutput(output) && stdout.isTTY)
    throw new InputError(`-o - would write ${what} (binary) to the terminal: redirect stdout (> file, | tshark -r -) or give -o FILE`, { key: '-o' }, 'output.binary-to-terminal');
}
