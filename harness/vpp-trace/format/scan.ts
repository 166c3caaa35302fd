// Hand-written line scanner for the trace parser's hot path. A trace line is VPP `format()` text:
// literal words with holes (`tos 0x%x, ttl %d, length %d, checksum 0x%x`). A LineTemplate matches
// such a line with charCode comparisons and `startsWith(lit, pos)` - no RegExp, no match arrays, no
// trimmed copies: numbers are accumulated in place, only string holes (addresses, names) allocate.
// Leading and trailing spaces of the line are ignored (pasted traces shift columns).
//
// Holes: %d  signed decimal (`-1` is how VPP prints u32 ~0)   %u  unsigned decimal
//        %x  lowercase hex digits (value < 2^53)               %i  IPv4 dotted quad (text)
//        %m  MAC aa:bb:cc:dd:ee:ff (text, lowercase)           %s  text up to the next literal's
//            first character (or the end of the line), at least one character
// Values land in `v` (reused per template: read them before the next match of the same template).

const SP = 32;

/** Index of the first non-space character. */
export function lineStart(s: string): number {
  let i = 0;
  while (i < s.length && s.charCodeAt(i) === SP) i++;
  return i;
}

/** Index after the last non-space character. */
export function lineEnd(s: string): number {
  let e = s.length;
  while (e > 0 && s.charCodeAt(e - 1) === SP) e--;
  return e;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** Value of a lowercase hex digit, -1 otherwise (uppercase is not what VPP prints). */
export function hexDigit(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  return -1;
}

const HOLE_DEC = 1;
const HOLE_UDEC = 2;
const HOLE_HEX = 3;
const HOLE_IP4 = 4;
const HOLE_MAC = 5;
const HOLE_TEXT = 6;
const HOLES: Record<string, number> = { d: HOLE_DEC, u: HOLE_UDEC, x: HOLE_HEX, i: HOLE_IP4, m: HOLE_MAC, s: HOLE_TEXT };
/** Largest value of an unsized %d (a 32-bit int; -2^31 is the least) and %u (a 32-bit unsigned). */
const UNSIZED_MAX: Record<number, number> = { [HOLE_DEC]: 2 ** 31 - 1, [HOLE_UDEC]: 2 ** 32 - 1 };

export class LineTemplate {
  /** lits[k] precedes hole k; the last one follows the last hole. */
  private readonly lits: string[] = [];
  private readonly holes: number[] = [];
  /** Largest value each number hole accepts. */
  private readonly max: number[] = [];
  /** Captured values, in hole order. */
  readonly v: Array<number | string> = [];
  /** Where the last matchAt stopped. */
  end = 0;

  constructor(readonly spec: string) {
    let lit = '';
    for (let i = 0; i < spec.length; i++) {
      const c = spec[i];
      if (c === '%' && i + 1 < spec.length && HOLES[spec[i + 1]] !== undefined) {
        this.lits.push(lit);
        this.holes.push(HOLES[spec[++i]]);
        // A field's width (`%u8`, `%x16`, `%u32`): the C type VPP printed it from, so a wider value
        // is text VPP cannot have printed, not a number to truncate or to size a buffer by.
        const width = /^(8|16|32)/.exec(spec.slice(i + 1));
        // Without one, vppinfra's format reads %d and %u as a 32-bit int (vpp-facts §2.1): a u32
        // printed with %d above 2^31 - 1 shows negative, and nothing is past 2^32 - 1 (virtio
        // `len 4294967296` was read as a length).
        this.max.push(width ? 2 ** Number(width[1]) - 1 : UNSIZED_MAX[this.holes[this.holes.length - 1]] ?? Number.MAX_SAFE_INTEGER);
        if (width) i += width[1].length;
        lit = '';
      } else lit += c;
    }
    this.lits.push(lit);
    for (let k = 0; k < this.holes.length; k++) this.v.push(0);
  }

  /** Number value of hole k. */
  n(k: number): number {
    return this.v[k] as number;
  }

  /** Text value of hole k. */
  s(k: number): string {
    return this.v[k] as string;
  }

  /** Match the whole line (surrounding spaces ignored). */
  match(line: string | undefined): boolean {
    if (line === undefined) return false;
    const e = lineEnd(line);
    return this.matchAt(line, lineStart(line), e) === e;
  }

  /** Match from `pos` up to at most `limit`; returns the position after the template or -1. */
  matchAt(line: string, pos: number, limit: number): number {
    const lits = this.lits;
    const holes = this.holes;
    let p = pos;
    for (let k = 0; ; k++) {
      const lit = lits[k];
      if (lit.length) {
        if (p + lit.length > limit || !line.startsWith(lit, p)) return -1;
        p += lit.length;
      }
      if (k === holes.length) break;
      p = this.hole(k, line, p, limit, lits[k + 1]);
      if (p < 0) return -1;
    }
    this.end = p;
    return p;
  }

  private hole(k: number, line: string, p: number, limit: number, next: string): number {
    const start = p;
    switch (this.holes[k]) {
      case HOLE_DEC:
      case HOLE_UDEC: {
        let neg = false;
        if (this.holes[k] === HOLE_DEC && p < limit && line.charCodeAt(p) === 45) {
          neg = true;
          p++;
        }
        let v = 0;
        const d0 = p;
        for (let c; p < limit && isDigit((c = line.charCodeAt(p))); p++) v = v * 10 + (c - 48);
        if (p === d0 || p - d0 > 15 || v > this.max[k] + (neg ? 1 : 0)) return -1;
        this.v[k] = neg ? -v : v;
        return p;
      }
      case HOLE_HEX: {
        let v = 0;
        for (let d; p < limit && (d = hexDigit(line.charCodeAt(p))) >= 0; p++) v = v * 16 + d;
        if (p === start || p - start > 13 || v > this.max[k]) return -1;
        this.v[k] = v;
        return p;
      }
      case HOLE_IP4: {
        for (let part = 0; part < 4; part++) {
          if (part > 0) {
            if (p >= limit || line.charCodeAt(p) !== 46) return -1;
            p++;
          }
          const d0 = p;
          let octet = 0;
          for (let c; p < limit && isDigit((c = line.charCodeAt(p))); p++) octet = octet * 10 + (c - 48);
          if (p === d0 || p - d0 > 3 || octet > 255) return -1;
        }
        this.v[k] = line.slice(start, p);
        return p;
      }
      case HOLE_MAC: {
        if (p + 17 > limit) return -1;
        for (let i = 0; i < 17; i++) {
          const c = line.charCodeAt(p + i);
          if (i % 3 === 2 ? c !== 58 : hexDigit(c) < 0) return -1;
        }
        this.v[k] = line.slice(p, p + 17);
        return p + 17;
      }
      default: {
        if (next.length === 0) p = limit;
        else {
          const stop = next.charCodeAt(0);
          while (p < limit && line.charCodeAt(p) !== stop) p++;
        }
        if (p === start) return -1;
        this.v[k] = line.slice(start, p);
        return p;
      }
    }
  }
}

/** Whether `line` from `pos` to its end (trailing spaces ignored) is exactly `text`. */
export function restIs(line: string, pos: number, text: string): boolean {
  return lineEnd(line) === pos + text.length && line.startsWith(text, pos);
}

/** The line without surrounding spaces: only for messages and rare paths. */
export function trimmed(line: string | undefined): string {
  return line === undefined ? '' : line.trim();
}
