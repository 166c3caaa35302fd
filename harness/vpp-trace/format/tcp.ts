// TCP header lines (vpp-facts §3.3): ports numeric, window raw, no options line in 18.01.
//   TCP: {sport} -> {dport}
//     seq. 0x{seq:08x} ack 0x{ack:08x}
//     flags 0x{flags:02x}{ NAME...}, tcp header: {bytes} bytes
//     window {window}, checksum 0x{csum:04x}

import { LineTemplate, lineEnd, lineStart } from './scan.js';
import { hexw, spaces } from './vppinfra.js';

export interface TcpHeaderRecord {
  kind: 'tcp';
  srcPort: number;
  dstPort: number;
  seq: number;
  ack: number;
  flags: number;
  /** data offset * 4 */
  headerLength: number;
  window: number;
  checksum: number;
}

const FLAG_NAMES = ['FIN', 'SYN', 'RST', 'PSH', 'ACK', 'URG', 'ECE', 'CWR'];

export function tcpFlagNames(flags: number): string {
  let s = '';
  for (let i = 0; i < 8; i++) if (flags & (1 << i)) s += ' ' + FLAG_NAMES[i];
  return s;
}

export function formatTcp(h: TcpHeaderRecord, col: number): string[] {
  const det = spaces(col + 2);
  return [
    `${spaces(col)}TCP: ${h.srcPort} -> ${h.dstPort}`,
    `${det}seq. 0x${hexw(h.seq, 8)} ack 0x${hexw(h.ack, 8)}`,
    `${det}flags 0x${hexw(h.flags, 2)}${tcpFlagNames(h.flags)}, tcp header: ${h.headerLength} bytes`,
    `${det}window ${h.window}, checksum 0x${hexw(h.checksum, 4)}`,
  ];
}

const FIRST = new LineTemplate('TCP: %u16 -> %u16');
const SEQ = new LineTemplate('seq. 0x%x32 ack 0x%x32');
const FLAGS = new LineTemplate('flags 0x%x8');
const HDR = new LineTemplate(', tcp header: %u8 bytes');
const WIN = new LineTemplate('window %u16, checksum 0x%x16');
/** Flag-name text per flags byte, built once. */
const FLAG_TEXT: string[] = Array.from({ length: 256 }, (_, f) => tcpFlagNames(f));

export function parseTcp(t: readonly string[], i: number): { h: TcpHeaderRecord; next: number } | undefined {
  if (!FIRST.match(t[i]) || !SEQ.match(t[i + 1]) || !WIN.match(t[i + 3])) return undefined;
  const fl = t[i + 2];
  if (fl === undefined) return undefined;
  const fe = lineEnd(fl);
  let p = FLAGS.matchAt(fl, lineStart(fl), fe);
  const flags = FLAGS.n(0);
  if (p < 0 || flags > 0xff) return undefined;
  const names = FLAG_TEXT[flags];
  if (!fl.startsWith(names, p)) return undefined;
  p += names.length;
  if (HDR.matchAt(fl, p, fe) !== fe) return undefined;
  return {
    h: {
      kind: 'tcp',
      srcPort: FIRST.n(0),
      dstPort: FIRST.n(1),
      seq: SEQ.n(0),
      ack: SEQ.n(1),
      flags,
      headerLength: HDR.n(0),
      window: WIN.n(0),
      checksum: WIN.n(1),
    },
    next: i + 4,
  };
}

export function tcpFromBytes(b: Uint8Array, off: number): TcpHeaderRecord | undefined {
  if (b.length - off < 20) return undefined;
  const u16 = (o: number) => (b[off + o] << 8) | b[off + o + 1];
  const u32 = (o: number) => ((b[off + o] << 24) >>> 0) + ((b[off + o + 1] << 16) | (b[off + o + 2] << 8) | b[off + o + 3]);
  return {
    kind: 'tcp',
    srcPort: u16(0),
    dstPort: u16(2),
    seq: u32(4),
    ack: u32(8),
    flags: b[off + 13],
    headerLength: (b[off + 12] >> 4) * 4,
    window: u16(14),
    checksum: u16(16),
  };
}
