// Field values: equality across number/bigint, and how a value is printed in messages.

import type { FieldValue } from '../stage.js';
import { isChecksumKey } from './checksums.js';

export function valuesEqual(a: FieldValue | undefined, b: FieldValue | undefined): boolean {
  if (a === b) return true;
  if ((typeof a === 'bigint' || typeof a === 'number') && (typeof b === 'bigint' || typeof b === 'number')) {
    return Number.isInteger(a) || typeof a === 'bigint' ? Number.isInteger(b) || typeof b === 'bigint' ? BigInt(a) === BigInt(b) : false : false;
  }
  return false;
}

/** A checksum field's value as VPP's trace and inspect show it (0x%04x); undefined for any other field or value. */
export function checksumText(v: unknown, key: string): string | undefined {
  return typeof v === 'number' && isChecksumKey(key) && Number.isInteger(v) && v >= 0 && v <= 0xffff ? '0x' + v.toString(16).padStart(4, '0') : undefined;
}

/**
 * A value as a message shows it; `key` names its field. A 16-bit checksum in hex, 0x%04x, as VPP's
 * trace (format_ip4_header: "checksum 0x%04x") and `inspect` print it, so a value read in one output
 * is found in the other (JSON keeps the number).
 */
export function formatValue(v: FieldValue | undefined, key?: string): string {
  if (v === undefined) return '(absent)';
  const checksum = key === undefined ? undefined : checksumText(v, key);
  if (checksum !== undefined) return checksum;
  if (v === null) return 'null';
  if (typeof v === 'bigint') return '0x' + v.toString(16);
  if (typeof v === 'string') return v === '' ? '""' : v;
  return String(v);
}
