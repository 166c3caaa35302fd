// Who talks to a NAT44 load-balanced service, as a scenario configures it: the service (the first
// TCP lb_static_mapping: VIP, port, first backend), the backend pod (the neighbour entry of the
// backend's address: its interface and MAC), and the client pods (the neighbour entries on the NAT44
// `outside` interfaces). Frames a pod sends carry the pod's MAC as source and its tap's MAC as
// destination. Read from the scenario file (extends layering applied), not from the model's state,
// so the bench traffic does not take the model's reading of the scenario for granted.

import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ip4ToU32, macToBytes } from '../harness/wire/address.js';
import { loadLayered } from '../models/vpp/scenario-layers.js';
import { scenarioSchema } from '../models/vpp/scenario-schema.js';

/** A pod as the frames it sends show it. */
export interface Pod {
  addr: number;
  mac: Uint8Array;
  /** The VPP interface its frames arrive on, and that interface's MAC. */
  itf: string;
  itfMac: Uint8Array;
}

export interface ServiceEndpoints {
  instance: string;
  vip: number;
  vipPort: number;
  backend: Pod & { port: number };
  clients: Pod[];
}

/* eslint-disable @typescript-eslint/no-explicit-any */
export function serviceEndpoints(scenarioPath: string, instance: string): ServiceEndpoints {
  const doc = loadLayered(scenarioPath, scenarioSchema());
  const inst = doc.instances.get(instance);
  if (!inst) throw new Error(`${scenarioPath}: no instance '${instance}'`);
  const raw = inst.raw;
  const itfMac = new Map<string, Uint8Array>((raw.interfaces ?? []).filter((i: any) => i.mac).map((i: any) => [i.name, macToBytes(i.mac)]));
  const neighbors: Array<{ interface: string; ip: string; mac: string }> = raw.neighbors ?? [];
  const pod = (n: { interface: string; ip: string; mac: string }): Pod => {
    const mac = itfMac.get(n.interface);
    if (!mac) throw new Error(`${scenarioPath}: interface ${n.interface} of neighbour ${n.ip} has no MAC`);
    return { addr: ip4ToU32(n.ip), mac: macToBytes(n.mac), itf: n.interface, itfMac: mac };
  };
  const lb = (raw.nat44?.lb_static_mappings ?? []).find((m: any) => m.protocol === 'tcp' && m.locals?.length > 0);
  if (!lb) throw new Error(`${scenarioPath}: instance ${instance} has no TCP nat44.lb_static_mappings entry`);
  const local = lb.locals[0];
  const backendNeighbor = neighbors.find((n) => n.ip === local.address);
  if (!backendNeighbor) throw new Error(`${scenarioPath}: no neighbour entry for the backend ${local.address}`);
  const outside: string[] = raw.nat44?.outside ?? [];
  const clients = neighbors.filter((n) => outside.includes(n.interface)).map(pod);
  if (clients.length === 0) throw new Error(`${scenarioPath}: no neighbour (client pod) on the NAT44 outside interfaces ${outside.join(', ')}`);
  return {
    instance,
    vip: ip4ToU32(lb.external),
    vipPort: lb.external_port,
    backend: { ...pod(backendNeighbor), port: local.port },
    clients,
  };
}

/** The repository root (bench/ runs from the sources under vitest and from dist/bench when built). */
export function repoRoot(): string {
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'fixtures', 'contiv'))) return dir;
    if (dirname(dir) === dir) throw new Error('bench: no repository root (fixtures/contiv) above the bench module');
  }
}

/** The Contiv pod -> service scenario (seed 004 blocks 9-10) both replay benchmarks start from. */
export const POD_TO_SERVICE = 'fixtures/contiv/pod-to-service-same-node/scenario.yaml';
