// UDP (RFC 768). Checksum rules: over IPv4 a stored 0 means "no checksum"; over IPv6 a 0 is invalid
// (RFC 8200 §8.1, tunnels aside, RFC 6935); a computed 0 is sent as 0xffff. The checksum covers a
// pseudo-header and the whole datagram, so it is filled over the packet (UdpView.fillChecksum).

import { u16, setU16 } from './bytes.js';
import { PortsView } from './ports.js';
import { checksumWithFieldZeroed, udpChecksumStatus, type UdpChecksumStatus } from './checksum.js';
import { ensureLength } from './wire-error.js';

export const UDP_HEADER_LEN = 8;

export const UdpPort = { VXLAN: 4789, MPLS_UDP: 6635, GENEVE: 6081 } as const;

export interface UdpRepr {
  srcPort: number;
  dstPort: number;
  length: number;
  checksum: number;
}

export class UdpView extends PortsView {
  get length(): number { return u16(this.b, this.off + 4); }
  set length(v: number) { setU16(this.b, this.off + 4, v); }
  get checksum(): number { return u16(this.b, this.off + 6); }
  set checksum(v: number) { setU16(this.b, this.off + 6, v); }
  get checksumOffset(): number { return this.off + 6; }
  get payloadOffset(): number { return this.off + UDP_HEADER_LEN; }

  /** The checksum to store (0 computed -> 0xffff) for `length` bytes with the given pseudo-header sum. */
  computeChecksum(length: number, pseudoSum: number): number {
    const c = checksumWithFieldZeroed(this.b, this.off, length, this.checksumOffset, pseudoSum);
    return c === 0 ? 0xffff : c;
  }
  fillChecksum(length: number, pseudoSum: number): void { this.checksum = this.computeChecksum(length, pseudoSum); }
  checksumStatus(length: number, pseudoSum: number, overIpv6: boolean): UdpChecksumStatus {
    return udpChecksumStatus(this.b, this.off, length, pseudoSum, overIpv6);
  }
}

export function parseUdp(b: Uint8Array, off = 0, end = b.length): UdpRepr {
  ensureLength(b, off, UDP_HEADER_LEN, 'UDP header', end);
  const v = new UdpView(b, off);
  return { srcPort: v.srcPort, dstPort: v.dstPort, length: v.length, checksum: v.checksum };
}

export function emitUdp(r: UdpRepr, out?: Uint8Array, off = 0): Uint8Array {
  const b = out ?? new Uint8Array(UDP_HEADER_LEN);
  ensureLength(b, off, UDP_HEADER_LEN, 'UDP output buffer');
  const v = new UdpView(b, off);
  v.srcPort = r.srcPort;
  v.dstPort = r.dstPort;
  v.length = r.length;
  v.checksum = r.checksum;
  return b;
}
