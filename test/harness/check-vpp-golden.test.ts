// `check --model vpp` against captures rebuilt from seed 004's real VPP traces (check-vpp-evidence.ts):
// the model's predictions must be attributed to the device that sent them (VPP names an output by
// its interface alone; check-vpp attribution, harness/check/output-devices.ts) and MATCH what real
// VPP transmitted; with a mechanism of the model switched off (graph.ts Fault) check must DIVERGE,
// naming the device, the stage and the field.

import { describe, expect, it, beforeAll } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCheck, type CheckResult } from '../../harness/check/check.js';
import type { DataplaneModel } from '../../harness/model.js';
import { VppInstance, vppModel } from '../../models/vpp/index.js';
import { loadScenario } from '../../models/vpp/configure.js';
import { Fault, type FaultName } from '../../models/vpp/graph.js';
import { framesOfTrace, podToServiceSameNodeFrames, recordNs, writeDeviceCaptures, type DeviceFrame } from './check-vpp-evidence.js';

const FIXTURES = join(import.meta.dirname, '../../fixtures/contiv');

/** A VPP instance that names no edge (as a scenario with no tap facing one MAC would): check must be told. */
class NoEdges extends VppInstance {
  override edges() {
    return [];
  }
}

function model(faults: FaultName[] = []): DataplaneModel {
  return {
    name: 'vpp',
    async instantiate(path: string) {
      const inst = new VppInstance(loadScenario(path));
      for (const f of faults) inst.setFault(f);
      return inst;
    },
  };
}

function check(scenario: string, files: Map<string, string>, faults: FaultName[] = []): Promise<CheckResult> {
  const captures = [...files].map(([device, file]) => ({ node: device.split(':')[0], iface: device.split(':')[1], file }));
  return runCheck({ model: model(faults), scenario, captures });
}

describe('check --model vpp: pod to service, backend on the same node (seed 004 blocks 9-10)', () => {
  const scenario = join(FIXTURES, 'pod-to-service-same-node/scenario.yaml');
  let files: Map<string, string>;
  beforeAll(() => {
    files = writeDeviceCaptures(mkdtempSync(join(tmpdir(), 'check-vpp-')), podToServiceSameNodeFrames());
  });

  it('the model says its edges: the pod taps, by their neighbour MAC', async () => {
    const inst = (await model().instantiate(scenario)) as VppInstance;
    expect(inst.edges().filter((e) => ['tap2', 'tap4'].includes(e.iface))).toEqual([
      { node: 'k8s-master', iface: 'tap2', mac: '00:00:00:00:00:02' },
      { node: 'k8s-master', iface: 'tap4', mac: '00:00:00:00:00:02' },
    ]);
  });

  it('a VPP instance that names no edge: one line saying which option, in which form, for which devices', async () => {
    const noEdges: DataplaneModel = { name: 'vpp', instantiate: async (path: string) => new NoEdges(loadScenario(path)) };
    const captures = [...files].map(([device, file]) => ({ node: device.split(':')[0], iface: device.split(':')[1], file }));
    await expect(runCheck({ model: noEdges, scenario, captures })).rejects.toThrow(
      'model vpp does not say which devices are edges; pass --edge NODE:IF@MAC for each captured device whose transmitted frames are the inputs (NODE:IF one of k8s-master:tap2, k8s-master:tap4; MAC the source MAC of the frames the pod or host sent there)',
    );
  });

  it('MATCH: the SYN DNATed to the backend on tap4, the SYN-ACK un-NATed back on tap2', async () => {
    const r = await check(scenario, files);
    expect(r.divergences).toEqual([]);
    expect([r.inputs, r.predicted, r.matched, r.captured]).toEqual([2, 2, 2, 4]);
  });

  it('the plain VPP model (vppModel, as the CLI loads it) names its edges: MATCH without --edge', async () => {
    const captures = [...files].map(([device, file]) => ({ node: device.split(':')[0], iface: device.split(':')[1], file }));
    const r = await runCheck({ model: vppModel, scenario, captures });
    expect(r.divergences).toEqual([]);
    expect([r.inputs, r.predicted, r.matched, r.captured]).toEqual([2, 2, 2, 4]);
  });

  // A model fault that skips a change leaves no stage that set the wrong value: the divergence
  // names the last stage showing it, the tx node the frame left by (check.ts lastShowing).
  it('fault ttl-decrement: diverges at tap4 on ip4.ttl (model 64, VPP 63), last shown by tap4-output', async () => {
    const r = await check(scenario, files, [Fault.TTL_DECREMENT]);
    expect(r.divergences[0]).toMatchObject({ kind: 'field', device: 'k8s-master:tap4', stage: 'tap4-output', diff: { field: 'ip4.ttl', model: 64, captured: 63 } });
  });

  it('fault nat-translation: the SYN to the service is not DNATed (the captured one at tap4 unpredicted), the SYN-ACK not un-NATed (ip4.src at tap2)', async () => {
    const r = await check(scenario, files, [Fault.NAT_TRANSLATION]);
    expect(r.divergences).toMatchObject([
      { kind: 'unexpected', device: 'k8s-master:tap4' },
      { kind: 'field', device: 'k8s-master:tap2', stage: 'tap2-output', diff: { field: 'ip4.src', model: '10.1.1.5', captured: '10.104.221.85' } },
    ]);
  });
});

describe('check --model vpp: pod to service, backend on the other node over VXLAN (seed 004 blocks 11-12)', () => {
  const scenario = join(FIXTURES, 'pod-to-service-other-node/scenario.yaml');
  const NIC = 'GigabitEthernet0/8/0';
  let files: Map<string, string>;
  beforeAll(() => {
    // The worker's clock onto the master's: the SYN's VXLAN frame left the master (its tx record)
    // when it reached the worker (its dpdk-input record), wire time neglected.
    const request = framesOfTrace('pod-to-service-other-node.request.trace', [
      { instance: 'k8s-master', entered: 'tap2' },
      { instance: 'k8s-worker1', entered: NIC },
    ]);
    const offset = request[0].sent!.packet.meta.timestampNs! - request[1].entered.packet.meta.timestampNs!;
    expect(offset).toBe(recordNs('02:26:06:586729') - recordNs('02:24:27:765594'));
    const placed = framesOfTrace('pod-to-service-other-node.request.trace', [
      { instance: 'k8s-master', entered: 'tap2' },
      { instance: 'k8s-worker1', entered: NIC, clockOffsetNs: offset },
    ]).concat(framesOfTrace('pod-to-service-other-node.response.trace', [
      { instance: 'k8s-worker1', entered: 'tap3', clockOffsetNs: offset },
      { instance: 'k8s-master', entered: NIC },
    ]));
    // One capture of the wire, on the master's NIC: both nodes' VXLAN frames; the frame a NIC
    // received is the one the other transmitted, not a second frame.
    const frames: DeviceFrame[] = [];
    for (const f of placed) {
      if (!f.entered.device.endsWith(NIC)) frames.push(f.entered);
      if (f.sent) frames.push({ ...f.sent, device: f.sent.device.endsWith(NIC) ? `k8s-master:${NIC}` : f.sent.device });
    }
    files = writeDeviceCaptures(mkdtempSync(join(tmpdir(), 'check-vpp-')), frames);
  });

  it('MATCH on both pods and the wire between the nodes: the model sends each frame from the right node', async () => {
    const r = await check(scenario, files);
    expect(r.divergences).toEqual([]);
    expect(r.devices.sort()).toEqual([`k8s-master:${NIC}`, 'k8s-master:tap2', 'k8s-worker1:tap3']);
    expect([r.inputs, r.predicted, r.matched, r.captured]).toEqual([2, 4, 4, 6]);
  });

  it('MATCH read with a 1 ms window as well (the worker\'s clock moved onto the master\'s)', async () => {
    const captures = [...files].map(([device, file]) => ({ node: device.split(':')[0], iface: device.split(':')[1], file }));
    const r = await runCheck({ model: model(), scenario, captures, window: 1_000_000n });
    expect(r.divergences).toEqual([]);
    expect([r.inputs, r.predicted, r.matched, r.captured]).toEqual([2, 4, 4, 6]);
  });

  it('fault vxlan-source-port: diverges on the wire (the master\'s SYN), field udp.src_port (VPP: 60039)', async () => {
    const r = await check(scenario, files, [Fault.VXLAN_SOURCE_PORT]);
    expect(r.divergences[0]).toMatchObject({ kind: 'field', device: `k8s-master:${NIC}`, stage: `${NIC}-tx`, diff: { field: 'udp.src_port', captured: 60039 } });
  });

  it('fault ttl-decrement: diverges on the wire first, the outer TTL (VPP: 253)', async () => {
    const r = await check(scenario, files, [Fault.TTL_DECREMENT]);
    expect(r.divergences[0]).toMatchObject({ kind: 'field', device: `k8s-master:${NIC}`, stage: `${NIC}-tx`, diff: { field: 'ip4.ttl', captured: 253 } });
  });

  it('fault nat-translation: the worker\'s SYN-ACK leaves un-NATed at the client pod: ip4.src', async () => {
    const r = await check(scenario, files, [Fault.NAT_TRANSLATION]);
    expect(r.divergences.map((d) => [d.kind, d.device, d.diff?.field])).toContainEqual(['field', 'k8s-master:tap2', 'ip4.src']);
  });
});
