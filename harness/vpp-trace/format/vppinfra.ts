// vppinfra `format()` semantics that VPP's trace text depends on (vpp-facts §2.1):
//   - `%d` on a u32 goes through a signed 32-bit conversion, so ~0 prints `-1`;
//   - a field width is a minimum AND a maximum: padded to N, cut to the leftmost N characters;
//   - hex is lowercase.
// Records keep u32 "none" values as -1 (what the text shows); dec() prints 0xffffffff the same way.

/** `%d` of a u32/i32: signed 32-bit. */
export function dec(v: number): string {
  return String(v | 0);
}

/** `%u`: unsigned 32-bit. */
export function udec(v: number): string {
  return String(v >>> 0);
}

/** `%x`: unpadded lowercase hex of a u32 (numbers above 2^32 keep their full value). */
export function hexn(v: number): string {
  return (v > 0xffffffff ? v : v >>> 0).toString(16);
}

/** `%0Nx`: zero-padded to exactly N characters; longer text is cut to its leftmost N (vppinfra quirk). */
export function hexw(v: number, width: number): string {
  const s = hexn(v);
  return s.length >= width ? s.slice(0, width) : s.padStart(width, '0');
}

/** `%016lx` of a 64-bit word. */
export function hex64(v: bigint): string {
  const s = BigInt.asUintN(64, v).toString(16);
  return s.padStart(16, '0');
}

export function spaces(n: number): string {
  return n > 0 ? ' '.repeat(n) : '';
}

/** Parse `%d` text back; `-1` stays -1 (the record convention for u32 ~0). */
export function parseDec(s: string): number {
  const n = Number(s);
  if (!Number.isInteger(n)) throw new Error(`not a decimal number: '${s}'`);
  return n;
}

export function parseHex(s: string): number {
  const t = s.startsWith('0x') ? s.slice(2) : s;
  if (!/^[0-9a-fA-F]+$/.test(t)) throw new Error(`not a hex number: '${s}'`);
  return parseInt(t, 16);
}
