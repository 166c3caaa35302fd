// Text and warnings that wait for the end of a read in a Spool (memory, then a file): `trace parse`'s
// summary lines wait for the totals, and the checksum warnings of a streamed read wait for the
// parser's; a reader's warnings past WARNINGS_HELD wait in one too (they grow with the file).

import { Spool } from '../io/spool.js';
import type { TraceWarning } from './trace-file.js';

/** A Spool's pieces as text (what spilled to its file comes back as bytes). Once. */
export function* spooledText(spool: Spool): Generator<string> {
  const decoder = new TextDecoder();
  for (const piece of spool.drain()) yield typeof piece === 'string' ? piece : decoder.decode(piece, { stream: true });
  const rest = decoder.decode();
  if (rest) yield rest;
}

/** Warnings kept in a Spool, one JSON line each, given back in order. */
export class SpooledWarnings {
  private readonly spool = new Spool();
  private n = 0;

  get count(): number {
    return this.n;
  }

  add(w: TraceWarning): void {
    this.spool.add(JSON.stringify(w) + '\n');
    this.n++;
  }

  /** The warnings added, in order. Once. */
  *drain(): Generator<TraceWarning> {
    let rest = '';
    for (const piece of spooledText(this.spool)) {
      const lines = (rest + piece).split('\n');
      rest = lines.pop()!;
      for (const l of lines) yield JSON.parse(l) as TraceWarning;
    }
  }
}

/**
 * Warnings a reader keeps in memory before the rest go to a Spool: a markdown paste warns once per
 * prose line and a trace whose every checksum was altered once per stage, so they grow with the file.
 */
export const WARNINGS_HELD = 10_000;

/** Where a file's warnings may be: listed (at most WARNINGS_HELD), then spooled. */
export interface WarningsOf {
  readonly warnings: readonly TraceWarning[];
  readonly moreWarnings?: SpooledWarnings;
}

/** Add `w` after the warnings `f` has: listed while fewer than `held` are and none is spooled, else spooled. */
export function addWarning(f: { warnings: TraceWarning[]; moreWarnings?: SpooledWarnings }, w: TraceWarning, held = WARNINGS_HELD): void {
  if (f.moreWarnings === undefined && f.warnings.length < held) f.warnings.push(w);
  else (f.moreWarnings ??= new SpooledWarnings()).add(w);
}

export function warningCount(f: WarningsOf): number {
  return f.warnings.length + (f.moreWarnings?.count ?? 0);
}

/** Every warning, in order. Once, when some are spooled. */
export function* allWarnings(f: WarningsOf): Generator<TraceWarning> {
  yield* f.warnings;
  if (f.moreWarnings) yield* f.moreWarnings.drain();
}
