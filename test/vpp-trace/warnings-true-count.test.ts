// Seed 004 (a markdown document of pasted traces) gives 188 reader warnings. `trace parse` ended with
// `84 warning(s)` (188 with -v) and `parse --json` held 84 entries, one a synthetic "105 more"
// summary (188 with -v): the reader capped what it kept at 50 of a kind. Grouping warnings by kind is
// a matter of printing only (warning-line.ts): the count is the true count in every mode, the JSON
// carries every warning, typed (line, code, message), and memory stays bounded by spooling the
// warnings past a bound (spooled.ts), as a streamed read's checksum warnings were.

import { describe, expect, it } from 'vitest';
import { readTraceFile } from '../../harness/vpp-trace/read.js';
import { allWarnings, warningCount } from '../../harness/vpp-trace/spooled.js';
import { dpconform } from '../cli/spawn-cli.js';

const SEED = 'golden/contiv/seed/004_c3bde7ba11825164.txt';
const ALL = 188;

const json = (args: string[]) => JSON.parse(dpconform(['trace', 'parse', '--json', ...args, SEED]).stdout) as { warnings: Array<Record<string, unknown>> };

describe('trace warnings: the true count, every warning in the JSON', () => {
  it('trace parse counts every warning, with -v and without; the grouped lines account for all of them', () => {
    for (const v of [[], ['-v']]) expect(dpconform(['trace', 'parse', ...v, SEED]).stdout).toMatch(new RegExp(`, ${ALL} warning\\(s\\)\\n$`));
    const grouped = dpconform(['trace', 'parse', SEED]).errLines;
    const counted = grouped.reduce((n, l) => n + Number(/: (\d+) more '/.exec(l)?.[1] ?? 1), 0);
    expect(counted).toBe(ALL);
  });

  it('parse --json holds every warning, typed, and no summary entry, with -v or without', () => {
    for (const v of [[], ['-v']]) {
      const { warnings } = json(v);
      expect(warnings).toHaveLength(ALL);
      expect(warnings.every((w) => Object.keys(w).join() === 'line,code,message')).toBe(true);
      expect(warnings.filter((w) => / more /.test(String(w.message)))).toEqual([]);
    }
  });

  it('past a bound the reader spools them: the count and the list are the same', async () => {
    const whole = await readTraceFile(SEED, { keepPackets: false, keepSegments: false });
    const bounded = await readTraceFile(SEED, { keepPackets: false, keepSegments: false, warningsHeld: 10 });
    expect(whole.warnings).toHaveLength(ALL);
    expect(bounded.warnings).toHaveLength(10);
    expect(warningCount(bounded)).toBe(ALL);
    expect([...allWarnings(bounded)]).toEqual(whole.warnings);
  });
});
