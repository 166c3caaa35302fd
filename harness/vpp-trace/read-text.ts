// Where trace text comes into the harness: every reader of a VPP trace (trace parse/show/fmt/to-pcap,
// diff, replay, run's goldens and inputs) takes its bytes from here, so none decodes on its own.
// A byte that is not UTF-8 used to become U+FFFD without a word (a name or a field silently differed
// from the file); it is refused here as YAML files are: file, line, byte offset, exit 2.

import { createReadStream } from 'node:fs';
import { utf8Chunks } from '../io/utf8-text.js';
import { inputName } from '../io/read-handle.js';

/**
 * A trace file's bytes (stdin for `-`), streamed, each chunk checked to be UTF-8 before it is passed
 * on. `bytes` are the file's when the caller already reads them (stdin whose head it has looked at).
 */
export function traceTextChunks(path: string, bytes?: AsyncIterable<Uint8Array>): AsyncIterable<string | Uint8Array> {
  return utf8Chunks(bytes ?? (path === '-' ? process.stdin : createReadStream(path)), inputName(path));
}

/** A trace file's text, whole. */
export async function readTraceText(path: string): Promise<string> {
  const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  let text = '';
  for await (const c of traceTextChunks(path)) text += typeof c === 'string' ? c : decoder.decode(c, { stream: true });
  return text + decoder.decode();
}
