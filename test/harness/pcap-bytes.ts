// A plain little-endian microsecond pcap, written here so harness tests need no writer of ours
// (the capture writer is another engineer's, and may be mid-change).

/** `snaplen`: each frame cut to it as tcpdump -s does (captured length, original length the frame's). */
export function pcap(frames: readonly Uint8Array[], snaplen = 65535): Uint8Array {
  const cut = frames.map((f) => f.subarray(0, Math.min(f.length, snaplen)));
  const out = Buffer.alloc(24 + cut.reduce((n, f) => n + 16 + f.length, 0));
  out.writeUInt32LE(0xa1b2c3d4, 0);
  out.writeUInt16LE(2, 4);
  out.writeUInt16LE(4, 6);
  out.writeUInt32LE(snaplen, 16);
  out.writeUInt32LE(1, 20);
  let at = 24;
  frames.forEach((f, i) => {
    out.writeUInt32LE(1_700_000_000 + i, at);
    out.writeUInt32LE(cut[i].length, at + 8);
    out.writeUInt32LE(f.length, at + 12);
    out.set(cut[i], at + 16);
    at += 16 + cut[i].length;
  });
  return out;
}
