// virtio-input (tapv2), vpp-facts §4.2:
//   virtio: hw_if_index {hw} next-index {n} vring {r:u} len {len:u}
//     hdr: flags 0x{:02x} gso_type 0x{:02x} hdr_len {:u} gso_size {:u} csum_start {:u} csum_offset {:u} num_buffers {:u}

import { dec, hexw, udec } from '../format/vppinfra.js';
import { type Fields, type NodeKind, expectEnd, match, trimAll } from './kind.js';

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

const L1 = /^virtio: hw_if_index (-?\d+) next-index (-?\d+) vring (\d+) len (\d+)$/;
const L2 = /^hdr: flags 0x([0-9a-f]+) gso_type 0x([0-9a-f]+) hdr_len (\d+) gso_size (\d+) csum_start (\d+) csum_offset (\d+) num_buffers (\d+)$/;

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
    const t = trimAll(lines);
    const a = match(L1, t, 0, 'virtio');
    const b = match(L2, t, 1, 'virtio hdr');
    expectEnd(t, 2);
    return {
      hwIfIndex: Number(a[1]),
      nextIndex: Number(a[2]),
      vring: Number(a[3]),
      len: Number(a[4]),
      hdr: {
        flags: parseInt(b[1], 16),
        gsoType: parseInt(b[2], 16),
        hdrLen: Number(b[3]),
        gsoSize: Number(b[4]),
        csumStart: Number(b[5]),
        csumOffset: Number(b[6]),
        numBuffers: Number(b[7]),
      },
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
