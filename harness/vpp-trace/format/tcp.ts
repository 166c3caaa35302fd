// TCP header lines (vpp-facts §3.3): ports numeric, window raw, no options line in 18.01.
//   TCP: {sport} -> {dport}
//     seq. 0x{seq:08x} ack 0x{ack:08x}
//     flags 0x{flags:02x}{ NAME...}, tcp header: {bytes} bytes
//     window {window}, checksum 0x{csum:04x}

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

export const TCP_LINE_RE = /^TCP: (\d+) -> (\d+)$/;
const SEQ_RE = /^seq\. 0x([0-9a-f]+) ack 0x([0-9a-f]+)$/;
const FLAGS_RE = /^flags 0x([0-9a-f]+)((?: [A-Z]{3})*), tcp header: (\d+) bytes$/;
const WIN_RE = /^window (\d+), checksum 0x([0-9a-f]+)$/;

export function parseTcp(t: readonly string[], i: number): { h: TcpHeaderRecord; next: number } | undefined {
  const m = TCP_LINE_RE.exec(t[i] ?? '');
  const s = SEQ_RE.exec(t[i + 1] ?? '');
  const f = FLAGS_RE.exec(t[i + 2] ?? '');
  const w = WIN_RE.exec(t[i + 3] ?? '');
  if (!m || !s || !f || !w) return undefined;
  const flags = parseInt(f[1], 16);
  if (tcpFlagNames(flags) !== f[2]) return undefined;
  return {
    h: {
      kind: 'tcp',
      srcPort: Number(m[1]),
      dstPort: Number(m[2]),
      seq: parseInt(s[1], 16),
      ack: parseInt(s[2], 16),
      flags,
      headerLength: Number(f[3]),
      window: Number(w[1]),
      checksum: parseInt(w[2], 16),
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
