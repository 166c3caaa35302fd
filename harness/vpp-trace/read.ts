// Reading a trace file (or stdin as `-`) in streaming fashion, for the CLI and other tools.

import { InputError } from '../io/input-error.js';
import { type ParseOptions, parseTraceStream } from './parse.js';
import { checkChecksumsOnDemand } from './reconstruct.js';
import { allPackets, type TraceFile } from './trace-file.js';
import { traceTextChunks } from './read-text.js';
import { inputName } from '../io/read-handle.js';

export interface ReadOptions extends ParseOptions {
  /** Check the checksums each stage's packet shows (default true); the packets are built again where printed (packetOf). */
  reconstruct?: boolean;
}

export async function readTraceFile(path: string, opts: ReadOptions = {}): Promise<TraceFile> {
  const name = inputName(path);
  const f = await parseTraceStream(traceTextChunks(path), { ...opts, file: name });
  let stages = 0;
  for (const p of allPackets(f)) stages += p.stages.length;
  const threadsOnly = f.threads.length > 0 && f.threads.every((t) => t.empty);
  if (stages === 0 && !threadsOnly) throw new InputError('no VPP trace found (no `HH:MM:SS:uuuuuu: node` line)', { file: name, line: f.lines || 1 }, 'trace.empty');
  if (opts.reconstruct !== false) checkChecksumsOnDemand(f);
  return f;
}
