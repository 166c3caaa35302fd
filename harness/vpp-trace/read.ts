// Reading a trace file (or stdin as `-`) in streaming fashion, for the CLI and other tools.

import { InputError } from '../io/input-error.js';
import { type ParseOptions, parseTraceStream } from './parse.js';
import { checkChecksumsOnDemand, packetChecksumWarnings } from './reconstruct.js';
import type { TraceFile, TraceWarning } from './trace-file.js';
import { traceTextChunks } from './read-text.js';
import { inputName } from '../io/read-handle.js';
import { SpooledWarnings } from './spooled.js';

export interface ReadOptions extends ParseOptions {
  /**
   * Check the checksums each stage's packet shows (default true); the packets are built again where
   * printed (packetOf). With keepPackets: false each packet is checked as it completes.
   */
  reconstruct?: boolean;
  /** With keepPackets: false, checksum warnings listed before the rest go to a Spool (default CHECKSUM_WARNINGS_HELD). */
  checksumWarningsHeld?: number;
}

/**
 * Checksum warnings a streamed read lists in memory: they are not capped like the parser's (each
 * names a stage the text altered), and a trace whose every checksum is wrong has one per stage.
 */
export const CHECKSUM_WARNINGS_HELD = 10_000;

export async function readTraceFile(path: string, opts: ReadOptions = {}): Promise<TraceFile> {
  return readTraceChunks(inputName(path), traceTextChunks(path), opts);
}

/** readTraceFile of some chunks (a file's first pass, trace-source.ts), `name` in warnings and errors. */
export async function readTraceChunks(name: string, chunks: AsyncIterable<string | Uint8Array>, opts: ReadOptions = {}): Promise<TraceFile> {
  const check = opts.reconstruct !== false;
  // Without kept packets (keepPackets: false) each packet is counted and checked as it completes.
  const streamed = opts.keepPackets === false;
  let stages = 0;
  const checksums: TraceWarning[] = [];
  const held = opts.checksumWarningsHeld ?? CHECKSUM_WARNINGS_HELD;
  let more: SpooledWarnings | undefined;
  const f = await parseTraceStream(chunks, {
    ...opts,
    file: name,
    onPacket: (p, th) => {
      stages += p.stages.length;
      if (streamed && check) {
        for (const w of packetChecksumWarnings(p)) {
          if (checksums.length < held) checksums.push(w);
          else (more ??= new SpooledWarnings()).add(w);
        }
      }
      opts.onPacket?.(p, th);
    },
  });
  const threadsOnly = f.threads.length > 0 && f.threads.every((t) => t.empty);
  if (stages === 0 && !threadsOnly) throw new InputError('no VPP trace found (no `HH:MM:SS:uuuuuu: node` line)', { file: name, line: f.lines || 1 }, 'trace.empty');
  if (check && streamed) {
    f.warnings.push(...checksums);
    if (more) f.moreWarnings = more;
  }
  else if (check) checkChecksumsOnDemand(f);
  return f;
}
