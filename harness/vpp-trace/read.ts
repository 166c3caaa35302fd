// Reading a trace file (or stdin as `-`) in streaming fashion, for the CLI and other tools.

import { InputError } from '../io/input-error.js';
import { type ParseOptions, parseTraceStream } from './parse.js';
import { checkChecksumsOnDemand, packetChecksumWarnings } from './reconstruct.js';
import type { TraceFile, TraceWarning } from './trace-file.js';
import { traceTextChunks } from './read-text.js';
import { inputName } from '../io/read-handle.js';
import { addWarning, allWarnings, WARNINGS_HELD, type WarningsOf } from './spooled.js';

export interface ReadOptions extends ParseOptions {
  /**
   * Check the checksums each stage's packet shows (default true); the packets are built again where
   * printed (packetOf). With keepPackets: false each packet is checked as it completes.
   */
  reconstruct?: boolean;
}

export async function readTraceFile(path: string, opts: ReadOptions = {}): Promise<TraceFile> {
  return readTraceChunks(inputName(path), traceTextChunks(path), opts);
}

/** readTraceFile of some chunks (a file's first pass, trace-source.ts), `name` in warnings and errors. */
export async function readTraceChunks(name: string, chunks: AsyncIterable<string | Uint8Array>, opts: ReadOptions = {}): Promise<TraceFile> {
  const check = opts.reconstruct !== false;
  // Without kept packets (keepPackets: false) each packet is counted and checked as it completes.
  const streamed = opts.keepPackets === false;
  let stages = 0;
  // After the parser's warnings, as many listed in memory (ReadOptions.warningsHeld), the rest spooled.
  const held = opts.warningsHeld ?? WARNINGS_HELD;
  const checksums: WarningsOf & { warnings: TraceWarning[] } = { warnings: [] };
  const f = await parseTraceStream(chunks, {
    ...opts,
    file: name,
    onPacket: (p, th) => {
      stages += p.stages.length;
      if (streamed && check) {
        for (const w of packetChecksumWarnings(p)) addWarning(checksums, w, held);
      }
      opts.onPacket?.(p, th);
    },
  });
  const threadsOnly = f.threads.length > 0 && f.threads.every((t) => t.empty);
  if (stages === 0 && !threadsOnly) throw new InputError('no VPP trace found (no `HH:MM:SS:uuuuuu: node` line)', { file: name, line: f.lines || 1 }, 'trace.empty');
  if (check && streamed) for (const w of allWarnings(checksums)) addWarning(f, w, held);
  else if (check) checkChecksumsOnDemand(f, held);
  return f;
}
