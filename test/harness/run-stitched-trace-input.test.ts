// A case whose input is a VPP trace holding a packet and its continuation on the peer node (the
// stitch `trace parse` counts): `run` injected the continuation as an input of its own, its VXLAN
// header and inner frame zeros (now refused: entry-headers.ts), where `replay` leaves it out
// (harness/vpp-trace/continuation.ts, one implementation for both). Seed 004's pod-to-pod-other-node
// request as the input of its own golden: packet 1 through the master makes both traces.

import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { readInputPackets } from '../../harness/suite/sources.js';
import { runSuite } from '../../harness/suite/run-suite.js';

const REPO = resolve(import.meta.dirname, '../..');
const TRACE = join(REPO, 'golden/contiv/pod-to-pod-other-node.request.trace');

describe('a VPP trace input with a stitched continuation', () => {
  it('injects packet 1 alone', async () => {
    const inputs = await readInputPackets({ file: TRACE, kind: 'trace' });
    expect(inputs.map((i) => i.origin)).toEqual([`${TRACE} packet 1`]);
  });

  it('the peer packet picked alone (packets: [2]) is refused: its VXLAN header is in no record', async () => {
    await expect(readInputPackets({ file: TRACE, kind: 'trace', packets: [2] })).rejects.toThrow(/packet 2\): cannot rebuild the frame entering dpdk-input: no record shows its VXLAN header/);
  });

  it('run of the trace against itself passes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dpconform-stitched-input-'));
    // The masks are the bundled case's (fixtures/contiv/pod-to-pod-other-node/request): NAT session pool history.
    const masks = ['#1:nat44-in2out-output-slowpath.session_index', '#2:nat44-out2in.session_index'].map((path) => `  - { path: '${path}', reason: 'session pool history' }`);
    const at = '{ instance: k8s-master, interface: tap11 }'; // the virtio-input record's hw_if_index 7
    const scenario = join(REPO, 'fixtures/contiv/pod-to-pod-other-node/scenario.yaml');
    writeFileSync(join(dir, 'case.yaml'), `name: stitched-input\nmodel: vpp\nscenario: ${scenario}\ninputs: [{ file: ${TRACE}, at: ${at} }]\ngolden: { file: ${TRACE}, evidence: conformance }\nmasks:\n${masks.join('\n')}\n`);
    const r = await runSuite({ paths: [dir] });
    expect(r.cases[0].errors.map((e) => e.message).join('|')).toBe('');
    expect(r.cases[0].status).toBe('passed');
  });
});
