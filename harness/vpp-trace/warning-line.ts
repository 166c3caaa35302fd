// A trace reader warning as one line for a person: `file:line: warning: message`, the form
// `dpconform trace parse` prints, for every command that reads a trace (diff, replay).

import type { TraceWarning } from './trace-file.js';

export function warningLine(file: string, w: TraceWarning): string {
  return `${file}:${w.line}: warning: ${w.message}\n`;
}
