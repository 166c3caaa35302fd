// Field values: equality across number/bigint, and how a value is printed in messages.

import type { FieldValue } from '../stage.js';

export function valuesEqual(a: FieldValue | undefined, b: FieldValue | undefined): boolean {
  if (a === b) return true;
  if ((typeof a === 'bigint' || typeof a === 'number') && (typeof b === 'bigint' || typeof b === 'number')) {
    return Number.isInteger(a) || typeof a === 'bigint' ? Number.isInteger(b) || typeof b === 'bigint' ? BigInt(a) === BigInt(b) : false : false;
  }
  return false;
}

export function formatValue(v: FieldValue | undefined): string {
  if (v === undefined) return '(absent)';
  if (v === null) return 'null';
  if (typeof v === 'bigint') return '0x' + v.toString(16);
  if (typeof v === 'string') return v === '' ? '""' : v;
  return String(v);
}
