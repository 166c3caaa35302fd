// `check` says what the model assumed where the dataplane's source leaves an outcome open
// (ModelInstance.assumptions: the VPP model's ACL sessions kept a second past the idle check that
// found them, test/cli/replay-acl-session-expiry.test.ts), beside its verdict: a MATCH resting on it
// is not the capture's word alone.
import { describe, expect, it } from 'vitest';
import { formatCheck, type CheckResult } from '../../harness/check/check.js';

const result = (assumptions: string[]): CheckResult => ({ verdict: 'MATCH', inputs: 2, predicted: 2, matched: 2, captured: 2, devices: ['vpp1:tap1'], uncaptured: [], divergences: [], bound: [], assumptions });

describe('check: the model\'s assumptions beside the verdict', () => {
  it('each as a note line before the verdict; none, no line', () => {
    const lines = formatCheck(result(['vpp1: 1 packet found an ACL session ...']));
    expect(lines).toContain('check: note: vpp1: 1 packet found an ACL session ...');
    expect(lines.indexOf('check: note: vpp1: 1 packet found an ACL session ...')).toBeLessThan(lines.findIndex((l) => l.startsWith('check: MATCH')));
    expect(formatCheck(result([])).some((l) => l.includes('note:'))).toBe(false);
  });
});
