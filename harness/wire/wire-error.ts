/**
 * A packet that cannot be parsed as the layer claims. Carries the byte offset inside the packet so
 * capture readers and the CLI can say where (file, packet number, offset) without a stack trace.
 */
export class WireError extends Error {
  constructor(
    message: string,
    readonly offset?: number,
  ) {
    super(message);
    this.name = 'WireError';
  }
}

/** Throw a WireError at `off` unless `len` bytes of `what` are there before `end`. Every codec's first line. */
export function ensureLength(b: Uint8Array, off: number, len: number, what: string, end = b.length): void {
  if (off < 0 || end - off < len) throw new WireError(`${what} truncated: need ${len} bytes, have ${Math.max(0, end - off)}`, off);
}
