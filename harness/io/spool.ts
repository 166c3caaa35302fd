// Output that must wait for something known only at the end (replay's `show trace` text comes one
// section per instance, in scenario order, while the packets' traces come mixed; a pcapng file's
// interface blocks precede its packets, and which interfaces transmit is known once all have run).
// Held in memory up to a limit, then in a temporary file, so the wait costs disk, not memory: a
// replay of a 50 MB trace held its whole output (and every trace it was made from) at once.
//
// The file is removed as soon as it is open: nothing is left behind however the process ends.

import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Bytes held in memory before they go to the file (and the size of the writes to it). */
const MEMORY_LIMIT = 4 << 20;
const READ_SIZE = 1 << 20;

export class Spool {
  private held: Array<string | Uint8Array> = [];
  private heldBytes = 0;
  private fd: number | undefined;
  /** Bytes in the file. */
  private fileBytes = 0;

  constructor(private readonly limit = MEMORY_LIMIT) {}

  /** Has nothing been added? */
  get empty(): boolean {
    return this.heldBytes === 0 && this.fileBytes === 0;
  }

  add(piece: string | Uint8Array): void {
    this.held.push(piece);
    // A string's length undercounts non-ASCII text, which replay output does not hold: a bound, not an exact count.
    this.heldBytes += piece.length;
    if (this.heldBytes >= this.limit) this.spill();
  }

  /** Everything added, in order (then the spool is empty again). */
  *drain(): Generator<string | Uint8Array> {
    if (this.fd !== undefined) {
      this.spill();
      const buf = new Uint8Array(READ_SIZE);
      for (let pos = 0; pos < this.fileBytes; ) {
        const n = readSync(this.fd, buf, 0, READ_SIZE, pos);
        if (n === 0) throw new Error(`spool file ended at ${pos} of ${this.fileBytes} bytes`);
        pos += n;
        yield buf.slice(0, n);
      }
      this.dispose();
      return;
    }
    const held = this.held;
    this.held = [];
    this.heldBytes = 0;
    yield* held;
  }

  /** Close (and so remove) the file, if there is one. */
  dispose(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
    this.fileBytes = 0;
    this.held = [];
    this.heldBytes = 0;
  }

  private spill(): void {
    if (this.fd === undefined) this.fd = openUnlinked();
    const bytes = Buffer.concat(this.held.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : p)));
    for (let off = 0; off < bytes.length; ) off += writeSync(this.fd, bytes, off, bytes.length - off, this.fileBytes + off);
    this.fileBytes += bytes.length;
    this.held = [];
    this.heldBytes = 0;
  }
}

/** A new empty file, already unlinked: it lives as long as the descriptor. */
export function openUnlinked(): number {
  const dir = mkdtempSync(join(tmpdir(), 'dpconform-spool-'));
  try {
    return openSync(join(dir, 'spool'), 'w+');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
