// `run`'s text report names files relative to where it runs (bound values, goldens, errors); a trace
// reader's warning under a case named the trace by its absolute path (the case resolves it), so one
// report mixed `/home/u/dpconform/golden/...:12: warning:` with `golden/...` (a newcomer's finding).
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { caseLines } from '../../harness/report/text.js';
import { emptyCounters } from '../../harness/diff/types.js';
import type { CaseResult } from '../../harness/suite/result.js';

const at = (warnings: string[]): CaseResult => ({ name: 'c', file: 'c/case.yaml', tags: [], status: 'passed', evidence: 'conformance', comparisons: [], errors: [], counters: emptyCounters(), durationMs: 1, warnings });

describe('run text report: reader warnings name their file as the rest of the report does', () => {
  it('relative to the working directory; a note or a relative name as it was', () => {
    const cwd = '/home/u/dpconform';
    const lines = caseLines(at([`${join(cwd, 'golden/contiv/x.trace')}:12: warning: indented line outside any stage`, 'note: vpp1: 1 packet found ...', 'golden/y.trace:3: warning: z']), { color: false, cwd });
    expect(lines.slice(1)).toEqual(['    golden/contiv/x.trace:12: warning: indented line outside any stage', '    note: vpp1: 1 packet found ...', '    golden/y.trace:3: warning: z']);
  });
});
