// A trace reader warning as one line for a person: `file:line: warning: message`, the form
// `dpconform trace parse` prints, for every command that prints a trace's warnings (trace parse,
// show, fmt, replay, diff). A markdown document of pasted traces (seed 004) gives one per indented
// prose line and per code fence: 84 lines before the summary, the few that matter (a line read as a
// node it lost its header from, a new packet without a Packet line) lost among them. So they are
// grouped by kind (code): the first LISTED_PER_KIND of each kind are shown with their lines, the rest
// of a kind are one line at the end, `N more '<kind>' warnings (lines a-b)`, so every kind stays
// visible. `--verbose` lists every one. Grouping is printing only: the reader keeps every warning
// (the count and `trace parse --json` are the true ones, spooled.ts keeps memory bounded).

import type { TraceWarning } from './trace-file.js';

export function warningLine(file: string, w: TraceWarning): string {
  return `${file}:${w.line}: warning: ${w.message}\n`;
}

/** Warnings of a kind shown before the rest are counted (unless --verbose). */
export const LISTED_PER_KIND = 3;

/** The line that stands for `count` warnings of a kind not shown, named by their message when they all have one (else their code). */
export function moreWarningsMessage(count: number, kind: string, first: number, last: number): string {
  return `${count} more '${kind}' ${count === 1 ? 'warning' : 'warnings'} (${first === last ? `line ${first}` : `lines ${first}-${last}`})`;
}

interface KindTally {
  shown: number;
  /** The kind's message, and whether every warning of it so far had that one. */
  message: string;
  same: boolean;
  hidden: number;
  first: number;
  last: number;
}

/** Which warnings to show, a kind at a time (see the header); holds a tally per kind, never the warnings. */
export class WarningGroups {
  private readonly kinds = new Map<string, KindTally>();

  /** `listed`: warnings of a kind shown (Infinity: all, `--verbose`). */
  constructor(private readonly listed = LISTED_PER_KIND) {}

  /** Whether to show `w` now; otherwise it is counted in its kind's closing line (more()). */
  add(w: TraceWarning): boolean {
    let k = this.kinds.get(w.code);
    if (k === undefined) this.kinds.set(w.code, (k = { shown: 0, message: w.message, same: true, hidden: 0, first: Infinity, last: 0 }));
    else if (w.message !== k.message) k.same = false;
    if (k.shown < this.listed) {
      k.shown++;
      return true;
    }
    k.hidden++;
    k.first = Math.min(k.first, w.line);
    k.last = Math.max(k.last, w.line);
    return false;
  }

  /** One warning per kind with some not shown, at the first of them: `N more '<kind>' warnings (lines a-b)`. */
  *more(): Generator<TraceWarning> {
    for (const [code, k] of this.kinds)
      if (k.hidden > 0) yield { line: k.first, code, message: moreWarningsMessage(k.hidden, k.same ? k.message : code, k.first, k.last) };
  }
}

/** The warnings to show of `warnings`, grouped (WarningGroups): those shown, in order, then a line per kind for the rest. */
export function* groupedWarnings(warnings: Iterable<TraceWarning>, listed = LISTED_PER_KIND): Generator<TraceWarning> {
  const groups = new WarningGroups(listed);
  for (const w of warnings) if (groups.add(w)) yield w;
  yield* groups.more();
}

/**
 * Warnings of one file printed grouped as they come (a reader that hands them over one by one: replay,
 * diff): `add` writes those shown at once, `end` the closing lines once the file is read.
 */
export class WarningPrinter {
  private readonly groups: WarningGroups;

  constructor(
    private readonly file: string,
    private readonly write: (line: string) => void,
    listed = LISTED_PER_KIND,
  ) {
    this.groups = new WarningGroups(listed);
  }

  add(w: TraceWarning): void {
    if (this.groups.add(w)) this.write(warningLine(this.file, w));
  }

  end(): void {
    for (const w of this.groups.more()) this.write(warningLine(this.file, w));
  }
}

/** `warnings` of `file` printed grouped (WarningPrinter), once they are all known. */
export function printWarnings(file: string, warnings: Iterable<TraceWarning>, write: (line: string) => void, listed = LISTED_PER_KIND): void {
  const printer = new WarningPrinter(file, write, listed);
  for (const w of warnings) printer.add(w);
  printer.end();
}
