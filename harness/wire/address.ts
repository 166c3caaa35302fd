// Text forms of link and network addresses. IPv6 text follows RFC 5952 (what tcpdump, tshark and
// VPP print): lowercase, no leading zeros, the first longest run of two or more zero groups as "::".

import { WireError } from './wire-error.js';

// Text of every byte value, made once: address text is built per packet by the dissector (inspect,
// the oracle, the diff), where toString/padStart per byte and array joins were its largest costs.
const HEX2: readonly string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const DEC: readonly string[] = Array.from({ length: 256 }, (_, i) => String(i));

export function macToString(b: Uint8Array, off: number): string {
  return `${HEX2[b[off]]}:${HEX2[b[off + 1]]}:${HEX2[b[off + 2]]}:${HEX2[b[off + 3]]}:${HEX2[b[off + 4]]}:${HEX2[b[off + 5]]}`;
}

export function macToBytes(mac: string, out: Uint8Array = new Uint8Array(6), off = 0): Uint8Array {
  const parts = mac.split(/[:-]/);
  if (parts.length !== 6 || parts.some((p) => !/^[0-9a-fA-F]{1,2}$/.test(p))) throw new WireError(`bad MAC address '${mac}'`);
  for (let i = 0; i < 6; i++) out[off + i] = parseInt(parts[i], 16);
  return out;
}

export function ip4ToString(b: Uint8Array, off: number): string {
  return `${DEC[b[off]]}.${DEC[b[off + 1]]}.${DEC[b[off + 2]]}.${DEC[b[off + 3]]}`;
}

export function ip4ToBytes(ip: string, out: Uint8Array = new Uint8Array(4), off = 0): Uint8Array {
  const parts = ip.split('.');
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) throw new WireError(`bad IPv4 address '${ip}'`);
  for (let i = 0; i < 4; i++) out[off + i] = Number(parts[i]);
  return out;
}

/** IPv4 address as an unsigned 32-bit number (network order value). */
export function ip4ToU32(ip: string): number {
  const b = ip4ToBytes(ip);
  return ((b[0] << 24) >>> 0) + (b[1] << 16) + (b[2] << 8) + b[3];
}

export function u32ToIp4(v: number): string {
  return `${(v >>> 24) & 255}.${(v >>> 16) & 255}.${(v >>> 8) & 255}.${v & 255}`;
}

/** The 16-bit groups of the address being formatted (one module scratch: formatting is synchronous). */
const groups = new Uint16Array(8);

export function ip6ToString(b: Uint8Array, off: number): string {
  for (let i = 0; i < 8; i++) groups[i] = (b[off + 2 * i] << 8) | b[off + 2 * i + 1];
  // The first longest run of two or more zero groups becomes "::" (RFC 5952 4.2.2, 4.2.3).
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  let s = '';
  for (let i = 0; i < 8; i++) {
    if (i === bestStart) {
      s += '::';
      i += bestLen - 1;
      continue;
    }
    if (s !== '' && !s.endsWith(':')) s += ':';
    s += groups[i].toString(16);
  }
  return s;
}

export function ip6ToBytes(ip: string, out: Uint8Array = new Uint8Array(16), off = 0): Uint8Array {
  // An embedded dotted quad (::ffff:1.2.3.4) is rewritten as its two hex groups first.
  const text = ip.replace(/(\d+\.\d+\.\d+\.\d+)$/, (v4) => {
    const b = ip4ToBytes(v4);
    return `${((b[0] << 8) | b[1]).toString(16)}:${((b[2] << 8) | b[3]).toString(16)}`;
  });
  const halves = text.split('::');
  if (halves.length > 2) throw new WireError(`bad IPv6 address '${ip}'`);
  const parse = (s: string): number[] =>
    s === ''
      ? []
      : s.split(':').map((p) => {
          if (!/^[0-9a-fA-F]{1,4}$/.test(p)) throw new WireError(`bad IPv6 address '${ip}'`);
          return parseInt(p, 16);
        });
  const head = parse(halves[0]);
  const tail = halves.length === 2 ? parse(halves[1]) : [];
  const given = head.length + tail.length;
  if (halves.length === 1 ? given !== 8 : given > 7) throw new WireError(`bad IPv6 address '${ip}'`);
  const groups = [...head, ...new Array<number>(8 - given).fill(0), ...tail];
  for (let i = 0; i < 8; i++) {
    out[off + 2 * i] = groups[i] >>> 8;
    out[off + 2 * i + 1] = groups[i] & 0xff;
  }
  return out;
}
