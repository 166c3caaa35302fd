// Every Contiv case (fixtures/contiv/*/*/case.yaml) through the harness's own case runner against
// the seed 004 goldens: each must match on every non-masked field. Then each mechanism is switched
// off in turn and the run must fail, naming the first diverging stage and field.
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { DataplaneModel } from '../../harness/model.js';
import { loadCase } from '../../harness/suite/load-case.js';
import { runCase } from '../../harness/suite/run-case.js';
import { Fault, type FaultName } from '../../models/vpp/graph.js';
import { vppModel, type VppInstance } from '../../models/vpp/index.js';
import { DIRECTIONS, FLOWS } from './contiv-flows.js';

function withFaults(faults: FaultName[]): DataplaneModel {
  return {
    name: 'vpp',
    async instantiate(path) {
      const inst = (await vppModel.instantiate(path)) as VppInstance;
      for (const f of faults) inst.setFault(f);
      return inst;
    },
  };
}

async function run(dir: string, faults: FaultName[] = []) {
  const { spec, errors } = loadCase(`fixtures/contiv/${dir}/case.yaml`, dir);
  if (!spec) throw errors[0];
  return runCase(spec, { resolveModel: async () => withFaults(faults) });
}

describe('contiv cases against seed 004 (every non-masked field)', () => {
  it('every flow folder has a request and a response case', () => {
    for (const f of FLOWS) expect(readdirSync(`fixtures/contiv/${f.name}`).sort()).toEqual(['request', 'response', 'scenario.yaml']);
  });
  for (const flow of FLOWS)
    for (const dir of DIRECTIONS)
      it(`${flow.name}/${dir}`, async () => {
        const r = await run(`${flow.name}/${dir}`);
        expect(r.errors).toEqual([]);
        expect(r.summary).toBeUndefined();
        expect(r.status).toBe('passed');
        const traces = r.comparisons[0].diff!.traces.length;
        // request: one trace per node crossed; response: the request's and the response's
        expect(traces).toBe((flow.enters[0] === flow.enters[1] ? 1 : 2) * (dir === 'request' ? 1 : 2));
        expect(r.counters.compared).toBeGreaterThan(140 * traces);
        expect(r.counters.matched).toBe(r.counters.compared);
      });
});

describe('switching a mechanism off fails the conformance run at the first diverging stage and field', () => {
  const faults: Array<[FaultName, string, RegExp]> = [
    // ip4-rewrite's first compared field is its dump: TTL 0x40 where 0x3f, checksum f087 where f187
    [Fault.TTL_DECREMENT, 'pod-to-pod-same-node/request', /ip4-rewrite: dump expected .*40003f06f187.*, got .*40004006f187/],
    [Fault.IP4_CHECKSUM_UPDATE, 'pod-to-pod-same-node/request', /ip4-rewrite: dump expected .*3f06f187.*, got .*3f06f087/],
    [Fault.MAC_REWRITE, 'host-to-pod/request', /ip4-rewrite: /],
    [Fault.VXLAN_SOURCE_PORT, 'pod-to-pod-other-node/request', /ip4-load-balance: .*udp\.src_port/],
    // the outer's first dump: VXLAN header 08000000 00000a00 (VNI 10) becomes VNI 11
    [Fault.VXLAN_VNI, 'pod-to-service-other-node/request', /ip4-rewrite: dump expected .*0800000000000a00.*, got .*0800000000000b00/],
    // the VIP stays: the lookup resolves the service address (no route: dpo 0) instead of the backend's adjacency
    [Fault.NAT_TRANSLATION, 'pod-to-service-same-node/request', /ip4-lookup: dpo_idx expected 10, got 0/],
    [Fault.NAT_CHECKSUM_UPDATE, 'pod-to-service-host-stack/request', /ip4-lookup: .*checksum/],
    [Fault.ACL_SESSIONS, 'pod-to-pod-same-node/response', /acl-plugin-out-ip4-fa: /],
  ];
  for (const [fault, dir, where] of faults)
    it(`${fault} off: ${dir} fails at ${where.source}`, async () => {
      const r = await run(dir, [fault]);
      expect(r.status).toBe('failed');
      expect(r.summary, r.summary).toMatch(where);
    });
});
