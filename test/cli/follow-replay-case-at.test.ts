// `replay --case DIR` with an input whose `at:` the model refuses (no such instance, interface or
// graph node) blamed the scenario file, with no line: `scenario.yaml: instance k8s-master has no
// interface 'tap99'`. The scenario was right; case.yaml's entry is named, line and key
// inputs[i].at, as `run` reports it (test/harness/case-injection-point.test.ts).

import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { hostToPodCase } from '../harness/vpp-case.js';
import { dpconform } from './spawn-cli.js';

const REPO = resolve(import.meta.dirname, '../..');
const GOLDEN = join(REPO, 'golden/contiv/host-to-pod.request.trace');

describe('replay --case: an injection point the model refuses is named at the input in case.yaml', () => {
  it.each([
    ['an instance', '{ instance: k8s-nope }', "no instance 'k8s-nope' in the scenario (has k8s-master, k8s-worker1)"],
    ['an interface', '{ instance: k8s-master, interface: tap99 }', "instance k8s-master has no interface 'tap99'"],
    ['a graph node', '{ instance: k8s-master, node: no-such-node }', "instance k8s-master has no graph node 'no-such-node'"],
  ])('%s (a stage-record input)', (_what, at, reason) => {
    const dir = hostToPodCase({ at, golden: GOLDEN, evidence: 'conformance' });
    const r = dpconform(['replay', '--case', dir]);
    expect(r.errLines).toEqual([`dpconform: ${join(dir, 'case.yaml')} (line 5, key inputs[0].at): ${reason} (the packets of input.json)`]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
  });
});

/** hostToPodCase with a second input: `trace` (VPP trace text) entering at `at` (case.yaml lines 6-7). */
function withTraceInput(trace: string, at: string): string {
  const dir = hostToPodCase({ golden: GOLDEN, evidence: 'conformance' });
  writeFileSync(join(dir, 'request.trace'), trace);
  const yaml = join(dir, 'case.yaml');
  writeFileSync(yaml, readFileSync(yaml, 'utf8').replace('golden:', `  - file: request.trace\n    at: ${at}\ngolden:`));
  return dir;
}

describe('replay --case: a VPP trace input', () => {
  it('entering an instance the scenario lacks, the second input: inputs[1].at', () => {
    const dir = withTraceInput(readFileSync(GOLDEN, 'utf8'), '{ instance: k8s-nope }');
    const r = dpconform(['replay', '--case', dir]);
    expect(r.errLines).toEqual([`dpconform: ${join(dir, 'case.yaml')} (line 7, key inputs[1].at): no instance 'k8s-nope' in the scenario (has k8s-master, k8s-worker1) (the packets of request.trace)`]);
    expect(r.status).toBe(2);
  });

  it("a record's hw_if_index no interface has stays at the trace's line: the case's at: is not to blame", () => {
    const dir = withTraceInput(readFileSync(GOLDEN, 'utf8').replace('hw_if_index 2 ', 'hw_if_index 4000 '), '{ instance: k8s-master }');
    const r = dpconform(['replay', '--case', dir]);
    expect(r.errLines).toHaveLength(1);
    expect(r.errLines[0].startsWith(`dpconform: ${join(dir, 'request.trace')} (line 1, packet 1): the virtio-input record names hw_if_index 4000, which no interface of instance k8s-master has `)).toBe(true);
    expect(r.status).toBe(2);
  });
});

describe('replay --case: a good case', () => {
  it('a good case still replays (exit 0)', () => {
    const r = dpconform(['replay', '--case', hostToPodCase({ golden: GOLDEN, evidence: 'conformance' })]);
    expect(r.errLines).toEqual([]);
    expect(r.stdout).toContain('virtio-input');
    expect(r.status).toBe(0);
  });
});
