// `dpconform trace parse` without --json: a line per packet, then the totals. The stitches are
// counted, not listed: a trace repeating one tunnelled flow has millions of them, and building
// them only to print their number took hundreds of megabytes.

import { countStitches } from './stitch.js';
import { allPackets, type TraceFile } from './trace-file.js';

export function* parseSummary(f: TraceFile): Generator<string> {
  let n = 0;
  for (const p of allPackets(f)) {
    n++;
    const typed = p.stages.filter((s) => s.kind).length;
    yield `packet ${p.number ?? n} (line ${p.line}): ${p.stages.length} stages, ${typed} typed: ${p.stages.map((s) => s.node).join(' > ')}\n`;
  }
  yield `${f.threads.length} thread(s), ${n} packet(s), ${countStitches(f)} stitch(es), ${f.warnings.length} warning(s)\n`;
}
