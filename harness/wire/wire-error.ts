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
