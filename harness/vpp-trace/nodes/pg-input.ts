// pg-input (packet generator). NOT seen in a seed trace: the 18.01 shape as we understand it -
//   stream {name}, {n} bytes, {sw_if_index} sw_if_index
//   current data {cd}, length {len}, free-list {fl}, clone-count {n}[, totlen-nifb {n}][, trace 0x{ti:x}]
//   {Ethernet decode at column 2}
// A pg trace that does not fit keeps its raw lines (the parser never fails on it).

import { type BufferText, formatVlibBuffer, parseVlibBuffer } from '../format/buffer.js';
import { type HeaderChain, formatHeaders, headersToFields, parseHeaders } from '../format/headers.js';
import { dec } from '../format/vppinfra.js';
import { type NodeKind, expectEnd, match, trimAll } from './kind.js';

export interface PgInputRecord {
  stream: string;
  packetLength: number;
  swIfIndex: number;
  buffer: BufferText;
  headers: HeaderChain;
}

const L1 = /^stream (\S+), (\d+) bytes, (-?\d+) sw_if_index$/;

export const pgInput: NodeKind<PgInputRecord> = {
  kind: 'pg-input',
  format(r) {
    const b = formatVlibBuffer(r.buffer, 2);
    return [`  stream ${r.stream}, ${dec(r.packetLength)} bytes, ${dec(r.swIfIndex)} sw_if_index`, `  ${b[0]}`, ...b.slice(1), ...formatHeaders(r.headers, 2)];
  },
  parse(lines) {
    const t = trimAll(lines);
    const a = match(L1, t, 0, 'pg stream');
    const b = parseVlibBuffer(t[1] ?? '', t, 1);
    const h = parseHeaders(t, b.next, 'eth');
    expectEnd(t, h.next);
    return { stream: a[1], packetLength: Number(a[2]), swIfIndex: Number(a[3]), buffer: b.b, headers: h.headers };
  },
  toFields(r, out) {
    out.stream = r.stream;
    out.len = r.packetLength;
    out.sw_if_index = r.swIfIndex;
    out.current_data = r.buffer.currentData;
    out.length = r.buffer.length;
    headersToFields(r.headers, out);
  },
};
