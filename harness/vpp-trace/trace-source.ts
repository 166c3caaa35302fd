// A trace read twice with bounded memory: `trace show`, `fmt`, `to-pcap` and `parse --json` learn in
// a first pass what their text needs up front or across packets (display limit, thread outline,
// warnings, the tunnel index), then print each packet as the second pass reads it. Holding every
// packet between the two took ~7 GB for a 1 GB trace. A regular file is simply opened again; stdin
// (`-`) or a pipe cannot be, so the first pass keeps its bytes in a Spool (memory, then a file).

import { closeSync, createReadStream, openSync, readSync, statSync } from 'node:fs';
import { Spool } from '../io/spool.js';
import { inputName } from '../io/read-handle.js';
import { traceTextChunks } from './read-text.js';

/** Bytes read at a time (tests make it small to see that a pass keeps no packet list). */
export const TRACE_READ_SIZE = 1 << 20;

export interface TwiceReadTrace {
  /** The name warnings and errors give (`<stdin>` for `-`). */
  readonly name: string;
  /** First pass: the text's chunks, refused where not UTF-8 (read-text.ts). Once. */
  first(): AsyncIterable<string | Uint8Array>;
  /** Second pass, after the first: the same bytes, read synchronously as they are parsed. Once. */
  second(): Iterable<Uint8Array>;
}

export function openTraceTwice(path: string, readSize = TRACE_READ_SIZE): TwiceReadTrace {
  const name = inputName(path);
  if (path !== '-' && statSync(path, { throwIfNoEntry: false })?.isFile()) {
    return { name, first: () => traceTextChunks(path, createReadStream(path, { highWaterMark: readSize })), second: () => fileChunks(path, readSize) };
  }
  const spool = new Spool();
  return {
    name,
    first: () => traceTextChunks(path, kept(path === '-' ? process.stdin : createReadStream(path, { highWaterMark: readSize }), spool)),
    second: () => spool.drain() as Iterable<Uint8Array>,
  };
}

async function* kept(bytes: AsyncIterable<Uint8Array>, spool: Spool): AsyncGenerator<Uint8Array> {
  for await (const b of bytes) {
    spool.add(b);
    yield b;
  }
}

function* fileChunks(path: string, readSize: number): Generator<Uint8Array> {
  const fd = openSync(path, 'r');
  try {
    for (;;) {
      const buf = Buffer.allocUnsafe(readSize);
      const n = readSync(fd, buf, 0, readSize, null);
      if (n === 0) return;
      yield buf.subarray(0, n);
    }
  } finally {
    closeSync(fd);
  }
}
