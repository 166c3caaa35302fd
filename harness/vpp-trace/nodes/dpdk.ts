// dpdk-input and `<dpdk-if>-tx` (vpp-facts §4.3): one shape for both directions.
//   {if} rx queue {q}                                  (`tx queue` on the tx node)
//   buffer 0x..: current data ...                      (format/buffer.ts)
//   PKT MBUF: port {p}, nb_segs {n}, pkt_len {n}
//     buf_len {n}, data_len {n}, ol_flags 0x{:x}, data_off {n}, phys_addr 0x{:x}
//     packet_type 0x{:x} l2_len {:u} l3_len {:u} outer_l2_len {:u} outer_l3_len {:u}
//   {recursive Ethernet decode of 128 stored bytes, column 2}
// Offload-flag / packet-type lines (nonzero ol_flags / packet_type) are not in the seeds: they are
// kept verbatim in `mbuf.extra` so such traces still round-trip.

import { type BufferText, formatBufferText, parseBufferText } from '../format/buffer.js';
import { type HeaderChain, formatHeaders, headersToFields, parseHeaders } from '../format/headers.js';
import { dec, hexn, udec } from '../format/vppinfra.js';
import { type NodeKind, RecordError, expectEnd, match, trimAll } from './kind.js';

export interface MbufText {
  port: number;
  nbSegs: number;
  pktLen: number;
  bufLen: number;
  dataLen: number;
  olFlags: number;
  dataOff: number;
  physAddr: number;
  packetType: number;
  l2Len: number;
  l3Len: number;
  outerL2Len: number;
  outerL3Len: number;
  /** Offload / packet-type decode lines, verbatim (trimmed). */
  extra?: string[];
}

export interface DpdkRecord {
  ifName: string;
  direction: 'rx' | 'tx';
  queue: number;
  buffer: BufferText;
  mbuf: MbufText;
  headers: HeaderChain;
}

const L1 = /^(\S+) (rx|tx) queue (\d+)$/;
const M1 = /^PKT MBUF: port (\d+), nb_segs (\d+), pkt_len (\d+)$/;
const M2 = /^buf_len (\d+), data_len (\d+), ol_flags 0x([0-9a-f]+), data_off (\d+), phys_addr 0x([0-9a-f]+)$/;
const M3 = /^packet_type 0x([0-9a-f]+) l2_len (\d+) l3_len (\d+) outer_l2_len (\d+) outer_l3_len (\d+)$/;

export const dpdk: NodeKind<DpdkRecord> = {
  kind: 'dpdk',
  format(r) {
    const m = r.mbuf;
    return [
      `  ${r.ifName} ${r.direction} queue ${udec(r.queue)}`,
      ...formatBufferText(r.buffer, 2),
      `  PKT MBUF: port ${dec(m.port)}, nb_segs ${dec(m.nbSegs)}, pkt_len ${dec(m.pktLen)}`,
      `    buf_len ${dec(m.bufLen)}, data_len ${dec(m.dataLen)}, ol_flags 0x${hexn(m.olFlags)}, data_off ${dec(m.dataOff)}, phys_addr 0x${hexn(m.physAddr)}`,
      `    packet_type 0x${hexn(m.packetType)} l2_len ${udec(m.l2Len)} l3_len ${udec(m.l3Len)} outer_l2_len ${udec(m.outerL2Len)} outer_l3_len ${udec(m.outerL3Len)}`,
      ...(m.extra ?? []).map((l) => `    ${l}`),
      ...formatHeaders(r.headers, 2),
    ];
  },
  parse(lines) {
    const t = trimAll(lines);
    const a = match(L1, t, 0, 'dpdk queue');
    const buf = parseBufferText(t, 1);
    let i = buf.next;
    const m1 = match(M1, t, i++, 'PKT MBUF');
    const m2 = match(M2, t, i++, 'mbuf buf_len');
    const m3 = match(M3, t, i++, 'mbuf packet_type');
    const mbuf: MbufText = {
      port: Number(m1[1]),
      nbSegs: Number(m1[2]),
      pktLen: Number(m1[3]),
      bufLen: Number(m2[1]),
      dataLen: Number(m2[2]),
      olFlags: parseInt(m2[3], 16),
      dataOff: Number(m2[4]),
      physAddr: parseInt(m2[5], 16),
      packetType: parseInt(m3[1], 16),
      l2Len: Number(m3[2]),
      l3Len: Number(m3[3]),
      outerL2Len: Number(m3[4]),
      outerL3Len: Number(m3[5]),
    };
    // Lines up to the Ethernet decode are offload/packet-type text.
    let h = parseHeaders(t, i, 'eth');
    while (h.headers.length === 0 && i < t.length) {
      (mbuf.extra ??= []).push(t[i++]);
      h = parseHeaders(t, i, 'eth');
    }
    if (h.headers.length === 0) throw new RecordError('no Ethernet decode', i);
    expectEnd(t, h.next);
    return { ifName: a[1], direction: a[2] as 'rx' | 'tx', queue: Number(a[3]), buffer: buf.b, mbuf, headers: h.headers };
  },
  toFields(r, out) {
    const b = r.buffer;
    const m = r.mbuf;
    out.interface = r.ifName;
    out.direction = r.direction;
    out.queue = r.queue;
    out.buffer_index = b.index;
    out.current_data = b.currentData;
    out.length = b.length;
    out.free_list = b.freeList;
    out.clone_count = b.cloneCount;
    out.totlen_nifb = b.totlenNifb ?? null;
    out.trace_index = b.traceIndex ?? null;
    out.buffer_flags = b.flags.join(' ');
    out.l2_hdr_offset = b.l2HdrOffset ?? null;
    out.l3_hdr_offset = b.l3HdrOffset ?? null;
    out.l4_hdr_offset = b.l4HdrOffset ?? null;
    out['mbuf.port'] = m.port;
    out['mbuf.nb_segs'] = m.nbSegs;
    out['mbuf.pkt_len'] = m.pktLen;
    out['mbuf.buf_len'] = m.bufLen;
    out['mbuf.data_len'] = m.dataLen;
    out['mbuf.ol_flags'] = m.olFlags;
    out['mbuf.data_off'] = m.dataOff;
    out['mbuf.phys_addr'] = m.physAddr;
    out['mbuf.packet_type'] = m.packetType;
    headersToFields(r.headers, out);
  },
};
