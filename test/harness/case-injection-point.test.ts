// An injection point the VPP model refuses (instance, interface, graph node) is case.yaml's to fix: it
// is reported at the input's entry, key inputs[i].at, naming the input. It named the scenario file,
// which was right, with no line.

import { describe, expect, it } from 'vitest';
import { join, resolve } from 'node:path';
import { runSuite } from '../../harness/suite/run-suite.js';
import { hostToPodCase } from './vpp-case.js';

const REPO = resolve(import.meta.dirname, '../..');

const caseWithAt = (at: string) => hostToPodCase({ at, golden: join(REPO, 'golden/contiv/host-to-pod.request.trace'), evidence: 'conformance' });

describe('an injection point the model refuses', () => {
  it.each([
    ['an instance', '{ instance: k8s-nope }', "no instance 'k8s-nope' in the scenario (has k8s-master, k8s-worker1)", 'replay.instance'],
    ['an interface', '{ instance: k8s-master, interface: tap99 }', "instance k8s-master has no interface 'tap99'", 'replay.interface'],
    ['a graph node', '{ instance: k8s-master, node: no-such-node }', "instance k8s-master has no graph node 'no-such-node'", 'replay.node'],
  ])('%s: reported at the input in case.yaml', async (_what, at, reason, code) => {
    const dir = caseWithAt(at);
    const r = await runSuite({ paths: [dir] });
    const file = join(dir, 'case.yaml');
    expect(r.cases[0].errors).toEqual([{ message: `${file} (line 5, key inputs[0].at): ${reason} (the packets of input.json)`, code, file, line: 5, key: 'inputs[0].at' }]);
    expect(r.exitCode).toBe(2);
  });
});
