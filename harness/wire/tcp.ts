// TCP header (RFC 9293) with options: EOL, NOP, MSS (RFC 9293), window scale and timestamps
// (RFC 7323), SACK-permitted and SACK (RFC 2018). An option of a known kind with an unexpected
// length, and any unknown kind, is kept raw so emit(parse(x)) == x. The checksum covers a
// pseudo-header and the whole segment, so it is filled over the packet, not from the Repr.

import { u16, u32, setU16, setU32 } from './bytes.js';
import { PortsView } from './ports.js';
import { checksumWithFieldZeroed, verifiesTo0xffff } from './checksum.js';
import { WireError, ensureLength } from './wire-error.js';

export const TCP_MIN_HEADER_LEN = 20;

export const TcpFlags = { FIN: 0x01, SYN: 0x02, RST: 0x04, PSH: 0x08, ACK: 0x10, URG: 0x20, ECE: 0x40, CWR: 0x80, AE: 0x100 } as const;

export const TcpOptionKind = { EOL: 0, NOP: 1, MSS: 2, WSCALE: 3, SACK_PERMITTED: 4, SACK: 5, TIMESTAMPS: 8 } as const;

export type TcpOption =
  | { kind: 'eol'; /** Bytes after EOL up to the end of the header (normally zeros). */ padding: Uint8Array }
  | { kind: 'nop' }
  | { kind: 'mss'; value: number }
  | { kind: 'wscale'; shift: number }
  | { kind: 'sack_permitted' }
  | { kind: 'sack'; blocks: Array<[number, number]> }
  | { kind: 'timestamps'; tsval: number; tsecr: number }
  | { kind: 'unknown'; type: number; data: Uint8Array };

export interface TcpRepr {
  srcPort: number;
  dstPort: number;
  seq: number;
  ack: number;
  headerLength: number;
  /** The 3 reserved bits above AE (normally 0). */
  reserved: number;
  /** 9 flag bits: AE(NS) CWR ECE URG ACK PSH RST SYN FIN. */
  flags: number;
  window: number;
  checksum: number;
  urgent: number;
  options: TcpOption[];
}

export class TcpView extends PortsView {
  get seq(): number { return u32(this.b, this.off + 4); }
  set seq(v: number) { setU32(this.b, this.off + 4, v); }
  get ack(): number { return u32(this.b, this.off + 8); }
  set ack(v: number) { setU32(this.b, this.off + 8, v); }
  get headerLength(): number { return (this.b[this.off + 12] >> 4) * 4; }
  get reserved(): number { return (this.b[this.off + 12] >> 1) & 7; }
  get flags(): number { return ((this.b[this.off + 12] & 1) << 8) | this.b[this.off + 13]; }
  set flags(v: number) {
    this.b[this.off + 12] = (this.b[this.off + 12] & 0xfe) | ((v >> 8) & 1);
    this.b[this.off + 13] = v & 0xff;
  }
  get window(): number { return u16(this.b, this.off + 14); }
  set window(v: number) { setU16(this.b, this.off + 14, v); }
  get checksum(): number { return u16(this.b, this.off + 16); }
  set checksum(v: number) { setU16(this.b, this.off + 16, v); }
  get checksumOffset(): number { return this.off + 16; }
  get urgent(): number { return u16(this.b, this.off + 18); }
  set urgent(v: number) { setU16(this.b, this.off + 18, v); }
  get payloadOffset(): number { return this.off + this.headerLength; }

  /** Checksum to store for a segment of `length` bytes with pseudo-header sum `pseudoSum`. */
  computeChecksum(length: number, pseudoSum: number): number { return checksumWithFieldZeroed(this.b, this.off, length, this.checksumOffset, pseudoSum); }
  checksumValid(length: number, pseudoSum: number): boolean { return verifiesTo0xffff(this.b, this.off, length, pseudoSum); }
  fillChecksum(length: number, pseudoSum: number): void { this.checksum = this.computeChecksum(length, pseudoSum); }
}

/** Parse the option bytes [off, end). Throws WireError at an option that overruns the header. */
export function parseTcpOptions(b: Uint8Array, off: number, end: number): TcpOption[] {
  const out: TcpOption[] = [];
  let p = off;
  while (p < end) {
    const kind = b[p];
    if (kind === TcpOptionKind.EOL) {
      out.push({ kind: 'eol', padding: b.slice(p + 1, end) });
      break;
    }
    if (kind === TcpOptionKind.NOP) {
      out.push({ kind: 'nop' });
      p++;
      continue;
    }
    if (p + 2 > end) throw new WireError(`TCP option ${kind} has no length byte`, p);
    const len = b[p + 1];
    if (len < 2 || p + len > end) throw new WireError(`TCP option ${kind} length ${len} overruns the header`, p);
    out.push(decodeTcpOption(b, p, kind, len));
    p += len;
  }
  return out;
}

function decodeTcpOption(b: Uint8Array, p: number, kind: number, len: number): TcpOption {
  if (kind === TcpOptionKind.MSS && len === 4) return { kind: 'mss', value: u16(b, p + 2) };
  if (kind === TcpOptionKind.WSCALE && len === 3) return { kind: 'wscale', shift: b[p + 2] };
  if (kind === TcpOptionKind.SACK_PERMITTED && len === 2) return { kind: 'sack_permitted' };
  if (kind === TcpOptionKind.TIMESTAMPS && len === 10) return { kind: 'timestamps', tsval: u32(b, p + 2), tsecr: u32(b, p + 6) };
  if (kind === TcpOptionKind.SACK && len >= 10 && (len - 2) % 8 === 0) {
    const blocks: Array<[number, number]> = [];
    for (let q = p + 2; q < p + len; q += 8) blocks.push([u32(b, q), u32(b, q + 4)]);
    return { kind: 'sack', blocks };
  }
  return { kind: 'unknown', type: kind, data: b.slice(p + 2, p + len) };
}

export function tcpOptionLength(o: TcpOption): number {
  switch (o.kind) {
    case 'eol': return 1 + o.padding.length;
    case 'nop': return 1;
    case 'mss': return 4;
    case 'wscale': return 3;
    case 'sack_permitted': return 2;
    case 'sack': return 2 + 8 * o.blocks.length;
    case 'timestamps': return 10;
    case 'unknown': return 2 + o.data.length;
  }
}

/** Writes the options at `off`; returns the offset after them. */
export function emitTcpOptions(options: readonly TcpOption[], b: Uint8Array, off: number): number {
  let p = off;
  for (const o of options) {
    switch (o.kind) {
      case 'eol':
        b[p] = 0;
        b.set(o.padding, p + 1);
        break;
      case 'nop':
        b[p] = 1;
        break;
      case 'mss':
        b[p] = 2; b[p + 1] = 4; setU16(b, p + 2, o.value);
        break;
      case 'wscale':
        b[p] = 3; b[p + 1] = 3; b[p + 2] = o.shift;
        break;
      case 'sack_permitted':
        b[p] = 4; b[p + 1] = 2;
        break;
      case 'sack':
        b[p] = 5; b[p + 1] = 2 + 8 * o.blocks.length;
        o.blocks.forEach(([l, r], i) => {
          setU32(b, p + 2 + 8 * i, l);
          setU32(b, p + 6 + 8 * i, r);
        });
        break;
      case 'timestamps':
        b[p] = 8; b[p + 1] = 10; setU32(b, p + 2, o.tsval); setU32(b, p + 6, o.tsecr);
        break;
      case 'unknown':
        b[p] = o.type; b[p + 1] = 2 + o.data.length; b.set(o.data, p + 2);
        break;
    }
    p += tcpOptionLength(o);
  }
  return p;
}

export function parseTcp(b: Uint8Array, off = 0, end = b.length): TcpRepr {
  ensureLength(b, off, TCP_MIN_HEADER_LEN, 'TCP header', end);
  const v = new TcpView(b, off);
  const hl = v.headerLength;
  if (hl < TCP_MIN_HEADER_LEN) throw new WireError(`TCP data offset ${hl} < 20`, off + 12);
  ensureLength(b, off, hl, 'TCP options', end);
  return {
    srcPort: v.srcPort,
    dstPort: v.dstPort,
    seq: v.seq,
    ack: v.ack,
    headerLength: hl,
    reserved: v.reserved,
    flags: v.flags,
    window: v.window,
    checksum: v.checksum,
    urgent: v.urgent,
    options: parseTcpOptions(b, off + TCP_MIN_HEADER_LEN, off + hl),
  };
}

/** The header length the options need, rounded up to 4 (emit pads with zeros = EOL). */
export function tcpHeaderLengthFor(options: readonly TcpOption[]): number {
  const n = options.reduce((s, o) => s + tcpOptionLength(o), 0);
  return TCP_MIN_HEADER_LEN + Math.ceil(n / 4) * 4;
}

/**
 * Writes the header (checksum as in the Repr: fill it over the whole segment with
 * TcpView.fillChecksum once the payload is in place). headerLength must fit the options.
 */
export function emitTcp(r: TcpRepr, out?: Uint8Array, off = 0): Uint8Array {
  const hl = r.headerLength;
  const optLen = r.options.reduce((s, o) => s + tcpOptionLength(o), 0);
  if (hl % 4 !== 0 || hl < TCP_MIN_HEADER_LEN + optLen || hl > 60) throw new WireError(`TCP header length ${hl} does not fit ${optLen} option bytes`);
  const b = out ?? new Uint8Array(hl);
  ensureLength(b, off, hl, 'TCP output buffer');
  const v = new TcpView(b, off);
  v.srcPort = r.srcPort;
  v.dstPort = r.dstPort;
  v.seq = r.seq;
  v.ack = r.ack;
  b[off + 12] = ((hl / 4) << 4) | ((r.reserved & 7) << 1);
  v.flags = r.flags;
  v.window = r.window;
  v.checksum = r.checksum;
  v.urgent = r.urgent;
  const p = emitTcpOptions(r.options, b, off + TCP_MIN_HEADER_LEN);
  b.fill(0, p, off + hl);
  return b;
}
