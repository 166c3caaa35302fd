// A VPP capture golden whose `interface:` the scenario lacks (`tap55` for tap5) matched none of the
// model's output: every golden frame "the model produced no trace" (exit 1), and --update wrote an
// empty capture over a snapshot. neutron-dvr goldens were refused already (golden-unknown-device
// .test.ts) because its instances list their devices; VPP instances list theirs now
// (VppInstance.devices), and the golden is refused at its interface: line. VPP's transmitted frames
// name the interface alone (graph.ts), so its goldens do too.

import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runSuite } from '../../harness/suite/run-suite.js';
import { runReplay } from '../../harness/cli/replay.js';
import { hostToPodCase } from './vpp-case.js';

/** host-to-pod/request with a snapshot capture golden of what it sends on `itf` (the pod's tap5), or no interface: at all. */
async function vppCaptureCase(itf: string | undefined): Promise<{ dir: string; golden: string }> {
  const dir = hostToPodCase({ golden: 'tap5.pcapng', evidence: 'snapshot' });
  const golden = join(dir, 'tap5.pcapng');
  writeFileSync(golden, await runReplay({ case: dir, format: 'pcap', output: golden }));
  const yaml = join(dir, 'case.yaml');
  if (itf !== undefined) writeFileSync(yaml, readFileSync(yaml, 'utf8').replace('golden: { file: tap5.pcapng,', `golden: { file: tap5.pcapng, interface: ${itf},`));
  return { dir, golden };
}

describe('a VPP capture golden on an interface the scenario lacks', () => {
  it('run --update: refused at the interface: key, naming the interfaces; the snapshot kept', async () => {
    const { dir, golden } = await vppCaptureCase('tap55');
    const before = readFileSync(golden);
    const r = await runSuite({ paths: [dir], update: true });
    expect(r.cases[0].errors).toMatchObject([{ code: 'run.unknown-device', file: join(dir, 'case.yaml'), line: 7, key: 'golden.interface' }]);
    expect(r.cases[0].errors[0].message).toMatch(/no interface 'tap55' in .*scenario\.yaml \(its interfaces: GigabitEthernet0\/8\/0, tap0, loop0, .*tap5, .*\)$/);
    expect(readFileSync(golden)).toEqual(before);
    expect(r.exitCode).toBe(2);
  });

  it('no interface: at all: refused at the golden', async () => {
    const { dir } = await vppCaptureCase(undefined);
    const r = await runSuite({ paths: [dir] });
    expect(r.cases[0].errors).toMatchObject([{ code: 'run.golden-device', line: 7, key: 'golden' }]);
    expect(r.cases[0].errors[0].message).toMatch(/a capture golden of a model with \d+ devices names the one it was taken on: add interface: IF$/);
  });

  it('the right interface passes', async () => {
    const r = await runSuite({ paths: [(await vppCaptureCase('tap5')).dir] });
    expect(r.cases[0].errors).toEqual([]);
    expect(r.cases[0].status).toBe('passed');
  });

});
