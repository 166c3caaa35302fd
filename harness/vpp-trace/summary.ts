// `dpconform trace parse` without --json: a line per packet, then the totals. Made as each packet
// completes (the reader keeps no packet), and the stitches are counted, not listed: a trace
// repeating one tunnelled flow has millions of them, and holding every packet and building every
// stitch only to print their number took hundreds of megabytes.

import { TunnelIndex } from './stitch.js';
import type { TraceFile, VppPacketTrace } from './trace-file.js';

export class ParseSummary {
  private packets = 0;
  private readonly lines: string[] = [];
  /** Keeps only the packets with a VXLAN end. */
  private readonly tunnels = new TunnelIndex();

  /** For readTraceFile's onPacket: packets arrive in file order. */
  readonly onPacket = (p: VppPacketTrace): void => {
    this.packets++;
    const typed = p.stages.filter((s) => s.kind).length;
    this.lines.push(`packet ${p.number ?? this.packets} (line ${p.line}): ${p.stages.length} stages, ${typed} typed: ${p.stages.map((s) => s.node).join(' > ')}\n`);
    this.tunnels.add(p);
  };

  /** The text, once the whole file is read (`f` gives the thread and warning counts). */
  *text(f: TraceFile): Generator<string> {
    yield* this.lines;
    yield `${f.threads.length} thread(s), ${this.packets} packet(s), ${this.tunnels.count()} stitch(es), ${f.warnings.length} warning(s)\n`;
  }
}
