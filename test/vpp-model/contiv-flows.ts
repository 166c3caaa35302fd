// The seed 004 flows as the Contiv cases replay them: which golden, which instance each direction
// enters, and the case inputs rebuilt from the golden's first records (harness/vpp-trace/entry.ts entryPacket, via models/vpp/entry-frame.ts).

import { readFileSync } from 'node:fs';
import { hex } from '../../harness/wire/bytes.js';
import { entryFrames } from '../../models/vpp/entry-frame.js';
import { loadScenario } from '../../models/vpp/configure.js';

export interface Flow {
  name: string;
  /** Seed 004 block numbers of the request and the response. */
  blocks: [number, number];
  section: string;
  /** The instance the request / response enters (its client / server node). */
  enters: [string, string];
}

const M = 'k8s-master';
const W = 'k8s-worker1';

export const FLOWS: Flow[] = [
  { name: 'pod-to-pod-same-node', blocks: [1, 2], section: 'Pod to Pod on the same node', enters: [M, M] },
  { name: 'pod-to-pod-other-node', blocks: [3, 4], section: 'Pod to Pod on another node', enters: [M, W] },
  { name: 'pod-to-host-stack', blocks: [5, 6], section: 'Pod to Pod in the host network stack', enters: [M, M] },
  { name: 'host-to-pod', blocks: [7, 8], section: 'Host to Pod', enters: [M, M] },
  { name: 'pod-to-service-same-node', blocks: [9, 10], section: 'Pod to Service with chosen backend on the same node', enters: [M, M] },
  { name: 'pod-to-service-other-node', blocks: [11, 12], section: 'Pod to Service with chosen backend on another node', enters: [M, W] },
  { name: 'pod-to-service-host-stack', blocks: [13, 14], section: 'Pod to Service with chosen backend in the host network stack', enters: [M, M] },
];

export const DIRECTIONS = ['request', 'response'] as const;
export type Direction = (typeof DIRECTIONS)[number];

/** The stage-records JSON a case input holds: the first packet of the golden as it entered its first node. */
export function inputJson(flow: Flow, dir: Direction): string {
  const golden = `golden/contiv/${flow.name}.${dir}.trace`;
  const e = entryFrames(readFileSync(golden, 'utf8'), golden)[0];
  const instance = flow.enters[dir === 'request' ? 0 : 1];
  const vm = loadScenario(`fixtures/contiv/${flow.name}/scenario.yaml`).instances.get(instance)!;
  const itf = e.interfaceName ?? [...vm.interfaces.values()].find((i) => i.hwIfIndex === e.hwIfIndex)?.name;
  if (!itf) throw new Error(`${golden}: no interface with hw_if_index ${e.hwIfIndex} on ${instance}`);
  const doc = {
    format: 'dpconform-stages',
    version: 1,
    comment: `rebuilt from ${golden} packet 1 (harness/vpp-trace/entry.ts entryPacket); regenerate: UPDATE_CONTIV_INPUTS=1 npx vitest run test/vpp-model/contiv-inputs.test.ts`,
    traces: [{ number: 1, stages: [{ node: e.node, lines: [], fields: {}, packet: { hex: hex(e.packet.data), known: e.packet.known!.ranges(), link_type: 1, interface: itf } }] }],
  };
  return JSON.stringify(doc, null, 1) + '\n';
}
