// A plain little-endian microsecond pcap, written here so harness tests need no writer of ours
// (the capture writer is another engineer's, and may be mid-change).

export function pcap(frames: readonly Uint8Array[]): Uint8Array {
  const out = Buffer.alloc(24 + frames.reduce((n, f) => n + 16 + f.length, 0));
  out.writeUInt32LE(0xa1b2c3d4, 0);
  out.writeUInt16LE(2, 4);
  out.writeUInt16LE(4, 6);
  out.writeUInt32LE(65535, 16);
  out.writeUInt32LE(1, 20);
  let at = 24;
  frames.forEach((f, i) => {
    out.writeUInt32LE(1_700_000_000 + i, at);
    out.writeUInt32LE(f.length, at + 8);
    out.writeUInt32LE(f.length, at + 12);
    out.set(f, at + 16);
    at += 16 + f.length;
  });
  return out;
}
