// A whole `show trace` text parsed with every stage's packet rebuilt, keeping the TraceFile (and so
// its warnings) for callers that must show them: a damaged line kept as raw text was otherwise
// invisible to `diff` and `replay`, which saw only the packet traces.

import { parseTrace } from './parse.js';
import { reconstructPackets } from './reconstruct.js';
import type { TraceFile } from './trace-file.js';

export function parseTraceWithPackets(text: string, file?: string): TraceFile {
  const tf = parseTrace(text, { file });
  reconstructPackets(tf);
  return tf;
}
