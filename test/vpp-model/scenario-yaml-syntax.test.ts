// A scenario's YAML syntax error is one line: the reason, with the line in the location only. The
// parser's own ' at line N, column M:' (its code snippet followed) was left on, ending the line in a colon.
import { describe, expect, it } from 'vitest';
import { InputError } from '../../harness/io/input-error.js';
import { scenarioErrorOf } from './scenario-error-of.js';

const errorOf = (text: string) => scenarioErrorOf(text)!;

describe('a scenario with a YAML syntax error', () => {
  it.each([
    ['a tab as indentation', 'instances:\n  a:\n\tinterfaces: []\n', 3, 'YAML syntax: Tabs are not allowed as indentation'],
    ['an unclosed flow sequence', 'instances:\n  a:\n    interfaces: [\n', 4, expect.stringMatching(/^YAML syntax: [^\n]*[^:\n]$/)],
  ])('%s: the reason, the line in the location', (_what, text, line, reason) => {
    const e = errorOf(text);
    expect(e.where.line).toBe(line);
    expect(e.reason).toEqual(reason);
    expect(e.reason).not.toMatch(/ at line \d+/);
  });
});
