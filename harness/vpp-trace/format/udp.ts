// UDP header lines (vpp-facts §3.3): `UDP: {sport} -> {dport}` then `length {len}, checksum 0x{csum:04x}`.

import { LineTemplate } from './scan.js';
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

const FIRST = new LineTemplate('UDP: %u16 -> %u16');
const LEN = new LineTemplate('length %u16, checksum 0x%x16');

export function parseUdp(t: readonly string[], i: number): { h: UdpHeaderRecord; next: number } | undefined {
  if (!FIRST.match(t[i]) || !LEN.match(t[i + 1])) return undefined;
  return {
    h: { kind: 'udp', srcPort: FIRST.n(0), dstPort: FIRST.n(1), length: LEN.n(0), checksum: LEN.n(1) },
    next: i + 2,
  };
}

export function udpFromBytes(b: Uint8Array, off: number): UdpHeaderRecord | undefined {
  if (b.length - off < 8) return undefined;
  const u16 = (o: number) => (b[off + o] << 8) | b[off + o + 1];
  return { kind: 'udp', srcPort: u16(0), dstPort: u16(2), length: u16(4), checksum: u16(6) };
}
