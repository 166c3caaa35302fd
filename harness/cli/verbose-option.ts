// `-v, --verbose` of every command that reads a VPP trace (trace parse/fmt/show/to-pcap, replay,
// diff): the trace reader's warnings are printed grouped by kind (vpp-trace/warning-line.ts), and
// -v lists every one. One registration so the flag and its help read the same everywhere (`replay
// -v` and `diff -v` were "unknown option '-v'" while the README promised it for every command).

import { LISTED_PER_KIND } from '../vpp-trace/warning-line.js';

export interface VerboseOption {
  verbose?: boolean;
}

/** `-v, --verbose` (as `run` spells it) and its help: `cmd.option(...VERBOSE_OPTION)`. */
export const VERBOSE_OPTION = ['-v, --verbose', `print every trace warning (default: the first ${LISTED_PER_KIND} of each kind, then one line counting the rest)`] as const;

/** Warnings of a kind listed for these options (Infinity with --verbose). */
export function warningsListed(o: VerboseOption): number {
  return o.verbose ? Infinity : LISTED_PER_KIND;
}
