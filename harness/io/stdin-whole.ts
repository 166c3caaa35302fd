// All of stdin at once, for a command that looks at the start of its input to choose a reader
// (`replay --input -`: a capture by its magic, else VPP trace text). A file can be opened twice,
// once to peek and once to read; stdin cannot, so it is read whole first. The caller already holds
// the whole input in memory either way (replay keeps every packet it injects).

import { openForReading } from './read-handle.js';

const READ_SIZE = 1 << 20;

export async function readStdinWhole(): Promise<Uint8Array> {
  const handle = await openForReading('-');
  const chunks: Uint8Array[] = [];
  const buf = new Uint8Array(READ_SIZE);
  for (;;) {
    const { bytesRead } = await handle.read(buf, 0, READ_SIZE, null);
    if (bytesRead === 0) break;
    chunks.push(buf.slice(0, bytesRead)); // a copy the size of the read: pipes deliver 64 KiB at a time
  }
  return Buffer.concat(chunks);
}
