// Byte-order-aware stores for the capture encoders. Capture files are in the writer's byte order
// (pcap: whichever the magic says; pcapng: per section), unlike network headers (always big-endian,
// harness/wire/bytes.ts).

export function put16(b: Uint8Array, off: number, v: number, le: boolean): void {
  if (le) {
    b[off] = v & 0xff;
    b[off + 1] = (v >>> 8) & 0xff;
  } else {
    b[off] = (v >>> 8) & 0xff;
    b[off + 1] = v & 0xff;
  }
}

export function put32(b: Uint8Array, off: number, v: number, le: boolean): void {
  if (le) {
    b[off] = v & 0xff;
    b[off + 1] = (v >>> 8) & 0xff;
    b[off + 2] = (v >>> 16) & 0xff;
    b[off + 3] = (v >>> 24) & 0xff;
  } else {
    b[off] = (v >>> 24) & 0xff;
    b[off + 1] = (v >>> 16) & 0xff;
    b[off + 2] = (v >>> 8) & 0xff;
    b[off + 3] = v & 0xff;
  }
}

/** A 64-bit unsigned value as two 32-bit words in the file's order. */
export function put64(b: Uint8Array, off: number, v: bigint, le: boolean): void {
  const hi = Number((v >> 32n) & 0xffffffffn);
  const lo = Number(v & 0xffffffffn);
  put32(b, off + (le ? 4 : 0), hi, le);
  put32(b, off + (le ? 0 : 4), lo, le);
}

/** `n` rounded up to a multiple of 4 (pcapng pads packet data and option values to 32 bits). */
export function pad4(n: number): number {
  return (n + 3) & ~3;
}

/** Split a non-negative nanosecond timestamp into whole seconds and the nanosecond remainder. */
export function splitNs(ns: bigint): { sec: bigint; frac: bigint } {
  if (ns < 0n) throw new RangeError(`negative capture timestamp ${ns}`);
  return { sec: ns / 1_000_000_000n, frac: ns % 1_000_000_000n };
}
