// Results as JSON-safe data: bigint as {"$bigint": "0x.."}, packets as hex with known ranges.
// The JSON reporter prints this; the HTML reporter embeds it.

import type { SuiteResult } from '../suite/result.js';
import { hex } from '../wire/bytes.js';
import { KnownBytes } from '../wire/known.js';

export function toJsonSafe(value: unknown): unknown {
  return JSON.parse(
    JSON.stringify(value, (key, v) => {
      if (typeof v === 'bigint') return { $bigint: '0x' + v.toString(16) };
      if (v instanceof Uint8Array) return hex(v);
      if (v instanceof KnownBytes) return v.isComplete() ? undefined : v.ranges();
      if (v instanceof RegExp) return v.source;
      return v;
    }),
  );
}

export function jsonReport(r: SuiteResult): string {
  return JSON.stringify({ format: 'dpconform-run', version: 1, ...(toJsonSafe(r) as object) }, null, 2) + '\n';
}
