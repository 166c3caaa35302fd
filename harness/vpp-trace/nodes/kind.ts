// The contract every node kind implements: a typed record (what the node's trace function stores),
// its exact formatter (body lines as `show trace` prints them, leading spaces included), a parser
// back from those lines, and the flat Stage.fields the diff compares.

import type { FieldValue } from '../../stage.js';
import type { LineTemplate } from '../format/scan.js';

export type Fields = Record<string, FieldValue>;

export interface NodeKind<R> {
  /** Kind name, e.g. `ip4-lookup`, `acl`, `interface-output`. */
  readonly kind: string;
  /** Body lines exactly as VPP prints them. `column` is the decode column for header-only nodes. */
  format(r: R, column?: number): string[];
  /** Parse body lines (any indentation; trailing spaces optional). Throws RecordError. */
  parse(lines: readonly string[]): R;
  /** Flat dotted fields (snake_case), same names across kinds: sw_if_index, next_index, fib, ip4.ttl... */
  toFields(r: R, out: Fields): void;
}

export class RecordError extends Error {
  constructor(
    message: string,
    /** 0-based index of the offending body line. */
    readonly lineIndex: number,
  ) {
    super(message);
    this.name = 'RecordError';
  }
}

/** Trimmed copies of body lines: records parse content, not columns (pasted traces shift them). */
export function trimAll(lines: readonly string[]): string[] {
  return lines.map((l) => l.trim());
}

export function match(re: RegExp, t: readonly string[], i: number, what: string): RegExpExecArray {
  const m = re.exec(t[i] ?? '');
  if (!m) throw notA(what, t, i);
  return m;
}

/** Hand-scanned lines (format/scan.ts): line t[i] (any indentation) must fit the template. */
export function scan(tpl: LineTemplate, t: readonly string[], i: number, what: string): LineTemplate {
  if (!tpl.match(t[i])) throw notA(what, t, i);
  return tpl;
}

export function notA(what: string, t: readonly string[], i: number): RecordError {
  return new RecordError(t[i] === undefined ? `missing ${what} line` : `not a ${what} line: '${t[i].trim()}'`, i);
}

export function expectEnd(t: readonly string[], i: number): void {
  if (i < t.length) throw new RecordError(`unexpected line: '${t[i].trim()}'`, i);
}
