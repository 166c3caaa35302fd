// UDP header lines (vpp-facts §3.3): `UDP: {sport} -> {dport}` then `length {len}, checksum 0x{csum:04x}`.

import { hexw, spaces } from './vppinfra.js';

export interface UdpHeaderRecord {
  kind: 'udp';
  srcPort: number;
  dstPort: number;
  length: number;
  checksum: number;
}

export function formatUdp(h: UdpHeaderRecord, col: number): string[] {
  return [`${spaces(col)}UDP: ${h.srcPort} -> ${h.dstPort}`, `${spaces(col + 2)}length ${h.length}, checksum 0x${hexw(h.checksum, 4)}`];
}

export const UDP_LINE_RE = /^UDP: (\d+) -> (\d+)$/;
const LEN_RE = /^length (\d+), checksum 0x([0-9a-f]+)$/;

export function parseUdp(t: readonly string[], i: number): { h: UdpHeaderRecord; next: number } | undefined {
  const m = UDP_LINE_RE.exec(t[i] ?? '');
  const l = LEN_RE.exec(t[i + 1] ?? '');
  if (!m || !l) return undefined;
  return {
    h: { kind: 'udp', srcPort: Number(m[1]), dstPort: Number(m[2]), length: Number(l[1]), checksum: parseInt(l[2], 16) },
    next: i + 2,
  };
}

export function udpFromBytes(b: Uint8Array, off: number): UdpHeaderRecord | undefined {
  if (b.length - off < 8) return undefined;
  const u16 = (o: number) => (b[off + o] << 8) | b[off + o + 1];
  return { kind: 'udp', srcPort: u16(0), dstPort: u16(2), length: u16(4), checksum: u16(6) };
}
