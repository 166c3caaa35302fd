// virtio-input (tapv2), vpp-facts §4.2:
//   virtio: hw_if_index {hw} next-index {n} vring {r:u} len {len:u}
//     hdr: flags 0x{:02x} gso_type 0x{:02x} hdr_len {:u} gso_size {:u} csum_start {:u} csum_offset {:u} num_buffers {:u}

import { dec, hexw, udec } from '../format/vppinfra.js';
import { LineTemplate } from '../format/scan.js';
import { type Fields, type NodeKind, expectEnd, scan } from './kind.js';

export interface VirtioHdr {
  flags: number;
  gsoType: number;
  hdrLen: number;
  gsoSize: number;
  csumStart: number;
  csumOffset: number;
  numBuffers: number;
}

export interface VirtioInputRecord {
  hwIfIndex: number;
  nextIndex: number;
  /** Never assigned in 18.01: always 0. */
  vring: number;
  /** Frame length without the virtio header. */
  len: number;
  hdr: VirtioHdr;
}

const L1 = new LineTemplate('virtio: hw_if_index %d next-index %d vring %u len %u');
const L2 = new LineTemplate('hdr: flags 0x%x gso_type 0x%x hdr_len %u gso_size %u csum_start %u csum_offset %u num_buffers %u');

export const virtioInput: NodeKind<VirtioInputRecord> = {
  kind: 'virtio-input',
  format(r) {
    const h = r.hdr;
    return [
      `  virtio: hw_if_index ${dec(r.hwIfIndex)} next-index ${dec(r.nextIndex)} vring ${udec(r.vring)} len ${udec(r.len)}`,
      `    hdr: flags 0x${hexw(h.flags, 2)} gso_type 0x${hexw(h.gsoType, 2)} hdr_len ${udec(h.hdrLen)} gso_size ${udec(h.gsoSize)} csum_start ${udec(h.csumStart)} csum_offset ${udec(h.csumOffset)} num_buffers ${udec(h.numBuffers)}`,
    ];
  },
  parse(lines) {
    const a = scan(L1, lines, 0, 'virtio');
    const b = scan(L2, lines, 1, 'virtio hdr');
    expectEnd(lines, 2);
    return {
      hwIfIndex: a.n(0),
      nextIndex: a.n(1),
      vring: a.n(2),
      len: a.n(3),
      hdr: { flags: b.n(0), gsoType: b.n(1), hdrLen: b.n(2), gsoSize: b.n(3), csumStart: b.n(4), csumOffset: b.n(5), numBuffers: b.n(6) },
    };
  },
  toFields(r, out: Fields) {
    out.hw_if_index = r.hwIfIndex;
    out.next_index = r.nextIndex;
    out.vring = r.vring;
    out.len = r.len;
    out['hdr.flags'] = r.hdr.flags;
    out['hdr.gso_type'] = r.hdr.gsoType;
    out['hdr.hdr_len'] = r.hdr.hdrLen;
    out['hdr.gso_size'] = r.hdr.gsoSize;
    out['hdr.csum_start'] = r.hdr.csumStart;
    out['hdr.csum_offset'] = r.hdr.csumOffset;
    out['hdr.num_buffers'] = r.hdr.numBuffers;
  },
};
