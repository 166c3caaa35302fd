// What `run --update` does with a snapshot golden it could not read whole.
//
// The VPP trace reader is lenient by design: a line it does not understand is kept as raw text with a
// warning, so `run` still compares the rest and prints the warning. For --update that leniency was a
// silent overwrite: a golden cut short, or holding a merge conflict, was replaced by the model's
// output ("updated ... (+34 -1 lines)", exit 0), and in a golden sequence the damaged file's packet
// count decided how the model's traces were split over the files. A golden written by --update never
// draws such a warning, so one that does is not what --update wrote: --update refuses to overwrite
// it (one line, file and line, exit 2), as it already refuses a golden with no trace in it at all.
// Deleting the file lets --update write it anew; fixing it keeps what it held.

import { InputError } from '../io/input-error.js';
import type { TraceWarning } from '../vpp-trace/trace-file.js';
import type { PacketTrace } from '../stage.js';
import type { GoldenSpec, SourceKind } from './case-spec.js';
import { readTraces, setTraceWarningListener } from './sources.js';

/**
 * Warnings about layout only: the reader read every record (CRLF endings, tabs, an indented or fenced
 * paste, a comment line). Rewriting such a golden loses nothing the comparison used.
 */
const LAYOUT_ONLY = new Set(['crlf', 'tab', 'shifted', 'fence', 'comment']);

export interface ReadGolden {
  traces: PacketTrace[];
  /** The first warning that says part of the file was not read as a record (undefined: read whole). */
  damage?: TraceWarning;
}

/** A trace/stages golden, with the first damage the reader reported (still heard by the case's listener). */
export async function readGolden(file: string, kind: SourceKind): Promise<ReadGolden> {
  let damage: TraceWarning | undefined;
  const outer = setTraceWarningListener((f, w) => {
    outer?.(f, w);
    if (f === file && !damage && !LAYOUT_ONLY.has(w.code)) damage = w;
  });
  try {
    return { traces: await readTraces(file, kind), damage };
  } finally {
    setTraceWarningListener(outer);
  }
}

const WAY_OUT = 'fix the file, or delete it and --update writes it anew';

/**
 * A golden --update would rewrite that cannot be read at all (empty, not UTF-8, a capture cut short):
 * its error says what --update does about it, so the person who asked for a rewrite knows the way out.
 */
export async function readForUpdate<T>(g: GoldenSpec, updating: boolean, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (e) {
    if (!updating || g.evidence !== 'snapshot' || g.packets || !(e instanceof InputError)) throw e;
    throw new InputError(`${e.reason}; --update does not overwrite a golden it cannot read: ${WAY_OUT}`, e.where, e.code);
  }
}

/** Throws when --update is about to overwrite a golden that was not read whole. */
export function refuseDamagedOverwrite(goldens: ReadonlyArray<{ file: string; read?: ReadGolden }>): void {
  for (const { file, read } of goldens) {
    if (!read?.damage) continue;
    throw new InputError(
      `--update does not overwrite a golden it could not read whole: ${read.damage.message}; ${WAY_OUT}`,
      { file, line: read.damage.line },
      'run.update-damaged-golden',
    );
  }
}
